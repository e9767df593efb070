"""Card reads on behalf of an officer: allowed to those who may look up persons, and written to the audit log.

Reading a card processes personal data even though no registry row is read, so each card read (a payload
that parses) is one `card.scan` entry with the ID number and where the data came from.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Literal

from dean06.core.access import require_permission
from dean06.core.audit import audit_record
from dean06.core.roles import Permission
from dean06.identity.cards.qr_image import MAX_BYTES
from dean06.identity.cards.selectors import CardReading, card_read, card_read_image

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User

ScanSource = Literal["usb", "photo", "camera", "api"]


def _audited(actor: User | AnonymousUser, reading: CardReading, source: ScanSource) -> CardReading:
    if reading.parse.card is not None:
        audit_record(
            actor=actor,
            action="card.scan",
            object_type="identity.card",
            object_id=reading.parse.card.personal_id,
            details={"source": source},
        )
    return reading


def card_scan_text(*, actor: User | AnonymousUser, payload: str, source: ScanSource) -> CardReading:
    require_permission(actor, Permission.PERSON_VIEW)
    return _audited(actor, card_read(payload), source)


def card_scan_image(*, actor: User | AnonymousUser, image: IO[bytes], source: ScanSource) -> CardReading:
    """A photo or camera frame; a camera frame gets the quick decoding passes only (another comes soon)."""
    require_permission(actor, Permission.PERSON_VIEW)
    data = image.read(MAX_BYTES + 1)  # enough to tell an oversized file, never the whole of it
    return _audited(actor, card_read_image(data, thorough=source != "camera"), source)
