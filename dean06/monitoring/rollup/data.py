"""What the provincial roll-up report of a month says, gathered once for the DOCX, XLSX, PDF and the preview.

The units' figures come from the latest version of each submitted or accepted monthly report (a returned
version was sent back as deficient, so it is left out); KPIs and the Decision 766 index are computed live.
docs/monitoring.md ("Provincial roll-up report").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dean06.core.access import require_permission, visible_to
from dean06.core.errors import ApplicationError
from dean06.core.roles import Permission
from dean06.monitoring.index766 import PeriodError, PeriodType, index766_communes, index766_for, period_parse
from dean06.monitoring.kpis import kpis_for
from dean06.monitoring.models import MonthlyReport, Plan, PlanTask, ReportVersion
from dean06.monitoring.reports import month_label, report_due_on, reporting_units, reports_late
from dean06.monitoring.rollup.text import NO_DATA, date_line, date_vi, number_vi
from dean06.monitoring.selectors import FINISHED
from dean06.registry.models import AdministrativeUnit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User

    Actor = User | AnonymousUser

RANKED = 5  # the best and the worst communes shown
# Reports whose latest version counts in the roll-up.
COUNTED = (MonthlyReport.Status.SUBMITTED, MonthlyReport.Status.ACCEPTED)


class RollupPeriodError(ApplicationError):
    default_message = _("Kỳ báo cáo phải là một tháng dạng YYYY-MM, ví dụ 2026-10.")


@dataclass(frozen=True)
class Header:
    """The document's header and closing block, from settings (MONITORING_ROLLUP_*)."""

    governing_body: str
    issuing_body: str
    number: str
    place: str
    province_name: str
    signer_authority: str
    signer_title: str
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class Reporting:
    expected: int
    accepted: int
    submitted: int
    returned: int
    not_reported: int
    late: int
    due_on: date
    late_units: tuple[str, ...]

    def rows(self) -> list[tuple[str, int]]:
        return [
            ("Số đơn vị cấp xã phải báo cáo", self.expected),
            ("Đã tiếp nhận", self.accepted),
            ("Đã gửi, đang xem xét", self.submitted),
            ("Trả lại để hoàn thiện", self.returned),
            ("Chưa gửi báo cáo", self.not_reported),
            (f"Chưa gửi, quá hạn ({date_vi(self.due_on)})", self.late),
        ]


@dataclass(frozen=True)
class UnitFigure:
    """One commune's line on one task, from its report's latest version."""

    unit_name: str
    status: str
    percent: int | None
    done: str
    difficulties: str
    proposals: str


@dataclass(frozen=True)
class TaskRollup:
    code: str
    group: str
    title: str
    lead: str
    status: str
    finished: bool
    deadline: str
    reported_by_communes: bool
    units: tuple[UnitFigure, ...]

    @property
    def by_status(self) -> list[tuple[str, int]]:
        return sorted(Counter(u.status for u in self.units).items())

    @property
    def average_percent(self) -> float | None:
        percents = [u.percent for u in self.units if u.percent is not None]
        return sum(percents) / len(percents) if percents else None

    @property
    def situation(self) -> str:
        """The "Tình hình thực hiện" cell: the reporting units' statuses, or the task's own status when only the
        working group follows it (no commune reports on it and no department has)."""
        if not (self.reported_by_communes or self.units):
            return self.status
        if not self.units:
            return "Chưa có đơn vị báo cáo"
        counts = "; ".join(f"{status}: {count}" for status, count in self.by_status)
        return f"{len(self.units)} đơn vị báo cáo ({counts})"

    @property
    def average_text(self) -> str:
        average = self.average_percent
        return "" if average is None else f"{number_vi(average, 1)} %"

    def texts(self, field: str) -> list[tuple[str, str]]:
        """(commune, text) of the units that wrote something in `field` ("done", "difficulties", "proposals")."""
        return [(u.unit_name, str(getattr(u, field))) for u in self.units if str(getattr(u, field)).strip()]


@dataclass(frozen=True)
class KpiLine:
    code: str
    name: str
    figures: str
    value: float | None
    lower_bound: bool
    reason: str

    @property
    def display(self) -> str:
        if self.value is None:
            return self.reason or NO_DATA
        return f"{'≥ ' if self.lower_bound else ''}{number_vi(self.value)} %"


@dataclass(frozen=True)
class GroupScore:
    name: str
    score: float | None
    maximum: float

    @property
    def display(self) -> str:
        return "chưa tính được" if self.score is None else number_vi(self.score)

    @property
    def maximum_display(self) -> str:
        return number_vi(self.maximum)


@dataclass(frozen=True)
class Ranked:
    rank: int
    unit_name: str
    total: float

    @property
    def display(self) -> str:
        return number_vi(self.total)


