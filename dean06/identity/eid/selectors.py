"""Reads for the citizen's own pages: who accessed their registry record, when and why (from the audit log)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dean06.core.models import AuditEvent, User
from dean06.core.roles import AccessPurpose

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

PERSON_OBJECT_TYPE = "registry.person"
HISTORY_LIMIT = 200

# Audit actions on one person's record, in words a citizen understands. Unknown actions show their code.
ACTION_LABELS: dict[str, Promise] = {
    "person.read": _("Xem hồ sơ của bạn"),
    "person.change": _("Sửa thông tin trong hồ sơ của bạn"),
    "person.update": _("Sửa thông tin trong hồ sơ của bạn"),
    "person.create": _("Tạo hồ sơ của bạn"),
    "person.export": _("Xuất dữ liệu có thông tin của bạn"),
    "population.lookup": _("Tra cứu thông tin của bạn trong Cơ sở dữ liệu quốc gia về dân cư"),
    "card.scan": _("Quét mã QR trên thẻ căn cước của bạn"),
    "card.read": _("Đọc thông tin thẻ căn cước của bạn"),
}


@dataclass(frozen=True)
class AccessEntry:
    at: datetime
    officer: str
    organisation: str
    action: str
    action_label: str | Promise
    purpose: str | Promise


@dataclass(frozen=True)
class AccessHistory:
    entries: list[AccessEntry]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.entries)


def _purpose_label(value: str) -> str | Promise:
    try:
        return AccessPurpose(value).label
    except ValueError:
        return value


def person_access_history(*, actor: User | AnonymousUser, limit: int = HISTORY_LIMIT) -> AccessHistory | None:
    """Audit entries naming the citizen's own person record, by anyone but the citizen, newest first.

    None for anyone who is not a citizen linked to a registry person. Searches that listed the person among
    others (`person.list`) and exports (one entry per file, with a row count) do not name a single record,
    so they are not in this history.
    """
    if not isinstance(actor, User) or actor.kind != User.Kind.CITIZEN or actor.person_id is None:
        return None
    events = (
        AuditEvent.objects.filter(object_type=PERSON_OBJECT_TYPE, object_id=str(actor.person_id))
        .exclude(actor_id=actor.pk)
        .order_by("-seq")
    )
    total = events.count()
    rows = list(events[:limit])
    officers = User.objects.select_related("organisation").in_bulk({e.actor_id for e in rows if e.actor_id})
    entries = []
    for event in rows:
        officer = officers.get(event.actor_id) if event.actor_id is not None else None
        entries.append(
            AccessEntry(
                at=event.at,
                officer=(officer.full_name or officer.username) if officer is not None else event.actor_label,
                organisation=officer.organisation.name if officer is not None and officer.organisation else "",
                action=event.action,
                action_label=ACTION_LABELS.get(event.action, event.action),
                purpose=_purpose_label(event.purpose),
            )
        )
    return AccessHistory(entries=entries, total=total)
