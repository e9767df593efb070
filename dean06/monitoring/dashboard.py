"""Dashboards of Đề án 06: the working group's province dashboard and one unit's dashboard.

Plan progress, overdue tasks, the state of the monthly reports, the KPI trend and the 766 standing, read through
the monitoring selectors, kpis.py, index766.py and reports.py and scoped to the units where the actor holds
monitoring.view. Counts, units and task titles only: no person. docs/monitoring.md ("Dashboards").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dean06.core.access import visible_to
from dean06.core.audit import audit_record
from dean06.core.charts import BarChart, Line, PercentChart, bar_chart, percent_chart
from dean06.core.errors import ApplicationError, NotFoundError
from dean06.core.roles import Permission
from dean06.core.xlsx import Sheet, Value, xlsx_tables
from dean06.monitoring.index766 import Period, PeriodError, PeriodType, index766_compute, period_parse
from dean06.monitoring.kpis import kpi_history
from dean06.monitoring.models import MonthlyReport, Plan, PlanTask, ReportVersion
from dean06.monitoring.reports import previous_period, report_due_on
from dean06.monitoring.selectors import (
    RankedUnit,
    index766_ranking,
    index_unit_list,
    plan_list,
    report_plans,
    task_is_overdue,
)
from dean06.registry.models import AdministrativeUnit
from dean06.registry.models.units import Level

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User

    type Actor = User | AnonymousUser

# The four KPIs of the trend, with the stylesheet class of each line.
TREND_KPIS: Final = (
    ("EID_LEVEL2_ADULTS", "line-eid"),
    ("DOSSIER_ONLINE", "line-online"),
    ("DOSSIER_DIGITISED", "line-digitised"),
    ("RESULT_ELECTRONIC", "line-electronic"),
)
TREND_MONTHS: Final = 12
UNIT_REPORT_MONTHS: Final = 6
RANKING_CHART_TOP: Final = 10


class DashboardPeriodError(ApplicationError):
    default_message = _("Kỳ phải là một tháng, dạng YYYY-MM (ví dụ 2026-10).")


def dashboard_period(text: str | None, today: date | None = None) -> Period:
    """The month asked for ("2026-10"), or last month: the month whose reports are due this month."""
    if not text:
        text = previous_period(today or timezone.localdate())
    try:
        return period_parse(text, PeriodType.MONTH)
    except PeriodError as exc:
        raise DashboardPeriodError() from exc


def _months(period: Period, count: int) -> list[Period]:
    """`count` months ending with `period`, oldest first."""
    year, month = period.first_day.year, period.first_day.month
    labels = []
    for _n in range(count):
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return [period_parse(label, PeriodType.MONTH) for label in reversed(labels)]


def dashboard_units(*, actor: Actor) -> list[AdministrativeUnit]:
    """The province and communes whose dashboard the actor may open, province first."""
    return list(index_unit_list(actor=actor).select_related("parent"))


def dashboard_unit_get(*, actor: Actor, code: str | None = None) -> AdministrativeUnit:
    """The unit `code`, or the actor's top unit; NotFoundError alike for an unknown unit and one outside theirs."""
    units = index_unit_list(actor=actor).select_related("parent")
    unit = units.filter(code=code).first() if code else units.first()
    if unit is None:
        raise NotFoundError()
    return unit


# Plan progress and overdue tasks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class PlanProgress:
    plan_id: int
    code: str
    title: str
    unit_name: str
    total: int
    by_status: tuple[StatusCount, ...]
    finished: int  # done or closed
    overdue: int
    commune_tasks: int  # tasks the communes report on monthly
    commune_reports: int  # communes' reports of the period counted in the average
    commune_percent: float | None  # None: no report of the period mentions those tasks

    @property
    def statuses_present(self) -> list[StatusCount]:
        return [s for s in self.by_status if s.count]

    @property
    def finished_percent(self) -> float | None:
        return 100 * self.finished / self.total if self.total else None