@dataclass(frozen=True)
class IndexSummary:
    total: float
    groups: tuple[GroupScore, ...]
    top: tuple[Ranked, ...]
    bottom: tuple[Ranked, ...]

    @property
    def total_display(self) -> str:
        return number_vi(self.total)

    @property
    def blocks(self) -> list[tuple[str, tuple[Ranked, ...]]]:
        return [("Các xã, phường điểm cao nhất:", self.top), ("Các xã, phường điểm thấp nhất:", self.bottom)]


@dataclass(frozen=True)
class Issue:
    unit_name: str
    task_code: str
    text: str


@dataclass(frozen=True)
class Rollup:
    header: Header
    plan_id: int
    plan_code: str
    plan_title: str
    period: str
    issued_on: date
    unit_code: str
    unit_name: str
    reporting: Reporting
    tasks: tuple[TaskRollup, ...]
    kpis: tuple[KpiLine, ...]
    index766: IndexSummary

    @property
    def month_label(self) -> str:
        return month_label(self.period)

    @property
    def subject(self) -> str:
        return f"Kết quả triển khai Đề án 06 tháng {self.month_label}"

    @property
    def opening(self) -> str:
        plan = self.plan_title[:1].lower() + self.plan_title[1:]
        return (
            f"Thực hiện {plan}, Tổ công tác báo cáo kết quả triển khai Đề án 06 trên địa bàn tỉnh "
            f"{self.header.province_name} tháng {self.month_label} như sau:"
        )

    @property
    def date_line(self) -> str:
        return date_line(self.header.place, self.issued_on)

    @property
    def groups(self) -> list[tuple[str, list[TaskRollup]]]:
        """The tasks by group, in document order."""
        grouped: dict[str, list[TaskRollup]] = {}
        for task in self.tasks:
            grouped.setdefault(task.group, []).append(task)
        return list(grouped.items())

    def issues(self, field: str) -> list[Issue]:
        return [Issue(unit, task.code, text) for task in self.tasks for unit, text in task.texts(field)]

    @property
    def done(self) -> list[Issue]:
        return self.issues("done")

    @property
    def difficulties(self) -> list[Issue]:
        return self.issues("difficulties")

    @property
    def proposals(self) -> list[Issue]:
        return self.issues("proposals")

    @property
    def issue_blocks(self) -> list[tuple[str, list[Issue]]]:
        return [("1. Khó khăn, vướng mắc", self.difficulties), ("2. Đề xuất, kiến nghị", self.proposals)]

    @property
    def next_tasks(self) -> list[TaskRollup]:
        """Tasks neither done nor closed, with their deadlines: the next month's work."""
        return [task for task in self.tasks if not task.finished]


def rollup_header() -> Header:
    return Header(
        governing_body=settings.MONITORING_ROLLUP_GOVERNING_BODY,
        issuing_body=settings.MONITORING_ROLLUP_ISSUING_BODY,
        number=f"Số: …/{settings.MONITORING_ROLLUP_NUMBER_SYMBOL}",
        place=settings.MONITORING_ROLLUP_PLACE,
        province_name=settings.MONITORING_ROLLUP_PROVINCE_NAME,
        signer_authority=settings.MONITORING_ROLLUP_SIGNER_AUTHORITY,
        signer_title=settings.MONITORING_ROLLUP_SIGNER_TITLE,
        recipients=tuple(settings.MONITORING_ROLLUP_RECIPIENTS),
    )


def rollup_plans(*, actor: Actor) -> QuerySet[Plan]:
    """The plans whose units' reports the actor reviews (the working group's)."""
    return visible_to(Plan.objects.select_related("unit"), actor=actor, permission=Permission.REPORT_REVIEW)


def rollup_period_check(period: str) -> str:
    """`period` if it is a month "YYYY-MM"; RollupPeriodError otherwise."""
    try:
        return period_parse(period, PeriodType.MONTH).label
    except PeriodError as exc:
        raise RollupPeriodError() from exc


def _latest_contents(plan: Plan, period: str) -> tuple[list[MonthlyReport], dict[int, dict[str, Any]]]:
    """The period's reports of the plan's communes and, by report id, the content of the latest version of each
    counted one. The caller holds report.review over the plan's unit, hence over every one of these reports."""
    reports = MonthlyReport.objects.filter(plan=plan, period=period, unit__path__startswith=plan.unit.path)
    reports = reports.select_related("unit", "organisation")
    contents: dict[int, dict[str, Any]] = {}
    versions = ReportVersion.objects.filter(report__in=[r for r in reports if r.status in COUNTED])
    for version in versions.order_by("report_id", "number"):
        contents[version.report_id] = version.content  # the last one wins
    return list(reports), contents


