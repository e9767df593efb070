"""Monthly reports of the units on a plan: submit, return with a comment, accept; late units and reminders.

Every submission is a new ReportVersion, never edited. docs/monitoring.md ("Monthly reports (back end)").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dean06.core.access import require_permission
from dean06.core.audit import audit_record
from dean06.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from dean06.core.roles import Permission
from dean06.monitoring.kpis import kpis_for
from dean06.monitoring.models import MonthlyReport, Plan, PlanTask, ReportVersion
from dean06.monitoring.selectors import reporting_departments
from dean06.registry.models import AdministrativeUnit, Organisation
from dean06.registry.models.units import Level

if TYPE_CHECKING:
    from dean06.core.models import User

TASK_STATUSES = frozenset(PlanTask.Status.values)
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class ReportInvalidError(ApplicationError):
    """Input that cannot be stored; `errors` maps each field ("tasks.0.percent", "kpis.EID.value") to a message."""

    default_message = _("Báo cáo có thông tin chưa hợp lệ.")

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__()
        self.errors = errors


class ReportStateError(ApplicationError):
    status_code = 409
    default_message = _("Báo cáo không ở trạng thái cho phép thao tác này.")


def _period(period: str) -> tuple[int, int]:
    match = _PERIOD.match(period)
    if match is None:
        raise ReportInvalidError({"period": str(_("Kỳ báo cáo phải có dạng YYYY-MM."))})
    return int(match[1]), int(match[2])


def previous_period(day: date) -> str:
    """The month before `day`'s ("YYYY-MM"): the report due this month."""
    return f"{day.year - 1:04d}-12" if day.month == 1 else f"{day.year:04d}-{day.month - 1:02d}"


def month_label(period: str) -> str:
    """ "2026-10" as Vietnamese documents write it: "10/2026"."""
    return f"{period[5:7]}/{period[:4]}"


def report_due_on(period: str) -> date:
    """The `MONITORING_REPORT_DUE_DAY` of the month after `period`."""
    year, month = _period(period)
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return date(year, month, settings.MONITORING_REPORT_DUE_DAY)


