"""Writes of the e-ID login: the citizen's account, its link to the registry person, the audit entry."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from dean06.core.audit import audit_record
from dean06.core.models import User
from dean06.identity.eid.claims import EidIdentity
from dean06.identity.eid.errors import EidError, EidFailure
from dean06.registry.models import Person
from dean06.text import name_key


@dataclass(frozen=True)
class EidLoginResult:
    user: User
    person: Person | None  # None: no registry record with that personal ID (the citizen is told so)
    created: bool
    warnings: list[str]


def _same_name(a: str, b: str) -> bool:
    """Equal up to Unicode form, spacing, case and tone-mark placement ("Hoà" == "Hòa")."""
    return name_key(a) == name_key(b)


def _registry_warnings(identity: EidIdentity, person: Person | None) -> list[str]:
    warnings = list(identity.warnings)
    if person is None:
        warnings.append("registry_not_found")
        return warnings
    if identity.full_name and not _same_name(identity.full_name, person.full_name):
        warnings.append("name_mismatch")
    if identity.date_of_birth is not None and identity.date_of_birth != person.date_of_birth:
        warnings.append("birth_date_mismatch")
    return warnings


def _citizen_account(identity: EidIdentity, person: Person | None) -> tuple[User, bool]:
    """The citizen's account: the one linked to the person, else the one named by the personal ID, else new."""
    user = User.objects.select_for_update().filter(person=person).first() if person is not None else None
    if user is None:
        user = User.objects.select_for_update().filter(username=identity.personal_id).first()
        if user is not None and user.person_id is not None and (person is None or user.person_id != person.pk):
            raise EidError(EidFailure.ACCOUNT_CONFLICT, f"user {user.pk} is linked to another person")
    if user is not None and user.kind != User.Kind.CITIZEN:
        raise EidError(EidFailure.ACCOUNT_CONFLICT, f"user {user.pk} is a staff account")
    if user is not None and not user.is_active:
        raise EidError(EidFailure.ACCOUNT_DISABLED, f"user {user.pk} is inactive")
    created = user is None
    if user is None:
        user = User(username=identity.personal_id, kind=User.Kind.CITIZEN)
        user.set_unusable_password()
    changed = created
    if person is not None and user.person_id is None:
        user.person = person
        changed = True
    if not user.full_name:
        user.full_name = person.full_name if person is not None else identity.full_name
        changed = True
    if changed:
        user.save()
    return user, created


@transaction.atomic
def eid_login_record(*, identity: EidIdentity, issuer: str, sandbox: bool) -> EidLoginResult:
    """Find or create the citizen's account for a verified e-ID identity and audit the login (`eid.login`).

    A name or birth date that differs from the registry does not stop the login; it is recorded as a warning.
    """
    person = Person.objects.filter(personal_id=identity.personal_id).first()
    user, created = _citizen_account(identity, person)
    warnings = _registry_warnings(identity, person)
    details: dict[str, object] = {
        "method": "eid",
        "level": identity.level,
        "acr": identity.acr,
        "issuer": issuer,
        "sandbox": sandbox,
        "account_created": created,
        "warnings": warnings,
    }
    if person is not None:
        audit_record(actor=user, action="eid.login", obj=person, details=details)
    else:
        audit_record(actor=user, action="eid.login", obj=user, details=details)
    return EidLoginResult(user=user, person=person, created=created, warnings=warnings)
