"""Fixtures of the monitoring tests."""

from __future__ import annotations

import pytest

from dean06.monitoring.models import Plan
from dean06.monitoring.seed import PLAN_CODE
from dean06.monitoring.services import plan_seed_load


@pytest.fixture
def plan() -> Plan:
    """The province's seed plan, loaded."""
    plan_seed_load()
    return Plan.objects.get(code=PLAN_CODE)
