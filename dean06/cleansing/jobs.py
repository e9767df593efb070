"""Background jobs of the cleansing app (ADR-0008): thin wrappers around the services of the same name."""

from __future__ import annotations

from django.tasks import task

from dean06.cleansing.runs import cleansing_run_execute


@task()
def cleansing_run_execute_job(*, run_id: int) -> str:
    """Run an uploaded file through the pipeline; returns the run's final status."""
    return str(cleansing_run_execute(run_id=run_id).status)