def _reporting(
    plan: Plan, period: str, communes: list[AdministrativeUnit], reports: list[MonthlyReport], today: date
) -> Reporting:
    expected = {u.pk for u in communes}
    statuses = Counter(r.status for r in reports if r.unit_id in expected)
    late = reports_late(plan, period, today)
    return Reporting(
        expected=len(expected),
        accepted=statuses[MonthlyReport.Status.ACCEPTED],
        submitted=statuses[MonthlyReport.Status.SUBMITTED],
        returned=statuses[MonthlyReport.Status.RETURNED],
        not_reported=len(expected) - sum(statuses[s] for s in (*COUNTED, MonthlyReport.Status.RETURNED)),
        late=len(late),
        due_on=report_due_on(period),
        late_units=tuple(unit.name for unit in late),
    )


def _figures(reports: list[MonthlyReport], contents: dict[int, dict[str, Any]]) -> dict[int, list[UnitFigure]]:
    """By task id, the communes' lines, in commune order."""
    figures: dict[int, list[UnitFigure]] = {}
    # The communes in code order, then the departments by name.
    for report in sorted(reports, key=lambda r: (r.organisation_id is not None, r.unit.code, r.reporter_name)):
        for row in contents.get(report.pk, {}).get("tasks", []):
            status = row.get("status")
            figures.setdefault(row["task_id"], []).append(
                UnitFigure(
                    unit_name=report.reporter_name,
                    status=str(PlanTask.Status(status).label) if status in PlanTask.Status.values else "",
                    percent=row.get("percent"),
                    done=row.get("done", ""),
                    difficulties=row.get("difficulties", ""),
                    proposals=row.get("proposals", ""),
                )
            )
    return figures


def _tasks(plan: Plan, figures: dict[int, list[UnitFigure]]) -> tuple[TaskRollup, ...]:
    tasks = PlanTask.objects.filter(plan=plan).select_related("group").order_by("group__order", "order")
    return tuple(
        TaskRollup(
            code=task.code,
            group=str(task.group),
            title=task.title,
            lead=task.lead_unit_name,
            status=task.get_status_display(),
            finished=task.status in FINISHED,
            deadline=date_vi(task.deadline) if task.deadline else task.deadline_text,
            reported_by_communes=task.reported_by_communes,
            units=tuple(figures.get(task.pk, [])),  # the communes' and the departments' lines
        )
        for task in tasks
    )


def _kpis(unit_code: str, period: str) -> tuple[KpiLine, ...]:
    return tuple(
        KpiLine(kpi.code, kpi.name, _ratio(kpi.numerator, kpi.denominator), kpi.value, kpi.lower_bound, kpi.reason)
        for kpi in kpis_for(unit_code, period).kpis
    )


def _ratio(numerator: int | None, denominator: int | None) -> str:
    if numerator is None and denominator is None:
        return "—"
    return " / ".join("—" if n is None else str(n) for n in (numerator, denominator))


def _index766(plan: Plan, communes: list[AdministrativeUnit], period: str, today: date) -> IndexSummary:
    """The plan unit's index, and its communes ranked as selectors.index766_ranking does (best first)."""
    index = index766_for(unit_code=plan.unit.code, period=period, today=today)
    indexes = index766_communes(province=plan.unit, communes=communes, period=index.period, today=today)
    indexes.sort(key=lambda i: (-i.total, i.unit_name))
    ranking = [Ranked(n, i.unit_name, round(i.total, 2)) for n, i in enumerate(indexes, start=1)]
    return IndexSummary(
        total=index.total,
        groups=tuple(GroupScore(g.name, g.score, g.maximum) for g in index.groups),
        top=tuple(ranking[:RANKED]),
        bottom=tuple(ranking[max(RANKED, len(ranking) - RANKED) :]),  # never a commune of the top again
    )


def rollup_build(*, actor: Actor | None, plan: Plan, period: str, today: date | None = None) -> Rollup:
    """The roll-up of `plan` for the month `period` ("YYYY-MM"); needs report.review over the plan's unit.
    `actor` None is the command line: a shell on the server is trusted, as for `dean06 plans load`."""
    if actor is not None:
        require_permission(actor, Permission.REPORT_REVIEW, unit_path=plan.unit.path)
    period = rollup_period_check(period)
    today = today or timezone.localdate()
    communes = reporting_units(plan)
    reports, contents = _latest_contents(plan, period)
    return Rollup(
        header=rollup_header(),
        plan_id=plan.pk,
        plan_code=plan.code,
        plan_title=plan.title,
        period=period,
        issued_on=today,
        unit_code=plan.unit.code,
        unit_name=plan.unit.name,
        reporting=_reporting(plan, period, communes, reports, today),
        tasks=_tasks(plan, _figures(reports, contents)),
        kpis=_kpis(plan.unit.code, period),
        index766=_index766(plan, communes, period, today),
    )


def rollup_plan_get(code: str) -> Plan | None:
    """A plan by its code, for the command line (no actor)."""
    return Plan.objects.select_related("unit").filter(code=code).first()
