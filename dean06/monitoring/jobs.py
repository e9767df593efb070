"""Background jobs of the monitoring app (ADR-0008): thin wrappers around the services of the same name."""

from __future__ import annotations

from datetime import date

from django.tasks import task

from dean06.monitoring import notices
from dean06.monitoring.models import ReportNotice


@task()
def report_notices_send(today_iso: str | None = None) -> dict[str, int]:
    """Send the monthly reports' reminders, overdue notices and late summaries due on `today_iso` (default: the
    local date); the number of notices of each kind. Meant to run once a day (docs/operations.md)."""
    today = date.fromisoformat(today_iso) if today_iso else None
    sent = notices.report_notices_send(today=today)
    return {kind: sum(1 for notice in sent if notice.kind == kind) for kind in ReportNotice.Kind.values}
