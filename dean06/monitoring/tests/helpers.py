"""Helpers of the monitoring tests: signed-in officers and the moments dossiers are received."""

from __future__ import annotations

from datetime import date, datetime, time

from django.test import Client
from django.utils import timezone

from dean06.core.roles import Role
from dean06.testing import factories
from dean06.testing.auth import login
from dean06.testing.factories import PROVINCE


def staff_client(role: Role = Role.WORKING_GROUP, unit_code: str = PROVINCE) -> Client:
    """A client signed in (both factors) as a new officer with `role` over `unit_code`."""
    return login(Client(), factories.user_with_role(role, unit_code))


def at(day: date) -> datetime:
    """9 in the morning of `day`, local time."""
    return timezone.make_aware(datetime.combine(day, time(9)))
