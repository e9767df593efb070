"""The local mirror: the registry's Person table answers as the population database would (the default).

The `mirror_*` functions are the plain reads, unscoped and unaudited; `LocalPopulationRegistry` puts the
policy of `RegistryBase` around them, and the SANDBOX service serves them over HTTP with its own audit. Lookups
by an exact identifier deliberately bypass `visible_to` (see protocol.py); the name search goes through it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from dean06.core.access import visible_to
from dean06.core.roles import AccessPurpose, Permission
from dean06.identity.population.base import RegistryBase
from dean06.identity.population.protocol import (
    AmbiguousIdentifier,
    Outcome,
    PersonRecord,
    VerifyRequest,
    VerifyResult,
)
from dean06.registry.models import Person
from dean06.registry.models.units import Era
from dean06.text import fold, name_key, nfc

if TYPE_CHECKING:
    from dean06.identity.population.protocol import Actor


def _persons() -> QuerySet[Person]:
    return Person.objects.select_related("commune", "household")


def _record(person: Person) -> PersonRecord:
    return PersonRecord(
        personal_id=person.personal_id,
        old_id=person.old_id,
        full_name=person.full_name,
        date_of_birth=person.date_of_birth,
        gender=person.gender,
        commune_code=person.commune.code,
        commune_name=person.commune.name,
        address=person.address,
        status=person.status,
        death_date=person.death_date,
        household_code=person.household.code if person.household else None,
    )


def mirror_by_personal_id(personal_id: str) -> PersonRecord | None:
    person = _persons().filter(personal_id=personal_id).first()
    return _record(person) if person else None


def mirror_by_old_id(old_id: str) -> PersonRecord | None:
    """AmbiguousIdentifier when several persons carry the number (a data error the ID alone cannot settle)."""
    found = list(_persons().filter(old_id=old_id)[:2]) if old_id else []
    if len(found) > 1:
        raise AmbiguousIdentifier()
    return _record(found[0]) if found else None


def mirror_search(
    full_name: str, date_of_birth: date, commune_code: str, persons: QuerySet[Person] | None = None
) -> list[PersonRecord]:
    """Persons of a 2025 commune with this date of birth whose name folds alike (Hòa = Hoà = Hoa)."""
    matches = (persons if persons is not None else Person.objects.all()).filter(
        commune__era=Era.Y2025, commune__code=commune_code, date_of_birth=date_of_birth, name_key=fold(full_name)
    )
    return [_record(p) for p in matches.select_related("commune", "household").order_by("sort_name", "personal_id")]


def _name_form(name: str) -> str:
    """Case, spacing, Unicode form and tone-mark placement aside (Hoà = Hòa); "Lê" and "Lệ" stay different."""
    return name_key(name)


def _outcome[T](given: T | None, actual: T | None, form: Callable[[T], object] | None = None) -> Outcome:
    if given is None or given == "":
        return "not_provided"
    if actual is None:
        return "no_match"  # nothing matches a person who is not there
    same = form(given) == form(actual) if form else given == actual
    return "match" if same else "no_match"


def verify_against(record: PersonRecord | None, attributes: VerifyRequest) -> VerifyResult:
    if record is None:
        return VerifyResult(
            found=False,
            full_name=_outcome(attributes.full_name, None),
            date_of_birth=_outcome(attributes.date_of_birth, None),
            gender=_outcome(attributes.gender, None),
            old_id=_outcome(attributes.old_id, None),
        )
    return VerifyResult(
        found=True,
        full_name=_outcome(attributes.full_name, record.full_name, _name_form),
        date_of_birth=_outcome(attributes.date_of_birth, record.date_of_birth),
        gender=_outcome(attributes.gender, record.gender, nfc),
        old_id=_outcome(attributes.old_id, record.old_id, nfc),
    )


def mirror_verify(personal_id: str, attributes: VerifyRequest) -> VerifyResult:
    return verify_against(mirror_by_personal_id(personal_id), attributes)


class LocalPopulationRegistry(RegistryBase):
    backend = "local"

    def _by_personal_id(self, personal_id: str, *, actor: Actor, purpose: AccessPurpose) -> PersonRecord | None:
        return mirror_by_personal_id(personal_id)

    def _by_old_id(self, old_id: str, *, actor: Actor, purpose: AccessPurpose) -> PersonRecord | None:
        return mirror_by_old_id(old_id)

    def _search(
        self, full_name: str, date_of_birth: date, commune_code: str, *, actor: Actor, purpose: AccessPurpose
    ) -> list[PersonRecord]:
        in_scope = visible_to(Person.objects.all(), actor=actor, permission=Permission.PERSON_VIEW)
        return mirror_search(full_name, date_of_birth, commune_code, in_scope)

    def _verify(
        self, personal_id: str, attributes: VerifyRequest, *, actor: Actor, purpose: AccessPurpose
    ) -> VerifyResult:
        return mirror_verify(personal_id, attributes)
