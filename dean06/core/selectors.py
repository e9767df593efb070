"""Reads of core data: the actor's own role assignments and the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from dean06.core.access import require_permission
from dean06.core.models import AuditEvent, RoleAssignment
from dean06.core.roles import Permission

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User


def role_assignment_list(*, actor: User | AnonymousUser) -> QuerySet[RoleAssignment]:
    """The roles the actor holds, with their units (what the actor may see about themselves)."""
    if not actor.is_authenticated:
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(user_id=actor.pk).select_related("unit").order_by("role", "unit__name")


@dataclass(frozen=True)
class AuditEventFilters:
    """Audit log search. Empty values do not filter; dates are local days, both ends included."""

    action: str = ""
    actor_username: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_event_list(*, actor: User | AnonymousUser, filters: AuditEventFilters) -> QuerySet[AuditEvent]:
    """Audit entries matching `filters`, newest first (unevaluated, for paging). Requires audit.view."""
    require_permission(actor, Permission.AUDIT_VIEW)
    events = AuditEvent.objects.order_by("-seq")
    if filters.action:
        # A prefix, so "person" finds person.read, person.list and person.export.
        events = events.filter(action__startswith=filters.action)
    if filters.actor_username:
        events = events.filter(actor_label__iexact=filters.actor_username)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    # Bounds on `at` itself rather than `at__date`, so the index on `at` is used.
    if filters.date_from:
        events = events.filter(at__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        events = events.filter(at__lt=_local_midnight(filters.date_to + timedelta(days=1)))
    return events
