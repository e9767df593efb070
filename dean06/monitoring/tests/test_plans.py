"""Loading the province plan: every task stored once, attached to the home province, reloads idempotent, audited."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from dean06.core.access import visible_to
from dean06.core.models import AuditEvent
from dean06.core.roles import Permission, Role
from dean06.monitoring.models import Plan, PlanGroup, PlanTask
from dean06.monitoring.seed import PLAN_CODE, SEED_PATH
from dean06.monitoring.services import HomeProvinceMissingError, plan_seed_load
from dean06.registry.models import Organisation
from dean06.testing import factories

pytestmark = pytest.mark.django_db

NUMBERED_ITEMS = len(re.findall(r"^\s*\(\d+\)\s", SEED_PATH.read_text(encoding="utf-8"), flags=re.MULTILINE))


def test_load_stores_every_task_under_the_home_province() -> None:
    report = plan_seed_load()
    plan = Plan.objects.get(code=PLAN_CODE)
    assert report.plan_created
    assert (plan.unit.era, plan.unit.code, plan.unit.level) == ("2025", factories.PROVINCE, "province")
    assert (plan.year, plan.issued_by) == (2023, "Ủy ban nhân dân tỉnh Trà Vinh")
    assert list(PlanGroup.objects.filter(plan=plan).values_list("code", flat=True)) == ["A", "B", "III"]
    assert plan.tasks.count() == len(report.created) == 29
    assert plan.tasks.filter(number__regex=r"^\(\d+\)$").count() == NUMBERED_ITEMS == 20
    assert plan.tasks.filter(group__code="III").count() == 6
    assert set(plan.tasks.values_list("status", flat=True)) == {PlanTask.Status.OPEN}


def test_a_tasks_units_and_deadline() -> None:
    plan_seed_load()
    task = PlanTask.objects.get(plan__code=PLAN_CODE, code="B.2.4.(3)")
    assert task.group.code == "B"
    assert task.number == "(3)"
    assert task.heading == "2.4. Nhiệm vụ cần thực hiện"
    assert task.lead_unit_name == "Văn phòng UBND tỉnh"
    assert task.coordinating_units == ["Sở Thông tin và Truyền thông", "Công an tỉnh", "UBND cấp huyện"]
    assert (task.deadline_text, task.deadline, task.recurrence) == (
        "Thực hiện xong trong Quý I/2023",
        date(2023, 3, 31),
        PlanTask.Recurrence.ONCE,
    )
    report = PlanTask.objects.get(plan__code=PLAN_CODE, code="III.1.3")
    assert report.recurrence == PlanTask.Recurrence.MONTHLY
    assert report.deadline_text == "Định kỳ trước ngày 18 hàng tháng"


def test_reload_changes_nothing_and_keeps_the_working_groups_changes() -> None:
    plan_seed_load()
    task = PlanTask.objects.get(plan__code=PLAN_CODE, code="A.1.(1)")
    task.status = PlanTask.Status.DONE
    task.expected_output = "Chỉ thị của Chủ tịch UBND tỉnh"
    task.save()
    PlanTask.objects.create(
        plan=task.plan, group=task.group, code="A.9", title="Nhiệm vụ do Tổ công tác bổ sung", order=99
    )
    ids = dict(PlanTask.objects.values_list("code", "pk"))

    report = plan_seed_load()

    assert not report.plan_created
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (0, 0, 29)
    assert report.not_in_seed == ["A.9"]
    assert dict(PlanTask.objects.values_list("code", "pk")) == ids
    assert Plan.objects.count() == 1
    assert PlanGroup.objects.count() == 3
    task.refresh_from_db()
    assert (task.status, task.expected_output) == (PlanTask.Status.DONE, "Chỉ thị của Chủ tịch UBND tỉnh")


def test_reload_restores_edited_text_as_written() -> None:
    plan_seed_load()
    PlanTask.objects.filter(code="A.1.(1)").update(lead_unit_name="sai", deadline=None)
    report = plan_seed_load()
    assert report.updated == ["A.1.(1)"]
    task = PlanTask.objects.get(code="A.1.(1)")
    assert (task.lead_unit_name, task.deadline) == ("Công an tỉnh", date(2023, 1, 31))


def test_lead_agency_linked_when_one_province_agency_bears_the_name() -> None:
    police = factories.organisation(factories.PROVINCE, Organisation.Kind.POLICE, name="Công an tỉnh")
    plan_seed_load()
    led = PlanTask.objects.filter(lead_organisation=police)
    assert set(led.values_list("lead_unit_name", flat=True)) == {"Công an tỉnh"}
    assert led.filter(code="A.1.(1)").exists()
    assert not PlanTask.objects.filter(code="A.1.(2)", lead_organisation__isnull=False).exists()


def test_load_is_audited() -> None:
    plan_seed_load()
    plan_seed_load()
    events = AuditEvent.objects.filter(action="plan.load").order_by("seq")
    assert [event.details["created"] for event in events] == [29, 0]
    assert [event.details["unchanged"] for event in events] == [0, 29]
    assert {event.object_id for event in events} == {str(Plan.objects.get().pk)}


def test_tasks_are_scoped_to_the_province() -> None:
    plan_seed_load()
    provincial = factories.user_with_role(Role.WORKING_GROUP, unit_code=factories.PROVINCE)
    commune = factories.user_with_role(Role.WORKING_GROUP, unit_code=factories.LONG_DUC)
    tasks = PlanTask.objects.all()
    assert visible_to(tasks, actor=provincial, permission=Permission.MONITORING_VIEW).count() == 29
    # A commune's officers do not see the province's plan through the province's scope.
    assert visible_to(tasks, actor=commune, permission=Permission.MONITORING_VIEW).count() == 0


@override_settings(DEAN06_HOME_PROVINCE="99")
def test_missing_home_province_is_a_clear_error() -> None:
    with pytest.raises(HomeProvinceMissingError):
        plan_seed_load()
    assert not Plan.objects.exists()


def test_command_load_and_check() -> None:
    out = StringIO()
    call_command("plans", "load", stdout=out)
    assert "created 29" in out.getvalue()
    out = StringIO()
    call_command("plans", "load", stdout=out)
    assert "unchanged 29" in out.getvalue()
    out = StringIO()
    call_command("plans", "check", stdout=out)
    assert "29 nhiệm vụ / tasks" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("plans", "load", "--file", "/khong/co/tep.txt")
