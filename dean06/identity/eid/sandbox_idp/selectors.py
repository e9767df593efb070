"""Reads of the SANDBOX provider: the registry stands in for the national population database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from oauth2_provider.models import Application

from dean06.core.audit import audit_record
from dean06.registry.models import Person
from dean06.registry.models.population import LifeStatus
from dean06.registry.models.units import Era

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User

# Phường Long Đức, Vĩnh Long: the commune of the demo province's citizen accounts (dean06.demo.accounts).
SANDBOX_COMMUNE = "29263"
CHOICES_SHOWN = 8


def sandbox_person(personal_id: str) -> Person | None:
    """The registry person the SANDBOX provider asserts for `personal_id` (the provider's own lookup)."""
    return Person.objects.filter(personal_id=personal_id).first()


def sandbox_person_choices(*, actor: User | AnonymousUser, limit: int = CHOICES_SHOWN) -> list[Person]:
    """A short list of living adults of the demo commune to log in as (any persons if there are none there).

    The list is personal data shown on a page, so it is audited like any list.
    """
    today = timezone.localdate()
    adult_born_by = today.replace(year=today.year - 18, day=min(today.day, 28))
    persons = Person.objects.filter(status=LifeStatus.ALIVE).order_by("personal_id")
    in_commune = persons.filter(commune__era=Era.Y2025, commune__code=SANDBOX_COMMUNE)
    chosen = list(in_commune.filter(date_of_birth__lte=adult_born_by)[:limit]) or list(persons[:limit])
    if chosen:
        audit_record(
            actor=actor,
            action="person.list",
            object_type="registry.person",
            purpose="SANDBOX VNeID",
            details={"sandbox": True, "count": len(chosen), "ids": [p.pk for p in chosen]},
        )
    return chosen


def sandbox_application_name(client_id: str) -> str:
    """The name of the client that asked for the login ("" if unknown)."""
    return Application.objects.filter(client_id=client_id).values_list("name", flat=True).first() or ""


def sandbox_application(client_id: str) -> Application | None:
    return Application.objects.filter(client_id=client_id).first()
