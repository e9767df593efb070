"""The plans and a plan's tasks. Thin: they call the selectors and render; no person is shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dean06.core.pages import HtmxHttpRequest, PageView
from dean06.core.roles import Permission
from dean06.monitoring.models import PlanGroup, PlanTask
from dean06.monitoring.selectors import (
    plan_get,
    plan_group_list,
    plan_list,
    task_is_overdue,
    task_list,
)


class PlanListView(PageView):
    """The plans of the actor's units."""

    required_permission = Permission.MONITORING_VIEW

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        return render(request, "monitoring/plan_list.html", {"plans": plan_list(actor=request.user)})


@dataclass(frozen=True)
class TaskRow:
    task: PlanTask
    overdue: bool


@dataclass(frozen=True)
class GroupSection:
    group: PlanGroup | None
    rows: list[TaskRow]


class PlanDetailView(PageView):
    """A plan's tasks grouped as the document heads them (A, B, III), with deadlines as written."""

    required_permission = Permission.MONITORING_VIEW

    def get(self, request: HtmxHttpRequest, plan_id: int) -> HttpResponse:
        plan = plan_get(actor=request.user, plan_id=plan_id)
        today = timezone.localdate()
        rows: dict[int | None, list[TaskRow]] = {}
        for task in task_list(actor=request.user, plan=plan, today=today):
            rows.setdefault(task.group_id, []).append(TaskRow(task, task_is_overdue(task, today)))
        sections = [GroupSection(g, rows.pop(g.pk, [])) for g in plan_group_list(actor=request.user, plan=plan)]
        sections += [GroupSection(None, r) for r in rows.values()]  # tasks outside any group, if any
        overdue = sum(row.overdue for section in sections for row in section.rows)
        context = {"plan": plan, "sections": sections, "overdue": overdue, "today": today}
        return render(request, "monitoring/plan_detail.html", context)
