"""Reads of the monitoring app: plans, their tasks and the units a 766 index may be asked for, all scoped to
the units where the actor holds monitoring.view. No personal data is read here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from dean06.core.access import access_by_id, granted_unit_paths, visible_to
from dean06.core.roles import Permission
from dean06.monitoring.index766 import Index766, Period, index766_compute
from dean06.monitoring.models import Plan, PlanGroup, PlanTask
from dean06.registry.models import AdministrativeUnit
from dean06.registry.models.units import Era, Level

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
    condition = Q()
    for path in granted_unit_paths(actor, Permission.MONITORING_VIEW):
        condition |= Q(path__startswith=path)
    if not condition:
        return AdministrativeUnit.objects.none()
    units = AdministrativeUnit.objects.filter(condition, era=Era.Y2025, level__in=[Level.PROVINCE, Level.COMMUNE])
    return units.order_by("path")


@dataclass(frozen=True)
class RankedUnit:
    rank: int
    unit_code: str
    unit_name: str
    total: float


def index766_ranking(*, actor: Actor, province: AdministrativeUnit, period: Period) -> list[RankedUnit]:
    """The communes of `province` the actor may see, by their total for the period, best first."""
    communes = index_unit_list(actor=actor).filter(level=Level.COMMUNE, parent=province)
    indexes: list[Index766] = [index766_compute(unit=commune, period=period) for commune in communes]
    indexes.sort(key=lambda index: (-index.total, index.unit_name))
    return [RankedUnit(n, i.unit_code, i.unit_name, round(i.total, 2)) for n, i in enumerate(indexes, start=1)]