def _number(value: Any) -> float | None:
    """A number typed either way: "45.5" or, as Vietnamese write it, "45,5"."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    if isinstance(value, str):
        value = value.strip()
        if value.count(",") == 1 and "." not in value:
            value = value.replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _validate_tasks(plan: Plan, tasks: list[dict[str, Any]], errors: dict[str, str]) -> list[dict[str, Any]]:
    known = set(plan.tasks.values_list("pk", flat=True))
    cleaned = []
    for i, task in enumerate(tasks):
        prefix = f"tasks.{i}"
        task_id = task.get("task_id")
        if not isinstance(task_id, int) or task_id not in known:
            errors[f"{prefix}.task_id"] = str(_("Nhiệm vụ không thuộc kế hoạch này."))
        status = task.get("status")
        if status not in TASK_STATUSES:
            errors[f"{prefix}.status"] = str(_("Trạng thái nhiệm vụ không hợp lệ."))
        percent = task.get("percent")
        if isinstance(percent, str) and re.fullmatch(r"-?\d+", percent.strip()):
            percent = int(percent)
        if isinstance(percent, bool) or not isinstance(percent, int):
            errors[f"{prefix}.percent"] = str(_("Tỷ lệ hoàn thành phải là số nguyên từ 0 đến 100."))
        elif not 0 <= percent <= 100:
            errors[f"{prefix}.percent"] = str(_("Tỷ lệ hoàn thành phải từ 0 đến 100."))
        cleaned.append(
            {
                "task_id": task_id,
                "status": status,
                "percent": percent,
                "done": str(task.get("done", "")),
                "difficulties": str(task.get("difficulties", "")),
                "proposals": str(task.get("proposals", "")),
            }
        )
    return cleaned


def _validate_kpis(kpis: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """Every KPI value is a percent (kpis.py): 0–100. Numerator and denominator, when given, are counts ≥ 0."""
    cleaned: dict[str, Any] = {}
    for code, entry in kpis.items():
        prefix = f"kpis.{code}"
        entry = entry if isinstance(entry, dict) else {"value": entry}
        item: dict[str, Any] = {"note": str(entry.get("note", ""))}
        if entry.get("name"):  # kept so that a version reads on its own, whatever the KPI list becomes
            item["name"] = str(entry["name"])
        raw = entry.get("value")
        if raw is None or raw == "":
            item["value"] = None
        else:
            value = _number(raw)
            if value is None:
                errors[f"{prefix}.value"] = str(_("Giá trị phải là một số."))
            elif not 0 <= value <= 100:
                errors[f"{prefix}.value"] = str(_("Tỷ lệ phải từ 0 đến 100."))
            item["value"] = value
        counts: dict[str, float | None] = {}
        for part in ("numerator", "denominator"):
            raw = entry.get(part)
            if raw is None or raw == "":
                counts[part] = None
                continue
            value = _number(raw)
            if value is None:
                errors[f"{prefix}.{part}"] = str(_("Giá trị phải là một số."))
            elif value < 0:
                errors[f"{prefix}.{part}"] = str(_("Giá trị không được âm."))
            counts[part] = value
            item[part] = value
        numerator, denominator = counts["numerator"], counts["denominator"]
        if numerator is not None and denominator is not None and numerator > denominator:
            errors[f"{prefix}.numerator"] = str(_("Tử số không được lớn hơn mẫu số."))
        cleaned[str(code)] = item
    return cleaned


@transaction.atomic
def report_submit(
    *,
    actor: User,
    unit: AdministrativeUnit,
    plan: Plan,
    period: str,
    tasks: list[dict[str, Any]],
    kpis: dict[str, Any],
    organisation: Organisation | None = None,
) -> MonthlyReport:
    """Store the next version of `unit`'s report for `plan` and `period` — or, with `organisation`, of that
    department's, which only its own staff send; nothing is stored on invalid input."""
    require_permission(actor, Permission.REPORT_SUBMIT, unit_path=unit.path)
    if organisation is not None and (actor.organisation_id != organisation.pk or organisation.unit_id != unit.pk):
        raise PermissionDeniedError()
    errors: dict[str, str] = {}
    try:
        due_on = report_due_on(period)
        if period > timezone.localdate().strftime("%Y-%m"):
            errors["period"] = str(_("Chưa thể báo cáo cho tháng chưa đến."))
    except ReportInvalidError as exc:
        errors.update(exc.errors)
    content = {"tasks": _validate_tasks(plan, tasks, errors), "kpis": _validate_kpis(kpis, errors)}
    if errors:
        raise ReportInvalidError(errors)
    report, _created = MonthlyReport.objects.select_for_update().get_or_create(
        unit=unit, plan=plan, period=period, organisation=organisation, defaults={"due_on": due_on}
    )
    if report.status in (MonthlyReport.Status.SUBMITTED, MonthlyReport.Status.ACCEPTED):
        raise ReportStateError()
    number = (report.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = ReportVersion.objects.create(
        report=report, number=number, submitted_by=actor, submitted_at=timezone.now(), content=content
    )
    report.status = MonthlyReport.Status.SUBMITTED
    report.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="report.submit", obj=report, details={"version": version.number, "period": period})
    return report


def _reviewed(actor: User, report_id: int) -> MonthlyReport:
    try:
        report = MonthlyReport.objects.select_for_update().select_related("unit").get(pk=report_id)
    except MonthlyReport.DoesNotExist as exc:
        raise NotFoundError() from exc
    require_permission(actor, Permission.REPORT_REVIEW, unit_path=report.unit.path)
    if report.status != MonthlyReport.Status.SUBMITTED:
        raise ReportStateError()
    return report


@transaction.atomic
def report_return(*, actor: User, report_id: int, comment: str) -> MonthlyReport:
    """The working group sends the last version back with a comment; the unit submits a new version."""
    report = _reviewed(actor, report_id)
    if not comment.strip():
        raise ReportInvalidError({"comment": str(_("Vui lòng nhập ý kiến khi trả lại báo cáo."))})
    version = report.versions.order_by("-number").first()
    assert version is not None  # a submitted report has a version
    version.return_comment = comment.strip()
    version.returned_by = actor
    version.returned_at = timezone.now()
    version.save(update_fields=["return_comment", "returned_by", "returned_at"])
    report.status = MonthlyReport.Status.RETURNED
    report.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="report.return", obj=report, details={"version": version.number})
    return report


