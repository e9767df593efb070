"""What every implementation does the same way, so the contract holds whichever one answers: the permission
check, input checks, reading the QR payload, and one audit entry per call. Subclasses only fetch."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from django.utils import translation
from django.utils.translation import gettext as _

from dean06.core.access import require_permission
from dean06.core.audit import audit_record
from dean06.core.errors import ApplicationError
from dean06.core.roles import AccessPurpose, Permission
from dean06.identity.cards.idnumbers import IdKind, normalize_id
from dean06.identity.cards.qr_payload import MAX_LENGTH, parse_payload
from dean06.identity.population.protocol import PersonRecord, VerifyRequest, VerifyResult
from dean06.text import nfc

if TYPE_CHECKING:
    from dean06.identity.population.protocol import Actor

OBJECT_TYPE = "population.person"


def _language() -> str:
    return translation.get_language() or "vi"


def _number(value: str, kind: IdKind, wrong_kind: str) -> str:
    """The digits of a typed number (spaces, dots, lost leading zeros forgiven), if it is of the `kind` asked."""
    normalized = normalize_id(value)
    if normalized.kind == kind:
        return normalized.digits
    raise ApplicationError(normalized.errors[0].message(_language()) if normalized.errors else wrong_kind)


def personal_id_checked(value: str) -> str:
    return _number(value, "personal_id", _("Số định danh cá nhân phải gồm đúng 12 chữ số."))


def old_id_checked(value: str) -> str:
    return _number(value, "old_id_9", _("Số CMND cũ phải gồm đúng 9 chữ số."))


def personal_id_from_qr(payload: str) -> str:
    """The personal ID of a card's QR payload, read by the card parser (any malformed field is refused)."""
    parsed = parse_payload(payload[:MAX_LENGTH])
    if parsed.card is None:
        raise ApplicationError(parsed.errors[0].message(_language()))
    return parsed.card.personal_id


def audit_lookup(
    *,
    actor: Actor | None,
    action: str,
    purpose: str,
    by: str,
    query: str | dict[str, str],
    records: Sequence[PersonRecord],
    **extra: str,
) -> None:
    """One entry naming what was asked and the personal IDs answered: identifiers only, never the record."""
    audit_record(
        actor=actor,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=records[0].personal_id if len(records) == 1 else "",
        purpose=purpose,
        details={"by": by, "query": query, "answered": [r.personal_id for r in records], **extra},
    )


def audit_verify(
    *, actor: Actor | None, action: str, purpose: str, personal_id: str, result: VerifyResult, **extra: str
) -> None:
    """The outcome per attribute; the values the caller supplied stay out of the log."""
    outcomes = {name: outcome for name, outcome in asdict(result).items() if name != "found"}
    audit_record(
        actor=actor,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=personal_id,
        purpose=purpose,
        details={"found": result.found, "outcomes": outcomes, **extra},
    )


class RegistryBase(ABC):
    """The public methods of `PopulationRegistry`: check, fetch (the subclass's `_…` methods), audit."""

    backend: ClassVar[str]  # named in the audit entries: "local" or "http"

    def by_personal_id(self, personal_id: str, *, actor: Actor, purpose: AccessPurpose) -> PersonRecord | None:
        require_permission(actor, Permission.PERSON_VIEW)
        personal_id = personal_id_checked(personal_id)
        record = self._by_personal_id(personal_id, actor=actor, purpose=purpose)
        self._audit_lookup(actor, purpose, "personal_id", personal_id, [record] if record else [])
        return record

    def by_old_id(self, old_id: str, *, actor: Actor, purpose: AccessPurpose) -> PersonRecord | None:
        require_permission(actor, Permission.PERSON_VIEW)
        old_id = old_id_checked(old_id)
        record = self._by_old_id(old_id, actor=actor, purpose=purpose)
        self._audit_lookup(actor, purpose, "old_id", old_id, [record] if record else [])
        return record

    def by_qr_payload(self, payload: str, *, actor: Actor, purpose: AccessPurpose) -> PersonRecord | None:
        """The QR only carries the ID to the lookup; its other fields are not trusted."""
        require_permission(actor, Permission.PERSON_VIEW)
        personal_id = personal_id_from_qr(payload)
        record = self._by_personal_id(personal_id, actor=actor, purpose=purpose)
        self._audit_lookup(actor, purpose, "qr", personal_id, [record] if record else [])
        return record

    def search(
        self, full_name: str, date_of_birth: date, commune_code: str, *, actor: Actor, purpose: AccessPurpose
    ) -> list[PersonRecord]:
        require_permission(actor, Permission.PERSON_VIEW)
        full_name, commune_code = nfc(full_name), commune_code.strip()
        if not full_name or not commune_code:
            raise ApplicationError(_("Cần họ và tên, ngày sinh và mã xã, phường."))
        records = self._search(full_name, date_of_birth, commune_code, actor=actor, purpose=purpose)
        query = {"full_name": full_name, "date_of_birth": date_of_birth.isoformat(), "commune": commune_code}
        self._audit_lookup(actor, purpose, "search", query, records)
        return records

    def verify(
        self, personal_id: str, attributes: VerifyRequest, *, actor: Actor, purpose: AccessPurpose
    ) -> VerifyResult:
        require_permission(actor, Permission.PERSON_VIEW)
        personal_id = personal_id_checked(personal_id)
        result = self._verify(personal_id, attributes, actor=actor, purpose=purpose)
        audit_verify(
            actor=actor,
            action="population.verify",
            purpose=str(purpose),
            personal_id=personal_id,
            result=result,
            backend=self.backend,
        )
        return result

    def _audit_lookup(
        self,
        actor: Actor,
        purpose: AccessPurpose,
        by: str,
        query: str | dict[str, str],
        records: Sequence[PersonRecord],
    ) -> None:
        audit_lookup(
            actor=actor,
            action="population.lookup",
            purpose=str(purpose),
            by=by,
            query=query,
            records=records,
            backend=self.backend,
        )

    @abstractmethod
    def _by_personal_id(self, personal_id: str, *, actor: Actor, purpose: AccessPurpose) -> PersonRecord | None: ...

    @abstractmethod
    def _by_old_id(self, old_id: str, *, actor: Actor, purpose: AccessPurpose) -> PersonRecord | None: ...

    @abstractmethod
    def _search(
        self, full_name: str, date_of_birth: date, commune_code: str, *, actor: Actor, purpose: AccessPurpose
    ) -> list[PersonRecord]: ...

    @abstractmethod
    def _verify(
        self, personal_id: str, attributes: VerifyRequest, *, actor: Actor, purpose: AccessPurpose
    ) -> VerifyResult: ...
