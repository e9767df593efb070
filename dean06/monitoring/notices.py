"""Notices of the monthly reports: a reminder before the due day, an overdue notice after it, and the working
group's list of the late communes, sent through the notification adapter of public_services.

Each notice sent is kept as a `ReportNotice`, so that running the job twice sends nothing twice: a reminder at most
once a day per (plan, commune, period), an overdue notice at most once a week, the summary once per period.
docs/monitoring.md, "Report notifications".
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from django.db import transaction
from django.db.models import F, Value
from django.utils import timezone

from dean06.core.audit import audit_record
from dean06.core.models import RoleAssignment, User
from dean06.core.roles import ROLE_PERMISSIONS, Permission
from dean06.monitoring.models import Plan, ReportNotice
from dean06.monitoring.reports import month_label, previous_period, report_due_on, report_reminders_due, reports_late
from dean06.public_services.notifications import Backend, Message, backend
from dean06.registry.models import AdministrativeUnit

logger = logging.getLogger(__name__)

OVERDUE_EVERY: Final = timedelta(days=7)

# Vietnamese whatever the language of anyone's screen, as the citizens' messages: a job has no request to take a
# language from, and the officers who receive them read Vietnamese.
REMINDER: Final = "Báo cáo tháng {month} Đề án 06 của {unit} hạn gửi {due}; còn {days} ngày."
REMINDER_LAST_DAY: Final = "Báo cáo tháng {month} Đề án 06 của {unit} hạn gửi {due}; hôm nay là ngày cuối."
OVERDUE: Final = "Báo cáo tháng {month} Đề án 06 của {unit} đã quá hạn gửi {due} ({days} ngày). Đề nghị gửi ngay."
SUMMARY: Final = "Báo cáo tháng {month} Đề án 06: {count} xã, phường chưa gửi sau hạn {due}: {units}."
SUBJECTS: Final = {
    ReportNotice.Kind.REMINDER: "Nhắc hạn gửi báo cáo tháng {month} Đề án 06",
    ReportNotice.Kind.OVERDUE: "Báo cáo tháng {month} Đề án 06 quá hạn",
    ReportNotice.Kind.LATE_SUMMARY: "Đơn vị chậm gửi báo cáo tháng {month} Đề án 06",
}


@dataclass(frozen=True)
class Notice:
    """One notice due: who receives it (`recipients`, the users with an email address) and what it says."""

    plan: Plan
    unit: AdministrativeUnit
    period: str
    kind: ReportNotice.Kind
    body: str
    recipients: tuple[User, ...]

    @property
    def subject(self) -> str:
        return SUBJECTS[self.kind].format(month=month_label(self.period))


def overdue_period(today: date) -> str:
    """The latest period whose due day has passed: last month's after its due day, else the month before."""
    last = previous_period(today)
    return last if today > report_due_on(last) else previous_period(date(int(last[:4]), int(last[5:]), 1))


def holders(permission: Permission, unit: AdministrativeUnit, *, inside: bool) -> tuple[User, ...]:
    """The active users holding `permission` through a role over `unit` itself or a unit inside it (`inside`:
    a commune's own officers, not the province's), or over `unit` or a unit containing it (the working group
    over a plan's unit), as `dean06.core.access` grants it."""
    roles = [role for role, permissions in ROLE_PERMISSIONS.items() if permission in permissions]
    assignments = RoleAssignment.objects.filter(role__in=roles, user__is_active=True)
    if inside:
        assignments = assignments.filter(unit__path__startswith=unit.path)
    else:
        assignments = assignments.annotate(target=Value(unit.path)).filter(target__startswith=F("unit__path"))
    return tuple(User.objects.filter(pk__in=assignments.values("user_id")).order_by("pk"))


def _reachable(users: tuple[User, ...], unit: AdministrativeUnit) -> tuple[User, ...]:
    """Staff accounts have an email address and no phone number: email only; an officer without one is logged."""
    for user in users:
        if not user.email:
            logger.warning("report notice for %s: user %s has no email address", unit.code, user.get_username())
    return tuple(user for user in users if user.email)