@dataclass(frozen=True)
class OverdueTask:
    plan_code: str
    code: str
    title: str
    lead: str
    deadline: date
    days_overdue: int


def _active_plans(actor: Actor) -> list[Plan]:
    return list(plan_list(actor=actor).filter(status=Plan.Status.ACTIVE).order_by("-year", "code"))


def _latest_versions(actor: Actor, reports: Q) -> list[dict[str, Any]]:
    """The last version of each report matching `reports` that the actor may see, as plain values."""
    versions = visible_to(ReportVersion.objects.filter(reports), actor=actor, permission=Permission.MONITORING_VIEW)
    rows = versions.order_by("report_id", "number").values(
        "report_id", "report__plan_id", "report__unit_id", "report__period", "number", "submitted_at", "content"
    )
    latest: dict[int, dict[str, Any]] = {}
    for row in rows:
        latest[row["report_id"]] = dict(row)  # ordered by number: the last one stays
    return list(latest.values())


def _task_percents(version: dict[str, Any], task_ids: set[int]) -> dict[int, int]:
    entries = version["content"].get("tasks", []) if isinstance(version["content"], dict) else []
    return {
        entry["task_id"]: entry["percent"]
        for entry in entries
        if entry.get("task_id") in task_ids and isinstance(entry.get("percent"), int)
    }


def plan_progress(
    *, actor: Actor, period: Period, today: date | None = None
) -> tuple[list[PlanProgress], list[OverdueTask]]:
    """Each active plan's tasks by status, done share and overdue count, with the communes' average percent of
    `period` on the tasks they report on; and the overdue tasks, most overdue first. A fixed number of queries."""
    today = today or timezone.localdate()
    plans = _active_plans(actor)
    tasks = visible_to(
        PlanTask.objects.filter(plan__in=plans).only(
            "pk", "plan_id", "code", "title", "lead_unit_name", "deadline", "status", "reported_by_communes"
        ),
        actor=actor,
        permission=Permission.MONITORING_VIEW,
    ).order_by("plan_id", "group__order", "order")
    by_plan: dict[int, list[PlanTask]] = {}
    for task in tasks:
        by_plan.setdefault(task.plan_id, []).append(task)
    communes_only = Q(report__organisation=None)  # a department's own report is not a commune's figure
    versions = _latest_versions(actor, Q(report__plan__in=plans, report__period=period.label) & communes_only)
    progress, overdue = [], []
    for plan in plans:
        plan_tasks = by_plan.get(plan.pk, [])
        statuses = Counter(task.status for task in plan_tasks)
        late = [task for task in plan_tasks if task_is_overdue(task, today)]
        overdue += [
            OverdueTask(plan.code, t.code, t.title, t.lead_unit_name, t.deadline, (today - t.deadline).days)
            for t in late
            if t.deadline is not None
        ]
        reported = {task.pk for task in plan_tasks if task.reported_by_communes}
        percents = [
            percent
            for version in versions
            if version["report__plan_id"] == plan.pk
            for percent in _task_percents(version, reported).values()
        ]
        progress.append(
            PlanProgress(
                plan_id=plan.pk,
                code=plan.code,
                title=plan.title,
                unit_name=plan.unit.name,
                total=len(plan_tasks),
                by_status=tuple(StatusCount(s, str(label), statuses[s]) for s, label in PlanTask.Status.choices),
                finished=statuses[PlanTask.Status.DONE] + statuses[PlanTask.Status.CLOSED],
                overdue=len(late),
                commune_tasks=len(reported),
                commune_reports=sum(1 for v in versions if v["report__plan_id"] == plan.pk),
                commune_percent=sum(percents) / len(percents) if percents else None,
            )
        )
    overdue.sort(key=lambda t: (-t.days_overdue, t.plan_code, t.code))
    return progress, overdue


# Monthly reports ----------------------------------------------------------------------------------------------


