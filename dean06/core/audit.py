"""The hash-chained audit log of access to personal data (issue #2, ADR-0005).

Services call `audit_record` explicitly for every read and write of personal data, including bulk
operations and jobs (one entry per run, with counts). Nothing is logged by signals: writes made outside
a request or through `bulk_create` would slip past them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from dean06.core import context
from dean06.core.models import AuditChainHead, AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User

GENESIS_HASH = "0" * 64
SYSTEM_ACTOR = "hệ thống"


def _canonical(event: AuditEvent) -> bytes:
    content = {
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "purpose": event.purpose,
        "request_id": event.request_id,
        "details": event.details,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + _canonical(event)).hexdigest()


@transaction.atomic
def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    purpose: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one entry to the chain. `action` is `<noun>.<verb>`, e.g. `person.read`."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    authenticated = actor is not None and actor.is_authenticated
    event = AuditEvent(
        seq=head.last_seq + 1,
        at=timezone.now(),
        actor_id=actor.pk if authenticated else None,  # type: ignore[union-attr]
        actor_label=str(actor.get_username()) if authenticated else SYSTEM_ACTOR,  # type: ignore[union-attr]
        action=action,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose[:200],
        request_id=context.request_id.get(),
        details=details or {},
        prev_hash=head.last_hash,
    )
    event.entry_hash = compute_hash(head.last_hash, event)
    event.save(force_insert=True)
    head.last_seq, head.last_hash = event.seq, event.entry_hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    ok: bool
    first_broken_seq: int | None = None
    reason: str = ""


def _events_in_order(batch_size: int = 5000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq


def audit_verify() -> ChainReport:
    """Walk the chain in order; name the first entry whose link or content does not hold."""
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    for event in _events_in_order():
        if event.seq != expected_seq:
            return ChainReport(checked, False, expected_seq, f"entry #{expected_seq} is missing")
        if event.prev_hash != prev_hash:
            return ChainReport(checked, False, event.seq, "link to the previous entry is broken")
        if compute_hash(prev_hash, event) != event.entry_hash:
            return ChainReport(checked, False, event.seq, "content does not match its hash")
        prev_hash, expected_seq, checked = event.entry_hash, expected_seq + 1, checked + 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.last_seq != checked:
        return ChainReport(checked, False, checked + 1, f"entries after #{checked} are missing")
    return ChainReport(checked, True)