@transaction.atomic
def report_accept(*, actor: User, report_id: int) -> MonthlyReport:
    report = _reviewed(actor, report_id)
    report.status = MonthlyReport.Status.ACCEPTED
    report.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="report.accept", obj=report)
    return report


@dataclass(frozen=True)
class KpiLine:
    """One KPI on the report form: `live` when the platform computed it (shown, not typed), else the unit types
    it with a note on its source."""

    key: str  # the KPI code, with the sector for the cleansing KPIs: "CLEANSING_CORRECT:welfare"
    name: str
    live: bool
    value: float | None
    numerator: int | None
    denominator: int | None
    note: str
    lower_bound: bool = False


def report_kpi_lines(unit: AdministrativeUnit, period: str) -> list[KpiLine]:
    """The live KPI figures of `unit` for `period`; those without data carry the "no data yet" reason."""
    return [
        KpiLine(
            key=kpi.key,
            name=kpi.name,
            live=kpi.value is not None,
            value=None if kpi.value is None else round(kpi.value, 2),
            numerator=kpi.numerator,
            denominator=kpi.denominator,
            note=kpi.reason,
            lower_bound=kpi.lower_bound,
        )
        for kpi in kpis_for(unit.code, period).kpis
    ]


def report_prefill(unit: AdministrativeUnit, period: str) -> dict[str, dict[str, Any]]:
    """The live KPI figures shaped as report_submit's `kpis` ({key: {value, numerator, denominator, note}})."""
    return {
        line.key: {"value": line.value, "numerator": line.numerator, "denominator": line.denominator, "note": line.note}
        for line in report_kpi_lines(unit, period)
    }


def reporting_units(plan: Plan) -> list[AdministrativeUnit]:
    """The communes inside the plan's unit: the units expected to report."""
    return list(
        AdministrativeUnit.objects.filter(
            era=plan.unit.era, level=Level.COMMUNE, path__startswith=plan.unit.path
        ).order_by("code")
    )


def _submitted_unit_ids(plan: Plan, period: str) -> set[int]:
    return set(
        ReportVersion.objects.filter(report__plan=plan, report__period=period, report__organisation=None).values_list(
            "report__unit_id", flat=True
        )
    )


def reports_late(plan: Plan, period: str, today: date) -> list[AdministrativeUnit]:
    """Communes of the plan that have submitted no version for `period` and whose due day has passed."""
    if today <= report_due_on(period):
        return []
    submitted = _submitted_unit_ids(plan, period)
    return [unit for unit in reporting_units(plan) if unit.pk not in submitted]


def report_reminders_due(today: date) -> list[tuple[Plan, AdministrativeUnit]]:
    """(plan, commune) pairs to remind: from `MONITORING_REPORT_REMINDER_DAYS` before the due day to the due day,
    the last month's report of every active plan not yet submitted. notices.py sends them."""
    period = previous_period(today)
    days_left = (report_due_on(period) - today).days
    if not 0 <= days_left <= settings.MONITORING_REPORT_REMINDER_DAYS:
        return []
    due: list[tuple[Plan, AdministrativeUnit]] = []
    for plan in Plan.objects.filter(status=Plan.Status.ACTIVE, unit__level=Level.PROVINCE).select_related("unit"):
        submitted = _submitted_unit_ids(plan, period)
        due.extend((plan, unit) for unit in reporting_units(plan) if unit.pk not in submitted)
    return due


def departments_late(plan: Plan, period: str, today: date) -> list[Organisation]:
    """The departments that lead or join a task of `plan` and have submitted no version for `period`, once its due
    day has passed."""
    if today <= report_due_on(period):
        return []
    departments = reporting_departments(plan=plan)
    sent = set(
        ReportVersion.objects.filter(report__plan=plan, report__period=period).values_list(
            "report__organisation_id", flat=True
        )
    )
    return [department for department in departments if department.pk not in sent]