class ReportState(StrEnum):
    ACCEPTED = "accepted"
    SUBMITTED = "submitted"
    RETURNED = "returned"  # waiting for the unit to submit again
    PENDING = "pending"  # nothing submitted, not yet due
    LATE = "late"  # nothing submitted after the due day


REPORT_STATE_LABELS: Final = {
    ReportState.ACCEPTED: _("Đã tiếp nhận"),
    ReportState.SUBMITTED: _("Đã gửi, chờ xem xét"),
    ReportState.RETURNED: _("Bị trả lại, chờ gửi lại"),
    ReportState.PENDING: _("Chưa gửi (còn hạn)"),
    ReportState.LATE: _("Chậm gửi (quá hạn)"),
}
_REPORTED: Final[dict[str, ReportState]] = {
    MonthlyReport.Status.ACCEPTED: ReportState.ACCEPTED,
    MonthlyReport.Status.SUBMITTED: ReportState.SUBMITTED,
    MonthlyReport.Status.RETURNED: ReportState.RETURNED,
}


@dataclass(frozen=True)
class ReportCell:
    unit_code: str
    unit_name: str
    plan_code: str
    period: str
    due_on: date
    state: ReportState
    versions: int
    submitted_at: datetime | None  # of the latest version

    @property
    def label(self) -> str:
        return str(REPORT_STATE_LABELS[self.state])


@dataclass(frozen=True)
class ReportStatus:
    plan_code: str
    plan_title: str
    period: str
    due_on: date
    rows: list[ReportCell]

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        found = Counter(row.state for row in self.rows)
        return [(state.value, str(label), found[state]) for state, label in REPORT_STATE_LABELS.items()]


def _report_cells(
    actor: Actor, plans: list[Plan], units: list[AdministrativeUnit], periods: list[Period], today: date
) -> list[ReportCell]:
    """The state of every (plan, unit, period) report, in that order; three queries whatever the sizes."""
    labels = [p.label for p in periods]
    which = Q(plan__in=plans, unit__in=units, period__in=labels)
    reports = visible_to(MonthlyReport.objects.filter(which), actor=actor, permission=Permission.MONITORING_VIEW)
    found = {(r.plan_id, r.unit_id, r.period): r for r in reports}
    latest = {
        v["report_id"]: v
        for v in _latest_versions(actor, Q(report__plan__in=plans, report__unit__in=units, report__period__in=labels))
    }
    cells = []
    for plan in plans:
        for unit in units:
            for label in labels:
                due_on = report_due_on(label)
                report = found.get((plan.pk, unit.pk, label))
                version = latest.get(report.pk) if report else None
                state = _REPORTED.get(report.status) if report and version else None
                if state is None:
                    state = ReportState.LATE if today > due_on else ReportState.PENDING
                cells.append(
                    ReportCell(
                        unit_code=unit.code,
                        unit_name=unit.name,
                        plan_code=plan.code,
                        period=label,
                        due_on=due_on,
                        state=state,
                        versions=version["number"] if version else 0,
                        submitted_at=version["submitted_at"] if version else None,
                    )
                )
    return cells


