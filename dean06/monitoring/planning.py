"""The working group's and the units' own plans: create a plan, add tasks, reassign or close them, issue or end
the plan. Each write needs plan.edit over the plan's unit (a commune edits only its own plans) and is audited."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from dean06.core.access import require_permission
from dean06.core.audit import audit_record
from dean06.core.errors import ApplicationError
from dean06.core.roles import Permission
from dean06.monitoring.models import Plan, PlanGroup, PlanTask
from dean06.registry.models import AdministrativeUnit, Organisation

if TYPE_CHECKING:
    from dean06.core.models import User


class PlanInvalidError(ApplicationError):
    """Input that cannot be stored; `errors` maps each form field to a Vietnamese message."""

    default_message = _("Kế hoạch có thông tin chưa hợp lệ.")

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__()
        self.errors = errors


@dataclass(frozen=True)
class PlanInput:
    code: str
    title: str
    year: int | None = None
    period: str = ""
    issued_by: str = ""
    document_number: str = ""
    parent: Plan | None = None


@dataclass(frozen=True)
class TaskInput:
    title: str
    group_code: str
    group_title: str = ""
    content: str = ""
    lead_unit_name: str = ""
    lead_organisation: Organisation | None = None
    coordinating_units: list[str] = field(default_factory=list)
    deadline_text: str = ""
    deadline: date | None = None
    recurrence: str = PlanTask.Recurrence.ONCE
    expected_output: str = ""
    reported_by_communes: bool = False


def _require_edit(actor: User, unit: AdministrativeUnit) -> None:
    require_permission(actor, Permission.PLAN_EDIT, unit_path=unit.path)


@transaction.atomic
def plan_create(*, actor: User, unit: AdministrativeUnit, data: PlanInput) -> Plan:
    """A new plan of `unit`, as a draft: the province's next programme, or a commune's implementation plan of
    the provincial plan (`parent`)."""
    _require_edit(actor, unit)
    errors: dict[str, str] = {}
    code = data.code.strip().upper()
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9.\-_/]{1,39}", code):
        errors["code"] = str(_("Mã kế hoạch gồm chữ không dấu, số và . - _ /, từ 2 đến 40 ký tự."))
    elif Plan.objects.filter(code=code).exists():
        errors["code"] = str(_("Mã kế hoạch này đã được dùng."))
    if not data.title.strip():
        errors["title"] = str(_("Vui lòng nhập tên kế hoạch."))
    if data.parent is not None and not unit.path.startswith(data.parent.unit.path):
        errors["parent"] = str(_("Chỉ triển khai được kế hoạch của cấp trên đơn vị mình."))
    if errors:
        raise PlanInvalidError(errors)
    plan = Plan.objects.create(
        code=code,
        title=data.title.strip(),
        year=data.year,
        period=data.period.strip() or (str(data.year) if data.year else ""),
        issued_by=data.issued_by.strip(),
        document_number=data.document_number.strip(),
        parent=data.parent,
        unit=unit,
        status=Plan.Status.DRAFT,
    )
    audit_record(actor=actor, action="plan.create", obj=plan, details={"unit": unit.code, "code": code})
    return plan


@transaction.atomic
def plan_set_status(*, actor: User, plan: Plan, status: str) -> Plan:
    """Issue a draft (active) or end a plan (closed); an ended plan takes no more reports."""
    _require_edit(actor, plan.unit)
    if status not in Plan.Status.values:
        raise PlanInvalidError({"status": str(_("Trạng thái kế hoạch không hợp lệ."))})
    before = plan.status
    plan.status = status
    plan.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="plan.status", obj=plan, details={"from": before, "to": status})
    return plan


LEAD_REQUIRED = _("Vui lòng chọn hoặc nhập đơn vị chủ trì.")


def _task_errors(data: TaskInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = str(_("Vui lòng nhập nội dung nhiệm vụ."))
    if not re.fullmatch(r"[A-Za-z0-9IVX]{1,10}", data.group_code.strip()):
        errors["group_code"] = str(_("Ký hiệu nhóm gồm chữ và số, tối đa 10 ký tự (ví dụ: A, B, III)."))
    if data.recurrence not in PlanTask.Recurrence.values:
        errors["recurrence"] = str(_("Tần suất không hợp lệ."))
    if not (data.lead_unit_name.strip() or data.lead_organisation):
        errors["lead_unit_name"] = str(LEAD_REQUIRED)
    return errors


def _group(plan: Plan, code: str, title: str) -> PlanGroup:
    group = PlanGroup.objects.filter(plan=plan, code=code).first()
    if group is None:
        order = plan.groups.count() + 1
        group = PlanGroup.objects.create(plan=plan, code=code, title=title.strip() or code, order=order)
    return group


def _next_code(plan: Plan, group: PlanGroup) -> tuple[str, int]:
    """`group.code` + the next free number ("A.4"), and the task's order after the plan's last task."""
    codes = set(plan.tasks.values_list("code", flat=True))
    number = group.tasks.count() + 1
    while f"{group.code}.{number}" in codes:
        number += 1
    order = (plan.tasks.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    return f"{group.code}.{number}", order


@transaction.atomic
def task_add(*, actor: User, plan: Plan, data: TaskInput) -> PlanTask:
    """A task the working group (or the unit, in its own plan) adds; its code follows its group ("A.4")."""
    _require_edit(actor, plan.unit)
    errors = _task_errors(data)
    if errors:
        raise PlanInvalidError(errors)
    group = _group(plan, data.group_code.strip().upper(), data.group_title)
    code, order = _next_code(plan, group)
    lead_name = data.lead_unit_name.strip() or (data.lead_organisation.name if data.lead_organisation else "")
    try:
        task = PlanTask.objects.create(
            plan=plan,
            group=group,
            code=code,
            number=code.rsplit(".", 1)[1] + ".",
            title=data.title.strip(),
            content=data.content.strip(),
            lead_unit_name=lead_name,
            lead_organisation=data.lead_organisation,
            coordinating_units=[unit.strip() for unit in data.coordinating_units if unit.strip()],
            deadline_text=data.deadline_text.strip() or (data.deadline.strftime("%d/%m/%Y") if data.deadline else ""),
            deadline=data.deadline,
            recurrence=data.recurrence,
            expected_output=data.expected_output.strip(),
            reported_by_communes=data.reported_by_communes,
            order=order,
        )
    except IntegrityError as exc:  # two officers adding to the same group at once
        raise PlanInvalidError({"title": str(_("Vừa có người thêm nhiệm vụ vào nhóm này, vui lòng gửi lại."))}) from exc
    audit_record(actor=actor, action="plan.task_add", obj=task, details={"plan": plan.code, "code": code})
    return task


# What the working group may change on an existing task; the as-written fields stay as the document has them.
EDITABLE_TASK_FIELDS = (
    "lead_organisation",
    "lead_unit_name",
    "coordinating_units",
    "deadline",
    "recurrence",
    "expected_output",
    "status",
    "reported_by_communes",
)


@transaction.atomic
def task_update(*, actor: User, task: PlanTask, changes: dict[str, Any]) -> PlanTask:
    """Reassign (lead, partners), reschedule, change status (close) or mark a task as reported by the communes.
    The audit entry names every field changed, with its old and new value."""
    _require_edit(actor, task.plan.unit)
    unknown = set(changes) - set(EDITABLE_TASK_FIELDS)
    if unknown:
        raise PlanInvalidError({name: str(_("Trường này không sửa được.")) for name in sorted(unknown)})
    errors: dict[str, str] = {}
    if "status" in changes and changes["status"] not in PlanTask.Status.values:
        errors["status"] = str(_("Trạng thái nhiệm vụ không hợp lệ."))
    if "recurrence" in changes and changes["recurrence"] not in PlanTask.Recurrence.values:
        errors["recurrence"] = str(_("Tần suất không hợp lệ."))
    organisation = changes.get("lead_organisation")
    if organisation is not None and not organisation.unit.path.startswith(task.plan.unit.path):
        errors["lead_organisation"] = str(_("Cơ quan chủ trì phải thuộc địa bàn của kế hoạch."))
    clears_lead = "lead_unit_name" in changes and not str(changes["lead_unit_name"]).strip() and organisation is None
    if clears_lead and task.lead_unit_name:  # a task keeps a lead once it has one
        errors["lead_unit_name"] = str(LEAD_REQUIRED)
    if errors:
        raise PlanInvalidError(errors)
    if organisation is not None and not changes.get("lead_unit_name"):
        changes = changes | {"lead_unit_name": organisation.name}
    changed: dict[str, list[Any]] = {}
    for name, value in changes.items():
        old = getattr(task, name)
        if old != value:
            changed[name] = [_plain(old), _plain(value)]
            setattr(task, name, value)
    if changed:
        task.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, action="plan.task_update", obj=task, details={"code": task.code, "changed": changed})
    return task


def _plain(value: Any) -> Any:
    """A value the audit log can hold as JSON: dates as ISO text, agencies by code."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Organisation):
        return value.code
    return value
