"""The plans and a plan's tasks; creating a plan, adding, reassigning and closing tasks. Thin: they call the
selectors and planning.py, and render; no person is shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dean06.core.access import has_permission
from dean06.core.pages import HtmxHttpRequest, PageView, signed_in
from dean06.core.roles import Permission
from dean06.monitoring.forms import PlanForm, TaskEditForm, TaskForm
from dean06.monitoring.models import Plan, PlanGroup, PlanTask
from dean06.monitoring.planning import (
    EDITABLE_TASK_FIELDS,
    PlanInput,
    PlanInvalidError,
    TaskInput,
    plan_create,
    plan_set_status,
    task_add,
    task_update,
)
from dean06.monitoring.selectors import (
    organisation_choices,
    parent_plan_choices,
    plan_get,
    plan_get_for_edit,
    plan_group_list,
    plan_is_editable,
    plan_list,
    task_get_for_edit,
    task_is_overdue,
    task_list,
    unit_plans,
    units_with,
)


class PlanListView(PageView):
    """The plans of the actor's units."""

    required_permission = Permission.MONITORING_VIEW

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        context = {
            "plans": plan_list(actor=request.user),
            "can_create": has_permission(request.user, Permission.PLAN_EDIT),
        }
        return render(request, "monitoring/plan_list.html", context)


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
        context = {
            "plan": plan,
            "sections": sections,
            "overdue": overdue,
            "today": today,
            "editable": plan_is_editable(actor=request.user, plan=plan),
            "unit_plans": unit_plans(actor=request.user, plan=plan),
            "statuses": Plan.Status.choices,
        }
        return render(request, "monitoring/plan_detail.html", context)


def _show_errors(form: Any, error: PlanInvalidError) -> None:
    for name, message in error.errors.items():
        form.add_error(name if name in form.fields else None, message)


class PlanCreateView(PageView):
    """A new plan: the province's next programme, or a commune's own plan carrying out the provincial one."""

    required_permission = Permission.PLAN_EDIT

    def _form(self, request: HtmxHttpRequest, data: Any = None) -> PlanForm:
        units = units_with(actor=request.user, permission=Permission.PLAN_EDIT)
        return PlanForm(data, units=units, parents=parent_plan_choices(actor=request.user))

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        return render(request, "monitoring/plan_form.html", {"form": self._form(request)})

    def post(self, request: HtmxHttpRequest) -> HttpResponse:
        form = self._form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            unit = units_with(actor=request.user, permission=Permission.PLAN_EDIT).get(code=data["unit"])
            parent = next((p for p in parent_plan_choices(actor=request.user) if str(p.pk) == data["parent"]), None)
            fields = {name: data[name] or "" for name in ("code", "title", "period", "issued_by", "document_number")}
            try:
                plan = plan_create(
                    actor=signed_in(request),
                    unit=unit,
                    data=PlanInput(year=data["year"], parent=parent, **fields),
                )
            except PlanInvalidError as error:
                _show_errors(form, error)
            else:
                messages.success(request, _("Đã tạo kế hoạch %(code)s (dự thảo).") % {"code": plan.code})
                return redirect("monitoring:plan_detail", plan_id=plan.pk)
        return render(request, "monitoring/plan_form.html", {"form": form}, status=400)


class PlanStatusView(PageView):
    """Issue a draft plan or end it."""

    required_permission = Permission.PLAN_EDIT

    def post(self, request: HtmxHttpRequest, plan_id: int) -> HttpResponse:
        plan = plan_get_for_edit(actor=request.user, plan_id=plan_id)
        plan = plan_set_status(actor=signed_in(request), plan=plan, status=request.POST.get("status", ""))
        messages.success(request, _("Kế hoạch: %(status)s.") % {"status": plan.get_status_display()})
        return redirect("monitoring:plan_detail", plan_id=plan.pk)


class TaskCreateView(PageView):
    required_permission = Permission.PLAN_EDIT

    def get(self, request: HtmxHttpRequest, plan_id: int) -> HttpResponse:
        plan = plan_get_for_edit(actor=request.user, plan_id=plan_id)
        form = TaskForm(organisations=organisation_choices(plan=plan))
        return render(request, "monitoring/task_form.html", {"form": form, "plan": plan})

    def post(self, request: HtmxHttpRequest, plan_id: int) -> HttpResponse:
        plan = plan_get_for_edit(actor=request.user, plan_id=plan_id)
        form = TaskForm(request.POST, organisations=organisation_choices(plan=plan))
        if form.is_valid():
            data = form.cleaned_data
            texts = ("group_code", "group_title", "title", "content", "lead_unit_name", "expected_output")
            try:
                task = task_add(
                    actor=signed_in(request),
                    plan=plan,
                    data=TaskInput(
                        lead_organisation=form.organisation(),
                        coordinating_units=form.partners(),
                        deadline=data["deadline"],
                        recurrence=data["recurrence"],
                        reported_by_communes=data["reported_by_communes"],
                        **{name: data[name] for name in texts},
                    ),
                )
            except PlanInvalidError as error:
                _show_errors(form, error)
            else:
                messages.success(request, _("Đã thêm nhiệm vụ %(code)s.") % {"code": task.code})
                return redirect("monitoring:plan_detail", plan_id=plan.pk)
        return render(request, "monitoring/task_form.html", {"form": form, "plan": plan}, status=400)


class TaskEditView(PageView):
    """Reassign a task (lead agency, partners), reschedule it, change its status or close it."""

    required_permission = Permission.PLAN_EDIT

    def get(self, request: HtmxHttpRequest, task_id: int) -> HttpResponse:
        task = task_get_for_edit(actor=request.user, task_id=task_id)
        initial = {
            "lead_organisation": str(task.lead_organisation_id or ""),
            "lead_unit_name": task.lead_unit_name,
            "coordinating_units": "; ".join(task.coordinating_units),
            "deadline": task.deadline,
            "recurrence": task.recurrence,
            "expected_output": task.expected_output,
            "status": task.status,
            "reported_by_communes": task.reported_by_communes,
        }
        form = TaskEditForm(initial=initial, organisations=organisation_choices(plan=task.plan))
        return render(request, "monitoring/task_form.html", {"form": form, "plan": task.plan, "task": task})

    def post(self, request: HtmxHttpRequest, task_id: int) -> HttpResponse:
        task = task_get_for_edit(actor=request.user, task_id=task_id)
        form = TaskEditForm(request.POST, organisations=organisation_choices(plan=task.plan))
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in EDITABLE_TASK_FIELDS if name in form.cleaned_data}
            changes |= {"lead_organisation": form.organisation(), "coordinating_units": form.partners()}
            try:
                task_update(actor=signed_in(request), task=task, changes=changes)
            except PlanInvalidError as error:
                _show_errors(form, error)
            else:
                messages.success(request, _("Đã cập nhật nhiệm vụ %(code)s.") % {"code": task.code})
                return redirect("monitoring:plan_detail", plan_id=task.plan_id)
        context = {"form": form, "plan": task.plan, "task": task}
        return render(request, "monitoring/task_form.html", context, status=400)
