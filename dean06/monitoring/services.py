"""Writes of the monitoring app: loading the province plan seed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dean06.core.audit import audit_record
from dean06.core.errors import ApplicationError
from dean06.monitoring.models import Plan, PlanGroup, PlanTask
from dean06.monitoring.seed import SEED_PATH, ParsedTask, communes_report, plan_read
from dean06.registry.models import AdministrativeUnit, Organisation
from dean06.registry.models.units import Era, Level
from dean06.text import name_key

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User


class HomeProvinceMissingError(ApplicationError):
    default_message = _("Chưa nạp đơn vị hành chính của tỉnh (chạy `dean06 units load`).")


@dataclass
class PlanLoadReport:
    plan: str
    path: Path
    plan_created: bool = False
    groups: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_in_seed: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)


def _home_province() -> AdministrativeUnit:
    try:
        return AdministrativeUnit.objects.get(era=Era.Y2025, code=settings.DEAN06_HOME_PROVINCE, level=Level.PROVINCE)
    except AdministrativeUnit.DoesNotExist as error:
        raise HomeProvinceMissingError from error


def _organisations_by_name(province: AdministrativeUnit) -> dict[str, Organisation]:
    """Province-level agencies by folded name; a name held by two agencies is ambiguous and left out."""
    found: dict[str, list[Organisation]] = {}
    for organisation in Organisation.objects.filter(unit=province):
        found.setdefault(name_key(organisation.name), []).append(organisation)
    return {name: rows[0] for name, rows in found.items() if len(rows) == 1}


def _written(task: ParsedTask) -> dict[str, Any]:
    """The fields taken from the document. Status, expected output and the lead agency are the working group's
    to change, so a reload never overwrites them (expected output is only filled on creation)."""
    return {
        "number": task.number,
        "heading": task.heading,
        "title": task.title,
        "content": task.content,
        "responsibility": task.responsibility,
        "lead_unit_name": task.lead,
        "coordinating_units": task.coordinating,
        "deadline_text": task.deadline_text,
        "deadline": task.deadline,
        "recurrence": task.recurrence,
        "order": task.order,
    }


@transaction.atomic
def plan_seed_load(*, path: Path | None = None, actor: User | AnonymousUser | None = None) -> PlanLoadReport:
    """Create or update the province plan from the seed document; running it again changes nothing."""
    path = path or SEED_PATH
    parsed = plan_read(path)
    province = _home_province()
    plan, plan_created = Plan.objects.select_for_update().get_or_create(
        code=parsed.code,
        defaults={
            "title": parsed.title,
            "year": parsed.year,
            "period": str(parsed.year),
            "issued_by": parsed.issued_by,
            "document_number": parsed.document_number,
            "unit": province,
        },
    )
    report = PlanLoadReport(plan=plan.code, path=path, plan_created=plan_created, groups=len(parsed.groups))
    groups: dict[str, PlanGroup] = {}
    for parsed_group in parsed.groups:
        groups[parsed_group.code], _created = PlanGroup.objects.update_or_create(
            plan=plan, code=parsed_group.code, defaults={"title": parsed_group.title, "order": parsed_group.order}
        )
    agencies = _organisations_by_name(province)
    existing = {task.code: task for task in PlanTask.objects.select_for_update().filter(plan=plan)}
    for parsed_task in parsed.tasks:
        fields = _written(parsed_task)
        task = existing.get(parsed_task.code)
        if task is None:
            PlanTask.objects.create(
                plan=plan,
                group=groups[parsed_task.group],
                code=parsed_task.code,
                lead_organisation=agencies.get(name_key(parsed_task.lead)),
                expected_output=parsed_task.expected_output,
                reported_by_communes=communes_report(parsed_task),
                **fields,
            )
            report.created.append(parsed_task.code)
            continue
        changed = [name for name, value in fields.items() if getattr(task, name) != value]
        if task.group_id != groups[parsed_task.group].pk:
            task.group = groups[parsed_task.group]
            changed.append("group")
        if not changed:
            report.unchanged.append(parsed_task.code)
            continue
        for name in changed:
            if name != "group":
                setattr(task, name, fields[name])
        task.save(update_fields=[*changed, "updated_at"])
        report.updated.append(parsed_task.code)
    loaded = {task.code for task in parsed.tasks}
    report.not_in_seed = sorted(code for code in existing if code not in loaded)  # kept: tasks the group added
    audit_record(
        actor=actor,
        action="plan.load",
        obj=plan,
        details={
            "path": path.name,
            "plan_created": plan_created,
            "created": len(report.created),
            "updated": len(report.updated),
            "unchanged": len(report.unchanged),
        },
    )
    return report
