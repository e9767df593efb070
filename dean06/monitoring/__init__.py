"""Steering Đề án 06 (issue #6): the province's plan, the units' reports, live KPIs and the Decision 766
service-quality index (index766.py), computed from the public-services data read only through that app's selectors.
Background work goes in `jobs.py`, since "task" here is a plan task."""
