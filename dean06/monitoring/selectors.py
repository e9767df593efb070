"""Reads of the monitoring app: plans, their tasks and the units a 766 index may be asked for, all scoped to
the units where the actor holds monitoring.view. No personal data is read here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dean06.core.access import access_by_id, granted_unit_paths, has_permission, visible_to
from dean06.core.errors import NotFoundError, PermissionDeniedError
from dean06.core.roles import Permission
from dean06.monitoring.index766 import Period, index766_communes
from dean06.monitoring.models import MonthlyReport, Plan, PlanGroup, PlanTask, ReportVersion
from dean06.registry.models import AdministrativeUnit, Organisation
from dean06.registry.models.units import Era, Level
from dean06.text import name_key

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User

    Actor = User | AnonymousUser

FINISHED = (PlanTask.Status.DONE, PlanTask.Status.CLOSED)


def plan_list(*, actor: Actor) -> QuerySet[Plan]:
    """The plans of the actor's units, newest year first."""
    plans = Plan.objects.select_related("unit")
    return visible_to(plans, actor=actor, permission=Permission.MONITORING_VIEW)


def plan_get(*, actor: Actor, plan_id: int) -> Plan:
    """One plan; NotFoundError alike for a missing plan and one outside the actor's units."""
    plans = Plan.objects.select_related("unit")
    return access_by_id(plans, actor=actor, permission=Permission.MONITORING_VIEW, pk=plan_id)


def plan_group_list(*, actor: Actor, plan: Plan) -> QuerySet[PlanGroup]:
    groups = PlanGroup.objects.filter(plan=plan)
    return visible_to(groups, actor=actor, permission=Permission.MONITORING_VIEW)


def task_list(
    *,
    actor: Actor,
    plan: Plan,
    group: str | None = None,
    status: str | None = None,
    overdue_only: bool = False,
    today: date | None = None,
) -> QuerySet[PlanTask]:
    """A plan's tasks in document order, optionally of one group (its code), one status, or only the overdue
    ones (a deadline passed and neither done nor closed)."""
    tasks = PlanTask.objects.filter(plan=plan).select_related("group", "lead_organisation")
    if group:
        tasks = tasks.filter(group__code=group)
    if status:
        tasks = tasks.filter(status=status)
    if overdue_only:
        tasks = tasks.filter(deadline__lt=today or timezone.localdate()).exclude(status__in=FINISHED)
    return visible_to(tasks, actor=actor, permission=Permission.MONITORING_VIEW).order_by("group__order", "order")


def task_is_overdue(task: PlanTask, today: date | None = None) -> bool:
    return task.deadline is not None and task.deadline < (today or timezone.localdate()) and task.status not in FINISHED


def index_unit_list(*, actor: Actor) -> QuerySet[AdministrativeUnit]:
    """Today's province and communes inside the actor's units (the choices of the 766 page), province first."""
    return units_with(actor=actor, permission=Permission.MONITORING_VIEW)


@dataclass(frozen=True)
class RankedUnit:
    rank: int
    unit_code: str
    unit_name: str
    total: float


def index766_ranking(
    *, actor: Actor, province: AdministrativeUnit, period: Period, agency: str = ""
) -> list[RankedUnit]:
    """The communes of `province` the actor may see, by their total for the period (of one deciding agency if
    given), best first."""
    communes = list(index_unit_list(actor=actor).filter(level=Level.COMMUNE, parent=province))
    indexes = index766_communes(province=province, communes=communes, period=period, agency=agency)
    indexes.sort(key=lambda index: (-index.total, index.unit_name))
    return [RankedUnit(n, i.unit_code, i.unit_name, round(i.total, 2)) for n, i in enumerate(indexes, start=1)]


# ---- Editing plans -------------------------------------------------------------------------------------------


def units_with(*, actor: Actor, permission: Permission) -> QuerySet[AdministrativeUnit]:
    """Today's province and communes inside the units where the actor holds `permission`, province first."""
    condition = Q()
    for path in granted_unit_paths(actor, permission):
        condition |= Q(path__startswith=path)
    if not condition:
        return AdministrativeUnit.objects.none()
    units = AdministrativeUnit.objects.filter(condition, era=Era.Y2025, level__in=[Level.PROVINCE, Level.COMMUNE])
    return units.order_by("path")


def plan_is_editable(*, actor: Actor, plan: Plan) -> bool:
    return any(plan.unit.path.startswith(path) for path in granted_unit_paths(actor, Permission.PLAN_EDIT))


def parent_plan_choices(*, actor: Actor) -> list[Plan]:
    """Active plans of a unit at or above one the actor may plan for: what a unit's own plan can carry out."""
    paths = granted_unit_paths(actor, Permission.PLAN_EDIT)
    plans = Plan.objects.filter(status=Plan.Status.ACTIVE).select_related("unit")
    return [plan for plan in plans if any(path.startswith(plan.unit.path) for path in paths)]


def organisation_choices(*, plan: Plan) -> QuerySet[Organisation]:
    """The agencies a task of `plan` can be assigned to: those of the plan's unit and below."""
    return Organisation.objects.filter(unit__path__startswith=plan.unit.path).order_by("name")


def task_get_for_edit(*, actor: Actor, task_id: int) -> PlanTask:
    tasks = PlanTask.objects.select_related("plan__unit", "lead_organisation", "group")
    return access_by_id(tasks, actor=actor, permission=Permission.PLAN_EDIT, pk=task_id)


# ---- Monthly reports -----------------------------------------------------------------------------------------


def report_units(*, actor: Actor) -> QuerySet[AdministrativeUnit]:
    """The communes the actor may report for (a commune officer: their own); a department's staff report for
    their department (report_departments), not for the communes."""
    if report_departments(actor=actor):
        return AdministrativeUnit.objects.none()
    return units_with(actor=actor, permission=Permission.REPORT_SUBMIT).filter(level=Level.COMMUNE)


