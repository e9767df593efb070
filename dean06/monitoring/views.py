"""Pages of the monitoring app: the plans, a plan's tasks and the Decision 766 index. Thin: they parse input,
call the selectors and render; no person is shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dean06.core.charts import bar_chart
from dean06.core.pages import HtmxHttpRequest, PageView
from dean06.core.roles import Permission
from dean06.monitoring.forms import Index766Form
from dean06.monitoring.index766 import PeriodType, index766_for
from dean06.monitoring.models import PlanGroup, PlanTask
from dean06.monitoring.selectors import (
    index766_ranking,
    index_unit_list,
    plan_get,
    plan_group_list,
    plan_list,
    task_is_overdue,
    task_list,
)
from dean06.registry.models.units import Level


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


class Index766View(PageView):
    """The Decision 766 index of the province or a commune for a month, quarter or year, with the ranking of
    the communes when the province is shown."""

    required_permission = Permission.MONITORING_VIEW

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        units = list(index_unit_list(actor=request.user))
        data = (
            request.GET
            if "period" in request.GET
            else {
                "unit": units[0].code if units else "",
                "period_type": PeriodType.MONTH.value,
                "period": timezone.localdate().strftime("%Y-%m"),
            }
        )
        form = Index766Form(data, units=index_unit_list(actor=request.user))
        context: dict[str, object] = {"form": form}
        if not form.is_valid():
            return render(request, "monitoring/index766.html", context, status=400 if request.GET else 200)
        period = form.parsed_period
        index = index766_for(unit_code=form.cleaned_data["unit"], period=period.label, period_type=period.type)
        chart_rows = [(str(g.name), g.score, g.maximum) for g in index.groups]
        context |= {
            "index": index,
            "chart": bar_chart(chart_rows),
            "attainable": sum(i.maximum or 0.0 for g in index.groups for i in g.indicators if i.score is not None),
        }
        unit = next(u for u in units if u.code == index.unit_code)
        if unit.level == Level.PROVINCE:
            context["ranking"] = index766_ranking(actor=request.user, province=unit, period=period)
        context["period_name"] = _("Kỳ %(label)s") % {"label": period.label}
        return render(request, "monitoring/index766.html", context)
