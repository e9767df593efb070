"""The working group creates plans and adds, reassigns and closes tasks; a commune plans only for itself. Every
change is audited with what changed."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dean06.core.models import AuditEvent
from dean06.core.roles import Role
from dean06.monitoring.models import Plan, PlanTask
from dean06.monitoring.tests.helpers import staff_client
from dean06.testing import factories
from dean06.testing.factories import LONG_DUC, PROVINCE, TRA_VINH

pytestmark = pytest.mark.django_db


def test_working_group_creates_the_next_programme_and_adds_a_task() -> None:
    group = staff_client(Role.WORKING_GROUP, PROVINCE)
    data = {"unit": PROVINCE, "code": "kh-da06-vl-2026-2030", "title": "Chương trình Đề án 06 giai đoạn 2026–2030"}
    response = group.post(reverse("monitoring:plan_create"), data | {"year": "2026", "period": "2026–2030"})
    plan = Plan.objects.get(code="KH-DA06-VL-2026-2030")
    assert response.status_code == 302 and plan.status == Plan.Status.DRAFT and plan.period == "2026–2030"
    agency = factories.organisation(name="Sở Khoa học và Công nghệ", unit_code=PROVINCE)
    task = {
        "group_code": "A",
        "group_title": "Hạ tầng dữ liệu",
        "title": "Kết nối CSDL dân cư với hệ thống giải quyết TTHC của tỉnh",
        "lead_organisation": str(agency.pk),
        "coordinating_units": "Công an tỉnh; UBND các xã, phường",
        "deadline": "30/06/2026",
        "recurrence": "once",
    }
    response = group.post(reverse("monitoring:task_create", args=[plan.pk]), task)
    assert response.status_code == 302
    added = PlanTask.objects.get(plan=plan)
    assert (added.code, added.lead_unit_name, added.coordinating_units) == (
        "A.1",
        "Sở Khoa học và Công nghệ",
        ["Công an tỉnh", "UBND các xã, phường"],
    )
    assert added.deadline == date(2026, 6, 30) and added.deadline_text == "30/06/2026"
    group.post(reverse("monitoring:plan_status", args=[plan.pk]), {"status": "active"})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"plan.create", "plan.task_add", "plan.status"} <= actions


def test_reassigning_and_closing_a_task_is_audited_field_by_field(plan: Plan) -> None:
    agency = factories.organisation(name="Sở Nội vụ", unit_code=PROVINCE)
    task = plan.tasks.get(code="B.2.4.(3)")
    group = staff_client(Role.WORKING_GROUP, PROVINCE)
    page = group.get(reverse("monitoring:task_edit", args=[task.pk]))
    assert page.status_code == 200 and task.title in page.content.decode()
    data = {
        "lead_organisation": str(agency.pk),
        "lead_unit_name": "",
        "coordinating_units": "Công an tỉnh",
        "deadline": "31/12/2026",
        "recurrence": "once",
        "status": "closed",
        "reported_by_communes": "on",
    }
    assert group.post(reverse("monitoring:task_edit", args=[task.pk]), data).status_code == 302
    task.refresh_from_db()
    assert (task.lead_unit_name, task.status, task.coordinating_units) == ("Sở Nội vụ", "closed", ["Công an tỉnh"])
    entry = AuditEvent.objects.get(action="plan.task_update")
    assert entry.details["changed"]["status"] == ["open", "closed"]
    assert entry.details["changed"]["deadline"] == ["2023-03-31", "2026-12-31"]


def test_bad_task_input_keeps_what_was_typed(plan: Plan) -> None:
    response = staff_client(Role.WORKING_GROUP, PROVINCE).post(
        reverse("monitoring:task_create", args=[plan.pk]),
        {"group_code": "A", "title": "Nhiệm vụ mới", "deadline": "31/02/2026", "recurrence": "once"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nhiệm vụ mới" in body and "31/02/2026" in body
    assert not PlanTask.objects.filter(title="Nhiệm vụ mới").exists()


def test_a_commune_plans_for_itself_only(plan: Plan) -> None:
    plan.status = Plan.Status.ACTIVE
    plan.save()
    commune = staff_client(Role.ONE_STOP_OFFICER, LONG_DUC)
    form = commune.get(reverse("monitoring:plan_create"))
    assert form.status_code == 200
    assert [code for code, _name in form.context["form"].fields["unit"].choices] == [LONG_DUC]
    data = {"unit": LONG_DUC, "code": "KH-LD-2026", "title": "Kế hoạch triển khai Đề án 06 năm 2026", "parent": plan.pk}
    assert commune.post(reverse("monitoring:plan_create"), data).status_code == 302
    own = Plan.objects.get(code="KH-LD-2026")
    assert own.parent == plan and own.unit.code == LONG_DUC
    # Another commune's unit is not a choice; the provincial plan is not the commune's to edit.
    refused = commune.post(reverse("monitoring:plan_create"), data | {"unit": TRA_VINH, "code": "KH-TV-2026"})
    assert refused.status_code == 400 and not Plan.objects.filter(code="KH-TV-2026").exists()
    task = plan.tasks.first()
    assert task is not None
    assert commune.get(reverse("monitoring:task_create", args=[plan.pk])).status_code == 404
    assert commune.post(reverse("monitoring:task_edit", args=[task.pk]), {"status": "closed"}).status_code == 404
    assert commune.post(reverse("monitoring:plan_status", args=[plan.pk]), {"status": "closed"}).status_code == 404
    # The commune sees its own plan, not the provincial one nor another commune's.
    listing = commune.get(reverse("monitoring:plan_list")).context["plans"]
    assert [p.code for p in listing] == ["KH-LD-2026"]
    other = staff_client(Role.ONE_STOP_OFFICER, TRA_VINH)
    assert other.get(reverse("monitoring:plan_detail", args=[own.pk])).status_code == 404
    # The working group sees the commune's plan under the provincial one.
    detail = staff_client(Role.WORKING_GROUP, PROVINCE).get(reverse("monitoring:plan_detail", args=[plan.pk]))
    assert own in detail.context["unit_plans"]


def test_a_department_officer_views_but_does_not_edit(plan: Plan) -> None:
    officer = staff_client(Role.DEPARTMENT_OFFICER, PROVINCE)
    assert officer.get(reverse("monitoring:plan_detail", args=[plan.pk])).status_code == 200
    assert officer.get(reverse("monitoring:plan_create")).status_code == 403


def test_a_task_keeps_its_lead(plan: Plan) -> None:
    task = plan.tasks.get(code="B.1")
    data = {"lead_organisation": "", "lead_unit_name": "", "recurrence": "once", "status": "open"}
    response = staff_client(Role.WORKING_GROUP, PROVINCE).post(reverse("monitoring:task_edit", args=[task.pk]), data)
    assert response.status_code == 400
    assert "Vui lòng chọn hoặc nhập đơn vị chủ trì." in response.content.decode()
    task.refresh_from_db()
    assert task.lead_unit_name == "Sở Tư pháp"