def _already_sent(kind: str, period: str, since: date | None, today: date) -> set[tuple[int, int]]:
    """(plan id, unit id) of the notices of `kind` about `period` sent from `since` (ever, if None) to `today`."""
    sent = ReportNotice.objects.filter(kind=kind, period=period, sent_on__lte=today)
    sent = sent.filter(sent_on__gte=since) if since else sent
    return set(sent.values_list("plan_id", "unit_id"))


def _reminders(today: date) -> list[Notice]:
    period = previous_period(today)
    due = report_due_on(period)
    days = (due - today).days
    text = REMINDER if days else REMINDER_LAST_DAY
    sent = _already_sent(ReportNotice.Kind.REMINDER, period, today, today)
    notices = []
    for plan, unit in report_reminders_due(today):
        if (plan.pk, unit.pk) in sent:
            continue
        body = text.format(month=month_label(period), unit=unit.name, due=f"{due:%d/%m/%Y}", days=days)
        recipients = _reachable(holders(Permission.REPORT_SUBMIT, unit, inside=True), unit)
        notices.append(Notice(plan, unit, period, ReportNotice.Kind.REMINDER, body, recipients))
    return notices


def _overdue(today: date) -> list[Notice]:
    period = overdue_period(today)
    due = report_due_on(period)
    month, due_text = month_label(period), f"{due:%d/%m/%Y}"
    this_week = _already_sent(ReportNotice.Kind.OVERDUE, period, today - OVERDUE_EVERY + timedelta(days=1), today)
    summarised = _already_sent(ReportNotice.Kind.LATE_SUMMARY, period, None, today)
    notices = []
    for plan in Plan.objects.filter(status=Plan.Status.ACTIVE).select_related("unit").order_by("code"):
        late = reports_late(plan, period, today)
        for unit in late:
            if (plan.pk, unit.pk) in this_week:
                continue
            body = OVERDUE.format(month=month, unit=unit.name, due=due_text, days=(today - due).days)
            recipients = _reachable(holders(Permission.REPORT_SUBMIT, unit, inside=True), unit)
            notices.append(Notice(plan, unit, period, ReportNotice.Kind.OVERDUE, body, recipients))
        if late and (plan.pk, plan.unit_id) not in summarised:
            names = ", ".join(unit.name for unit in late)
            body = SUMMARY.format(month=month, count=len(late), due=due_text, units=names)
            recipients = _reachable(holders(Permission.REPORT_REVIEW, plan.unit, inside=False), plan.unit)
            notices.append(Notice(plan, plan.unit, period, ReportNotice.Kind.LATE_SUMMARY, body, recipients))
    return notices


def report_notices_due(today: date) -> list[Notice]:
    """The notices due on `today` and not sent yet: reminders, then overdue notices and summaries."""
    return _reminders(today) + _overdue(today)


def _send(outbox: Backend, notice: Notice) -> None:
    reference = f"{notice.plan.code}/{notice.period}/{notice.unit.code}"
    at = timezone.now().isoformat()
    for user in notice.recipients:
        outbox.send(Message("", user.email, notice.subject, notice.body, reference, at))


def report_notices_send(*, today: date | None = None, dry_run: bool = False) -> list[Notice]:
    """Send the notices due on `today` (default: the local date) and record each; with `dry_run`, only list them.

    Each notice is recorded right after it is sent, so a run stopped half-way (a mail server down) sends the rest,
    and nothing twice, when it runs again. A sending run is audited as `report.notify` with its counts."""
    today = today or timezone.localdate()
    notices = report_notices_due(today)
    if dry_run:
        return notices
    if notices:
        logger.info("report notices of %s go by email only: staff accounts have no phone number", today)
    outbox = backend()
    for notice in notices:
        _send(outbox, notice)
        ReportNotice.objects.create(
            plan=notice.plan,
            unit=notice.unit,
            period=notice.period,
            kind=notice.kind,
            sent_on=today,
            recipients=len(notice.recipients),
        )
    kinds = Counter(str(notice.kind) for notice in notices)
    details: dict[str, object] = {kind: kinds[kind] for kind in ReportNotice.Kind.values}
    details |= {"today": today.isoformat(), "recipients": sum(len(n.recipients) for n in notices)}
    with transaction.atomic():
        audit_record(actor=None, action="report.notify", object_type="monitoring.reportnotice", details=details)
    return notices