def _own_reports(reports: QuerySet[MonthlyReport], *, actor: Actor) -> QuerySet[MonthlyReport]:
    """The reports the actor may read: all of those in units they review; otherwise their own commune's, or
    their own department's — never another department's."""
    reviewed = visible_to(reports, actor=actor, permission=Permission.REPORT_REVIEW)
    own = visible_to(reports, actor=actor, permission=Permission.REPORT_SUBMIT)
    departments = report_departments(actor=actor)
    own = own.filter(organisation__in=departments) if departments else own.filter(organisation=None)
    return reports.filter(Q(pk__in=reviewed.values("pk")) | Q(pk__in=own.values("pk")))


def report_plans(*, unit: AdministrativeUnit) -> list[Plan]:
    """Active provincial plans over `unit`: the plans it reports on monthly (its own plan is how it carries
    them out, not a second report)."""
    plans = Plan.objects.filter(status=Plan.Status.ACTIVE, unit__level=Level.PROVINCE).select_related("unit")
    plans = plans.order_by("-year", "code")
    return [plan for plan in plans if unit.path.startswith(plan.unit.path)]


def report_tasks(*, plan: Plan) -> list[PlanTask]:
    """The tasks a commune reports on: those marked for the communes, or every task of a plan that marks none;
    closed tasks are left out."""
    tasks = plan.tasks.exclude(status=PlanTask.Status.CLOSED).select_related("group").order_by("group__order", "order")
    marked = [task for task in tasks if task.reported_by_communes]
    return marked or list(tasks)


def plan_tasks(*, plan: Plan) -> list[PlanTask]:
    """Every task of a plan, closed ones too (a report names the tasks it was written on)."""
    return list(plan.tasks.all())


def report_list(*, actor: Actor, period: str = "", status: str = "") -> QuerySet[MonthlyReport]:
    reports = MonthlyReport.objects.select_related("unit", "plan", "organisation")
    reports = _own_reports(reports, actor=actor).annotate(version_count=Count("versions"))
    if period:
        reports = reports.filter(period=period)
    if status:
        reports = reports.filter(status=status)
    return reports.order_by("-period", "unit__code", "organisation__name")


def report_get(*, actor: Actor, report_id: int) -> MonthlyReport:
    reports = MonthlyReport.objects.select_related("unit", "plan__unit", "organisation")
    if not has_permission(actor, Permission.REPORT_SUBMIT):
        raise PermissionDeniedError()
    try:
        return _own_reports(reports, actor=actor).get(pk=report_id)
    except (MonthlyReport.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFoundError() from exc


def report_find(
    *, unit: AdministrativeUnit, plan: Plan, period: str, organisation: Organisation | None = None
) -> MonthlyReport | None:
    reports = MonthlyReport.objects.filter(unit=unit, plan=plan, period=period, organisation=organisation)
    return reports.first()


def report_versions(*, report: MonthlyReport) -> list[ReportVersion]:
    """Every submitted version, newest first."""
    return list(report.versions.select_related("submitted_by", "returned_by").order_by("-number"))


def can_review(*, actor: Actor, report: MonthlyReport) -> bool:
    return any(report.unit.path.startswith(path) for path in granted_unit_paths(actor, Permission.REPORT_REVIEW))


def plan_get_for_edit(*, actor: Actor, plan_id: int) -> Plan:
    plans = Plan.objects.select_related("unit")
    return access_by_id(plans, actor=actor, permission=Permission.PLAN_EDIT, pk=plan_id)


def unit_plans(*, actor: Actor, plan: Plan) -> QuerySet[Plan]:
    """The units' own plans carrying out `plan`, as far as the actor may see them."""
    plans = Plan.objects.filter(parent=plan).select_related("unit").order_by("unit__code")
    return visible_to(plans, actor=actor, permission=Permission.MONITORING_VIEW)


# ---- Departments' own monthly reports ------------------------------------------------------------------------


def _units_written(task: PlanTask) -> str:
    """The task's lead and partners as written, keyed once for matching agency names."""
    return " | ".join(name_key(text) for text in (task.lead_unit_name, *task.coordinating_units))


def _names_department(task: PlanTask, written: str, department: Organisation) -> bool:
    return task.lead_organisation_id == department.pk or name_key(department.name) in written


def _open_tasks(plan: Plan) -> list[tuple[PlanTask, str]]:
    tasks = plan.tasks.exclude(status=PlanTask.Status.CLOSED).select_related("group").order_by("group__order", "order")
    return [(task, _units_written(task)) for task in tasks]


def department_tasks(*, plan: Plan, department: Organisation) -> list[PlanTask]:
    """The tasks a department reports on: those it leads or joins, by agency or by name as written; closed
    tasks are left out."""
    return [task for task, written in _open_tasks(plan) if _names_department(task, written, department)]


def reporting_departments(*, plan: Plan) -> list[Organisation]:
    """The agencies of the plan's own unit (the province's departments) that lead or join one of its tasks."""
    tasks = _open_tasks(plan)
    agencies = Organisation.objects.filter(unit=plan.unit).order_by("name")
    return [agency for agency in agencies if any(_names_department(t, written, agency) for t, written in tasks)]


def report_departments(*, actor: Actor) -> list[Organisation]:
    """The actor's own department, if they may report for it: an agency of a province they hold report.submit
    over."""
    organisation = getattr(actor, "organisation", None)
    if organisation is None or organisation.unit.level != Level.PROVINCE:
        return []
    paths = granted_unit_paths(actor, Permission.REPORT_SUBMIT)
    return [organisation] if any(organisation.unit.path.startswith(path) for path in paths) else []