def _communes(actor: Actor, unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    if unit.level == Level.COMMUNE:
        return [unit]
    return list(index_unit_list(actor=actor).filter(level=Level.COMMUNE, path__startswith=unit.path))


def report_status(*, actor: Actor, unit: AdministrativeUnit, period: Period, today: date) -> list[ReportStatus]:
    """For each plan the unit's communes report on, the state of every visible commune's report of `period`."""
    communes = _communes(actor, unit)
    statuses = []
    for plan in report_plans(unit=unit):
        rows = _report_cells(actor, [plan], communes, [period], today)
        statuses.append(ReportStatus(plan.code, plan.title, period.label, report_due_on(period.label), rows))
    return statuses


# Tasks a commune reports on -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportedTask:
    plan_code: str
    code: str
    title: str
    status: str  # the unit's own status in its report, or ""
    percent: int | None  # the unit's latest reported percent; None: never reported
    period: str  # of that report


def reported_tasks(*, actor: Actor, unit: AdministrativeUnit, plans: list[Plan], period: Period) -> list[ReportedTask]:
    """The tasks of `plans` the communes report on, each with `unit`'s latest percent up to `period`."""
    tasks = list(
        PlanTask.objects.filter(plan__in=plans, reported_by_communes=True)
        .select_related("plan")
        .order_by("plan__code", "group__order", "order")
    )
    ids = {task.pk for task in tasks}
    mine = Q(report__plan__in=plans, report__unit=unit, report__period__lte=period.label, report__organisation=None)
    versions = _latest_versions(actor, mine)
    versions.sort(key=lambda v: v["report__period"])
    latest: dict[int, tuple[dict[str, Any], str]] = {}
    for version in versions:  # oldest period first: a later report replaces an earlier one
        entries = version["content"].get("tasks", []) if isinstance(version["content"], dict) else []
        for entry in entries:
            if entry.get("task_id") in ids:
                latest[entry["task_id"]] = (entry, version["report__period"])
    rows = []
    for task in tasks:
        entry, label = latest.get(task.pk, ({}, ""))
        status = entry.get("status", "")
        percent = entry.get("percent")
        rows.append(
            ReportedTask(
                plan_code=task.plan.code,
                code=task.code,
                title=task.title,
                status=str(PlanTask.Status(status).label) if status in PlanTask.Status.values else "",
                percent=percent if isinstance(percent, int) else None,
                period=label,
            )
        )
    return rows


# KPI trend ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiCell:
    name: str
    value: float | None  # None: no data yet (`reason`)
    lower_bound: bool
    reason: str


@dataclass(frozen=True)
class KpiMonth:
    period: str  # "2026-10"
    label: str  # "10/2026"
    cells: tuple[KpiCell, ...]


@dataclass(frozen=True)
class KpiTrend:
    names: tuple[tuple[str, str, str], ...]  # (code, name, css class), in TREND_KPIS order
    months: list[KpiMonth]
    chart: PercentChart | None  # None when no month has any figure


def gapped_chart(labels: list[str], series: list[tuple[str, str, list[float | None]]]) -> PercentChart | None:
    """A percent chart where a missing value is a gap in its line, never a point at 0.

    `percent_chart` takes only numbers and joins every point of a line, so it is asked to place every point and
    the months without a value are then dropped, each run of months with data becoming its own line (same name
    and class). None when there is nothing to draw."""
    if all(value is None for _name, _css, values in series for value in values):
        return None
    placed = percent_chart(labels, [(name, css, [value or 0.0 for value in values]) for name, css, values in series])
    lines: list[Line] = []
    for line, (_name, _css, values) in zip(placed.lines, series, strict=True):
        run: list[Any] = []
        for point, value in [*zip(line.points, values, strict=True), (None, None)]:
            if value is not None:
                run.append(point)
            elif run:
                lines.append(Line(line.name, line.css_class, tuple(run)))
                run = []
    return replace(placed, lines=tuple(lines))


def kpi_trend(*, unit: AdministrativeUnit, period: Period, months: int = TREND_MONTHS) -> KpiTrend:
    """The four headline KPIs of `unit` for the `months` months ending with `period`, as a chart and a table."""
    history = kpi_history(unit.code, months, until=period.last_day)
    names = tuple((code, history[-1].get(code).name, css) for code, css in TREND_KPIS) if history else ()
    rows = []
    for kpi_set in history:
        cells = tuple(
            KpiCell(kpi.name, kpi.value, kpi.lower_bound, kpi.reason)
            for kpi in (kpi_set.get(code) for code, _ in TREND_KPIS)
        )
        day = kpi_set.period.first_day
        rows.append(KpiMonth(kpi_set.period.label, day.strftime("%m/%Y"), cells))
    series = [(name, css, [row.cells[i].value for row in rows]) for i, (_code, name, css) in enumerate(names)]
    chart = gapped_chart([row.label for row in rows], series) if rows else None
    return KpiTrend(names, rows, chart)


# Decision 766 -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing766:
    period: str
    total: float | None  # the unit's total
    rank: int | None  # among the ranked communes; None for the province, or when only this commune is visible
    ranking: list[RankedUnit]
    chart: BarChart | None  # the best communes


def index766_standing(*, actor: Actor, unit: AdministrativeUnit, period: Period) -> Standing766:
    """The unit's 766 total for the month, the ranking of the province's communes the actor may see (its rank
    among them) and a bar chart of the best ones."""
    province = unit if unit.level == Level.PROVINCE else unit.parent
    ranking = index766_ranking(actor=actor, province=province, period=period) if province else []
    own = next((row for row in ranking if row.unit_code == unit.code), None)
    total = own.total if own else round(index766_compute(unit=unit, period=period).total, 2)
    top = ranking[:RANKING_CHART_TOP]
    chart = bar_chart([(row.unit_name, row.total, 100.0) for row in top], scale_to=100.0) if top else None
    rank = own.rank if own and len(ranking) > 1 else None
    return Standing766(period.label, total, rank, ranking, chart)


# The two dashboards -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """One table of a dashboard as the export writes it: headers and rows of plain values."""

    title: str
    headers: list[str]
    rows: list[list[Value]] = field(default_factory=list)


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return (timezone.localtime(value) if isinstance(value, datetime) else value).strftime("%d/%m/%Y")


def _kpi_table(trend: KpiTrend) -> Table:
    headers = [str(_("Tháng")), *(f"{name} (%)" for _code, name, _css in trend.names)]
    rows: list[list[Value]] = [
        [m.label, *(None if c.value is None else round(c.value, 2) for c in m.cells)] for m in trend.months
    ]
    return Table(str(_("Chỉ tiêu theo tháng")), headers, rows)


def _ranking_table(standing: Standing766) -> Table:
    headers = [str(_("Hạng")), str(_("Mã")), str(_("Xã, phường")), str(_("Tổng điểm"))]
    rows: list[list[Value]] = [[r.rank, r.unit_code, r.unit_name, r.total] for r in standing.ranking]
    return Table(str(_("Xếp hạng chỉ số 766")), headers, rows)


def _report_table(statuses: list[ReportStatus] | list[ReportCell], by_unit: bool) -> Table:
    cells = [c for s in statuses for c in (s.rows if isinstance(s, ReportStatus) else [s])]
    first = str(_("Xã, phường")) if by_unit else str(_("Kỳ"))
    headers = [
        str(_("Kế hoạch")),
        first,
        str(_("Tình trạng")),
        str(_("Hạn gửi")),
        str(_("Lần gửi")),
        str(_("Ngày gửi")),
    ]
    rows: list[list[Value]] = [
        [c.plan_code, c.unit_name if by_unit else c.period, c.label, _day(c.due_on), c.versions, _day(c.submitted_at)]
        for c in cells
    ]
    return Table(str(_("Tình trạng báo cáo tháng")), headers, rows)


@dataclass(frozen=True)
class ProvinceDashboard:
    unit: AdministrativeUnit
    period: Period
    today: date
    plans: list[PlanProgress]
    overdue: list[OverdueTask]
    reports: list[ReportStatus]
    kpis: KpiTrend
    index766: Standing766

    def tables(self) -> dict[str, Table]:
        plans = Table(
            str(_("Tiến độ kế hoạch")),
            [
                str(_("Kế hoạch")),
                str(_("Số nhiệm vụ")),
                *(str(label) for label in PlanTask.Status.labels),
                str(_("Hoàn thành (%)")),
                str(_("Quá hạn")),
                str(_("Tỷ lệ bình quân các xã báo cáo (%)")),
            ],
            [
                [
                    p.code,
                    p.total,
                    *(s.count for s in p.by_status),
                    None if p.finished_percent is None else round(p.finished_percent, 1),
                    p.overdue,
                    None if p.commune_percent is None else round(p.commune_percent, 1),
                ]
                for p in self.plans
            ],
        )
        tasks = Table(
            str(_("Nhiệm vụ quá hạn")),
            [
                str(_("Kế hoạch")),
                str(_("Mã")),
                str(_("Nhiệm vụ")),
                str(_("Chủ trì")),
                str(_("Thời hạn")),
                str(_("Số ngày quá hạn")),
            ],
            [[t.plan_code, t.code, t.title, t.lead, _day(t.deadline), t.days_overdue] for t in self.overdue],
        )
        return {
            "plans": plans,
            "tasks": tasks,
            "reports": _report_table(self.reports, by_unit=True),
            "kpis": _kpi_table(self.kpis),
            "ranking": _ranking_table(self.index766),
        }


@dataclass(frozen=True)
class UnitDashboard:
    unit: AdministrativeUnit
    period: Period
    today: date
    reports: list[ReportCell]  # by plan, then month (oldest first)
    tasks: list[ReportedTask]
    kpis: KpiTrend
    index766: Standing766

    def tables(self) -> dict[str, Table]:
        tasks = Table(
            str(_("Nhiệm vụ xã, phường báo cáo")),
            [
                str(_("Kế hoạch")),
                str(_("Mã")),
                str(_("Nhiệm vụ")),
                str(_("Trạng thái")),
                str(_("Tỷ lệ (%)")),
                str(_("Kỳ")),
            ],
            [[t.plan_code, t.code, t.title, t.status, t.percent, t.period] for t in self.tasks],
        )
        return {
            "reports": _report_table(self.reports, by_unit=False),
            "tasks": tasks,
            "kpis": _kpi_table(self.kpis),
            "ranking": _ranking_table(self.index766),
        }


type Dashboard = ProvinceDashboard | UnitDashboard


def dashboard_for(*, actor: Actor, unit: AdministrativeUnit, period: Period, today: date | None = None) -> Dashboard:
    """The province dashboard for a province, a unit dashboard for a commune."""
    today = today or timezone.localdate()
    if unit.level == Level.PROVINCE:
        plans, overdue = plan_progress(actor=actor, period=period, today=today)
        return ProvinceDashboard(
            unit=unit,
            period=period,
            today=today,
            plans=plans,
            overdue=overdue,
            reports=report_status(actor=actor, unit=unit, period=period, today=today),
            kpis=kpi_trend(unit=unit, period=period),
            index766=index766_standing(actor=actor, unit=unit, period=period),
        )
    reporting = report_plans(unit=unit)
    return UnitDashboard(
        unit=unit,
        period=period,
        today=today,
        reports=_report_cells(actor, reporting, [unit], _months(period, UNIT_REPORT_MONTHS), today),
        tasks=reported_tasks(actor=actor, unit=unit, plans=reporting, period=period),
        kpis=kpi_trend(unit=unit, period=period),
        index766=index766_standing(actor=actor, unit=unit, period=period),
    )


# Export -------------------------------------------------------------------------------------------------------


class UnknownTableError(NotFoundError):
    pass


def dashboard_export(*, actor: User, dashboard: Dashboard, table: str) -> bytes:
    """One table of the dashboard as an XLSX workbook (text through `cell()`, numbers as numbers); audited."""
    tables = dashboard.tables()
    if table not in tables:
        raise UnknownTableError()
    chosen = tables[table]
    content = xlsx_tables([Sheet(chosen.title, chosen.headers, chosen.rows)])
    with transaction.atomic():
        details = {"table": table, "period": dashboard.period.label, "rows": len(chosen.rows)}
        audit_record(actor=actor, action="dashboard.export", obj=dashboard.unit, details=details)
    return content
