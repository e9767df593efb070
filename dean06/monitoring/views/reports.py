"""Monthly reports: the list, the unit's form (tasks and KPI figures, prefilled), a report with every version,
and the working group's return or acceptance. Thin: rules and writes are in reports.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dean06.core.errors import ApplicationError
from dean06.core.pages import HtmxHttpRequest, PageView, signed_in
from dean06.core.roles import Permission
from dean06.monitoring.forms import MonthlyReportForm, ReportReviewForm
from dean06.monitoring.models import MonthlyReport, Plan, PlanTask, ReportVersion
from dean06.monitoring.reports import (
    ReportInvalidError,
    departments_late,
    previous_period,
    report_accept,
    report_due_on,
    report_kpi_lines,
    report_return,
    report_submit,
    reports_late,
)
from dean06.monitoring.selectors import (
    can_review,
    department_tasks,
    plan_tasks,
    report_departments,
    report_find,
    report_get,
    report_list,
    report_plans,
    report_tasks,
    report_units,
    report_versions,
    units_with,
)
from dean06.registry.models import AdministrativeUnit, Organisation
from dean06.registry.models.units import Level


class ReportListView(PageView):
    """The reports the actor may see for a month; a unit starts its report here, the working group sees who is
    late."""

    required_permission = Permission.REPORT_SUBMIT

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        today = timezone.localdate()
        period = request.GET.get("period") or previous_period(today)
        status = request.GET.get("status", "")
        if status not in MonthlyReport.Status.values:
            status = ""
        units = list(report_units(actor=request.user))
        provinces = units_with(actor=request.user, permission=Permission.REPORT_REVIEW).filter(level=Level.PROVINCE)
        late = [
            (
                plan,
                [u.name for u in reports_late(plan, period, today)]
                + [d.name for d in departments_late(plan, period, today)],
            )
            for province in provinces
            for plan in report_plans(unit=province)
            if _is_period(period)
        ]
        departments = report_departments(actor=request.user)
        context = {
            "period": period,
            "status": status,
            "statuses": MonthlyReport.Status.choices,
            "reports": report_list(actor=request.user, period=period if _is_period(period) else "", status=status),
            "units": units,
            "departments": departments,
            "plans": report_plans(unit=units[0] if units else departments[0].unit) if units or departments else [],
            "late": late,
            "due_on": report_due_on(period) if _is_period(period) else None,
            "reviewer": provinces.exists(),
        }
        return render(request, "monitoring/report_list.html", context)


def _is_period(text: str) -> bool:
    try:
        report_due_on(text)
    except ReportInvalidError:
        return False
    return True


@dataclass(frozen=True)
class Reporter:
    """Who a report form is for: a commune, or a department (its organisation, with the province as unit)."""

    unit: AdministrativeUnit
    organisation: Organisation | None

    @property
    def name(self) -> str:
        return self.organisation.name if self.organisation else self.unit.name


def _reporter_and_plan(request: HtmxHttpRequest) -> tuple[Reporter, Plan]:
    """The commune (`unit`) or department (`org`) and the plan of a report form; 404 alike for another
    commune's or department's and for a missing one."""
    org_code, unit_code = request.GET.get("org", ""), request.GET.get("unit", "")
    if org_code:
        department = next((d for d in report_departments(actor=request.user) if d.code == org_code), None)
        reporter = Reporter(department.unit, department) if department else None
    else:
        unit = next((u for u in report_units(actor=request.user) if u.code == unit_code), None)
        reporter = Reporter(unit, None) if unit else None
    if reporter is None:
        raise Http404
    plan = next((p for p in report_plans(unit=reporter.unit) if str(p.pk) == request.GET.get("plan", "")), None)
    if plan is None:
        raise Http404
    return reporter, plan


def _initial(tasks: list[PlanTask], version: ReportVersion | None, lines: list[Any]) -> dict[str, Any]:
    """The last version's answers (after a return the unit corrects, not retypes), else the tasks' status."""
    content = version.content if version else {}
    by_task = {row.get("task_id"): row for row in content.get("tasks", [])}
    initial: dict[str, Any] = {}
    for i, task in enumerate(tasks):
        row = by_task.get(task.pk, {})
        initial[f"task_{i}_status"] = row.get("status", task.status)
        for name in ("percent", "done", "difficulties", "proposals"):
            value = row.get(name)
            initial[f"task_{i}_{name}"] = "" if value is None else value
    typed = content.get("kpis", {})
    for j, line in enumerate(lines):
        for name in ("value", "numerator", "denominator", "note"):
            value = typed.get(line.key, {}).get(name)
            initial[f"kpi_{j}_{name}"] = "" if value is None else value
    return initial


class ReportFormView(PageView):
    """A unit's monthly report on a plan: each task's status, percent done, results, difficulties and proposals,
    and the KPI figures — live ones shown, missing ones typed with a note."""

    required_permission = Permission.REPORT_SUBMIT

    def _context(self, request: HtmxHttpRequest) -> dict[str, Any]:
        reporter, plan = _reporter_and_plan(request)
        unit, department = reporter.unit, reporter.organisation
        period = request.GET.get("period", "")
        if not _is_period(period):
            raise ApplicationError(_("Kỳ báo cáo phải có dạng YYYY-MM, ví dụ 2026-10."))
        report = report_find(unit=unit, plan=plan, period=period, organisation=department)
        versions = report_versions(report=report) if report else []
        return {
            "unit": unit,
            "reporter": reporter,
            "plan": plan,
            "period": period,
            "due_on": report_due_on(period),
            "report": report,
            "returned": versions[0] if versions and versions[0].returned_at else None,
            # A department answers for the tasks it leads or joins; the KPIs are the communes' and the province's.
            "tasks": department_tasks(plan=plan, department=department) if department else report_tasks(plan=plan),
            "lines": [] if department else report_kpi_lines(unit, period),
            "versions": versions,
        }

    def _locked(self, context: dict[str, Any]) -> HttpResponseRedirect | None:
        report = context["report"]
        if report and report.status in (MonthlyReport.Status.SUBMITTED, MonthlyReport.Status.ACCEPTED):
            return redirect("monitoring:report_detail", report_id=report.pk)
        return None

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        context = self._context(request)
        if locked := self._locked(context):
            return locked
        initial = _initial(context["tasks"], context["versions"][0] if context["versions"] else None, context["lines"])
        context["form"] = MonthlyReportForm(initial=initial, tasks=context["tasks"], kpis=context["lines"])
        return render(request, "monitoring/report_form.html", context)

    def post(self, request: HtmxHttpRequest) -> HttpResponse:
        context = self._context(request)
        if locked := self._locked(context):
            return locked
        form = MonthlyReportForm(request.POST, tasks=context["tasks"], kpis=context["lines"])
        context["form"] = form
        if form.is_valid():
            tasks, kpis = form.service_input()
            try:
                report = report_submit(
                    actor=signed_in(request),
                    unit=context["unit"],
                    plan=context["plan"],
                    period=context["period"],
                    tasks=tasks,
                    kpis=kpis,
                    organisation=context["reporter"].organisation,
                )
            except ReportInvalidError as error:
                form.add_service_errors(error.errors)
            else:
                messages.success(request, _("Đã gửi báo cáo tháng %(period)s.") % {"period": context["period"]})
                return redirect("monitoring:report_detail", report_id=report.pk)
        return render(request, "monitoring/report_form.html", context, status=400)


def report_form_url(report: MonthlyReport) -> str:
    who = {"org": report.organisation.code} if report.organisation else {"unit": report.unit.code}
    query = urlencode({"plan": str(report.plan_id), **who, "period": report.period})
    return f"{reverse('monitoring:report_form')}?{query}"


@dataclass(frozen=True)
class VersionView:
    version: ReportVersion
    tasks: list[dict[str, Any]]  # each row with the task's "label" and the status's "status_label"
    kpis: list[tuple[str, dict[str, Any]]]
    late: bool  # sent after the due day


def _version_view(version: ReportVersion, tasks: dict[int, PlanTask]) -> VersionView:
    statuses = dict(PlanTask.Status.choices)
    rows = []
    for row in version.content.get("tasks", []):
        task = tasks.get(row.get("task_id"))
        label = f"{task.code} · {task.title}" if task else f"#{row.get('task_id')}"
        rows.append(row | {"label": label, "status_label": statuses.get(row.get("status"), row.get("status"))})
    late = timezone.localdate(version.submitted_at) > version.report.due_on
    return VersionView(version, rows, list(version.content.get("kpis", {}).items()), late)


class ReportDetailView(PageView):
    """A report with every version, newest first, the working group's comments, and the review form."""

    required_permission = Permission.REPORT_SUBMIT

    def _render(
        self, request: HtmxHttpRequest, report: MonthlyReport, form: ReportReviewForm | None = None, status: int = 200
    ) -> HttpResponse:
        tasks = {task.pk: task for task in plan_tasks(plan=report.plan)}
        versions = [_version_view(version, tasks) for version in report_versions(report=report)]
        reviewer = can_review(actor=request.user, report=report)
        context = {
            "report": report,
            "versions": versions,
            "reviewer": reviewer,
            "review_form": form or ReportReviewForm(),
            "can_resubmit": report.status == MonthlyReport.Status.RETURNED,
            "form_url": report_form_url(report),
        }
        return render(request, "monitoring/report_detail.html", context, status=status)

    def get(self, request: HtmxHttpRequest, report_id: int) -> HttpResponse:
        return self._render(request, report_get(actor=request.user, report_id=report_id))

    def post(self, request: HtmxHttpRequest, report_id: int) -> HttpResponse:
        report = report_get(actor=request.user, report_id=report_id)
        form = ReportReviewForm(request.POST)
        if not form.is_valid():
            return self._render(request, report, form, status=400)
        try:
            if form.cleaned_data["decision"] == "return":
                report_return(actor=signed_in(request), report_id=report.pk, comment=form.cleaned_data["comment"])
                messages.success(request, _("Đã trả lại báo cáo để đơn vị chỉnh sửa."))
            else:
                report_accept(actor=signed_in(request), report_id=report.pk)
                messages.success(request, _("Đã tiếp nhận báo cáo."))
        except ReportInvalidError as error:
            for message in error.errors.values():
                form.add_error("comment", message)
            return self._render(request, report, form, status=400)
        return redirect("monitoring:report_detail", report_id=report.pk)
