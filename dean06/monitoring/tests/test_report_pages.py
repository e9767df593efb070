"""The monthly report pages: a commune fills in its report (impossible figures come back beside their fields with
everything typed kept), the working group returns it with a comment and accepts the resubmission; scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dean06.core.models import AuditEvent
from dean06.core.roles import Role
from dean06.monitoring.models import MonthlyReport, Plan, ReportVersion
from dean06.monitoring.rollup.data import rollup_build
from dean06.monitoring.selectors import report_tasks
from dean06.monitoring.tests.helpers import staff_client
from dean06.registry.models import Organisation
from dean06.testing import factories
from dean06.testing.auth import login
from dean06.testing.factories import LONG_DUC, PROVINCE, TRA_VINH

pytestmark = pytest.mark.django_db

PERIOD = "2026-10"


def _form_url(plan: Plan, unit: str = LONG_DUC, period: str = PERIOD) -> str:
    return reverse("monitoring:report_form") + f"?plan={plan.pk}&unit={unit}&period={period}"


def _answers(plan: Plan, **overrides: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for i, _task in enumerate(report_tasks(plan=plan)):
        data |= {
            f"task_{i}_status": "in_progress",
            f"task_{i}_percent": "50",
            f"task_{i}_done": f"Kết quả nhiệm vụ {i}",
            f"task_{i}_difficulties": "",
            f"task_{i}_proposals": "",
        }
    return data | overrides


def test_the_seed_plan_marks_the_tasks_the_communes_report_on(plan: Plan) -> None:
    tasks = report_tasks(plan=plan)
    assert [task.code for task in tasks] == [
        "B.2.4.(1)", "B.2.4.(3)", "B.2.4.(4)", "B.2.4.(5)", "B.3.(3)", "B.4.(1)", "B.5.(2)", "B.5.(3)", "B.7",
        "III.1.1", "III.1.2", "III.1.3",
    ]  # fmt: skip


def test_form_shows_tasks_and_the_kpis_live_or_to_type(plan: Plan) -> None:
    response = staff_client(Role.ONE_STOP_OFFICER, LONG_DUC).get(_form_url(plan))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Báo cáo tháng 2026-10" in body and "Phường Long Đức" in body
    assert "B.2.4.(1)" in body and "Hạn gửi: 18/11/2026" in body
    # No dossier in October: the dossier KPIs are typed, with the reason the platform has no figure.
    assert "Chưa có dữ liệu" in body and 'name="kpi_1_value"' in body


def test_impossible_figures_come_back_beside_their_fields_and_nothing_typed_is_lost(plan: Plan) -> None:
    client = staff_client(Role.ONE_STOP_OFFICER, LONG_DUC)
    data = _answers(
        plan,
        task_0_percent="120",
        task_1_percent="năm mươi",
        task_2_done="Đã rà soát 1.250 hồ sơ",
        kpi_1_value="-5",
        kpi_2_numerator="30",
        kpi_2_denominator="20",
        kpi_3_value="45,5",
    )
    response = client.post(_form_url(plan), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["task_0_percent"] == ["Tỷ lệ hoàn thành phải từ 0 đến 100."]
    assert form.errors["task_1_percent"] == ["Tỷ lệ hoàn thành phải là số nguyên từ 0 đến 100."]
    assert form.errors["kpi_1_value"] == ["Tỷ lệ phải từ 0 đến 100."]
    assert form.errors["kpi_2_numerator"] == ["Tử số không được lớn hơn mẫu số."]
    assert "kpi_3_value" not in form.errors  # a decimal comma is a number
    body = response.content.decode()
    assert 'value="năm mươi"' in body and "Đã rà soát 1.250 hồ sơ" in body and 'value="45,5"' in body
    assert not MonthlyReport.objects.exists()


def test_submit_return_resubmit_accept(plan: Plan) -> None:
    commune = staff_client(Role.ONE_STOP_OFFICER, LONG_DUC)
    response = commune.post(_form_url(plan), _answers(plan, kpi_1_value="12,5", kpi_1_note="Sổ theo dõi một cửa"))
    report = MonthlyReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("monitoring:report_detail", args=[report.pk])
    assert report.status == MonthlyReport.Status.SUBMITTED
    version = report.versions.get()
    assert version.content["tasks"][0]["percent"] == 50
    kpi = next(iter(version.content["kpis"].values()))
    assert "name" in kpi
    # Submitted: the form now leads to the report, not to a second submission.
    assert commune.get(_form_url(plan))["Location"] == reverse("monitoring:report_detail", args=[report.pk])
    # The commune cannot decide on its own report.
    assert (
        commune.post(reverse("monitoring:report_detail", args=[report.pk]), {"decision": "accept"}).status_code == 403
    )

    group = staff_client(Role.WORKING_GROUP, PROVINCE)
    detail = reverse("monitoring:report_detail", args=[report.pk])
    assert "Xem xét báo cáo" in group.get(detail).content.decode()
    response = group.post(detail, {"decision": "return", "comment": ""})
    assert response.status_code == 400
    assert "Vui lòng nhập ý kiến khi trả lại báo cáo." in response.content.decode()
    group.post(detail, {"decision": "return", "comment": "Bổ sung số liệu nhiệm vụ B.4.(1)."})
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.RETURNED

    form = commune.get(_form_url(plan))
    body = form.content.decode()
    assert "Bổ sung số liệu nhiệm vụ B.4.(1)." in body and "Kết quả nhiệm vụ 0" in body  # prefilled from version 1
    commune.post(_form_url(plan), _answers(plan, task_5_percent="100", task_5_status="done"))
    group.post(detail, {"decision": "accept"})
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.ACCEPTED
    assert list(ReportVersion.objects.filter(report=report).values_list("number", flat=True)) == [1, 2]
    page = group.get(detail).content.decode()
    assert "Lần gửi 1" in page and "Lần gửi 2" in page and "Bổ sung số liệu" in page
    actions = list(
        AuditEvent.objects.filter(action__startswith="report.").order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["report.submit", "report.return", "report.submit", "report.accept"]


def test_a_commune_reaches_neither_another_commune_form_nor_its_report(plan: Plan) -> None:
    other = staff_client(Role.ONE_STOP_OFFICER, LONG_DUC)
    other.post(_form_url(plan), _answers(plan))
    report = MonthlyReport.objects.get()
    outsider = staff_client(Role.ONE_STOP_OFFICER, TRA_VINH)
    assert outsider.get(_form_url(plan)).status_code == 404
    assert outsider.post(_form_url(plan), _answers(plan)).status_code == 404
    assert outsider.get(reverse("monitoring:report_detail", args=[report.pk])).status_code == 404
    listing = outsider.get(reverse("monitoring:report_list") + f"?period={PERIOD}")
    assert "Phường Long Đức" not in listing.content.decode()
    assert MonthlyReport.objects.count() == 1


def test_list_shows_the_late_communes_to_the_working_group(plan: Plan) -> None:
    staff_client(Role.ONE_STOP_OFFICER, LONG_DUC).post(_form_url(plan), _answers(plan))
    response = staff_client(Role.WORKING_GROUP, PROVINCE).get(reverse("monitoring:report_list") + f"?period={PERIOD}")
    body = response.content.decode()
    assert response.status_code == 200 and "Phường Long Đức" in body
    late = dict(response.context["late"])[plan]
    assert late and "Phường Long Đức" not in late and "Phường Trà Vinh" in late


@pytest.mark.parametrize("period", ["2026-13", "tháng 10", "2099-01"])
def test_a_bad_or_future_period_is_a_clear_message(plan: Plan, period: str) -> None:
    client = staff_client(Role.ONE_STOP_OFFICER, LONG_DUC)
    response = client.post(_form_url(plan, period=period), _answers(plan))
    assert response.status_code == 400
    assert not MonthlyReport.objects.exists()


def test_a_report_sent_after_the_due_day_is_marked_late(plan: Plan) -> None:
    client = staff_client(Role.ONE_STOP_OFFICER, LONG_DUC)
    client.post(_form_url(plan, period="2026-09"), _answers(plan))  # due 18/10/2026, sent on 27/11/2026
    report = MonthlyReport.objects.get()
    assert "Gửi muộn" in client.get(reverse("monitoring:report_detail", args=[report.pk])).content.decode()


def _department_officer(name: str) -> Client:
    agency = factories.organisation(PROVINCE, kind=Organisation.Kind.DEPARTMENT, name=name)
    user = factories.user_with_role(Role.DEPARTMENT_OFFICER, PROVINCE, organisation=agency)
    return login(Client(), user)


def test_a_department_reports_on_the_tasks_it_leads_or_joins(plan: Plan) -> None:
    justice = _department_officer("Sở Tư pháp")
    listing = justice.get(reverse("monitoring:report_list") + f"?period={PERIOD}")
    assert listing.context["departments"][0].name == "Sở Tư pháp" and not listing.context["units"]
    code = listing.context["departments"][0].code
    url = reverse("monitoring:report_form") + f"?plan={plan.pk}&org={code}&period={PERIOD}"
    form = justice.get(url)
    assert form.status_code == 200 and "Báo cáo tháng 2026-10 · Sở Tư pháp" in form.content.decode()
    codes = [task.code for task in form.context["tasks"]]
    assert codes == ["B.1", "B.5.(2)"]  # led by Sở Tư pháp as written; no KPI section for a department
    assert not form.context["lines"]
    data = {"task_0_status": "done", "task_0_percent": "100", "task_1_status": "in_progress", "task_1_percent": "40"}
    assert justice.post(url, data).status_code == 302
    report = MonthlyReport.objects.get()
    assert report.organisation is not None and report.reporter_name == "Sở Tư pháp" and report.unit.code == PROVINCE
    # Another department neither opens Sở Tư pháp's form nor reads its report; the working group reads it.
    health = _department_officer("Sở Y tế")
    assert health.get(url).status_code == 404
    assert health.get(reverse("monitoring:report_detail", args=[report.pk])).status_code == 404
    assert "Sở Tư pháp" not in health.get(reverse("monitoring:report_list") + f"?period={PERIOD}").content.decode()
    group = staff_client(Role.WORKING_GROUP, PROVINCE)
    assert group.get(reverse("monitoring:report_detail", args=[report.pk])).status_code == 200
    late = dict(group.get(reverse("monitoring:report_list") + f"?period={PERIOD}").context["late"])[plan]
    assert "Sở Tư pháp" not in late and "Sở Y tế" in late  # Sở Y tế leads B.3.(1) and B.3.(5)
    group.post(reverse("monitoring:report_detail", args=[report.pk]), {"decision": "accept"})
    rollup = rollup_build(actor=None, plan=plan, period=PERIOD)
    b1 = next(task for task in rollup.tasks if task.code == "B.1")
    assert [(u.unit_name, u.percent) for u in b1.units] == [("Sở Tư pháp", 100)]
    assert rollup.reporting.accepted == 0  # the communes' count: a department is not a commune


def test_a_department_officer_does_not_report_for_a_commune(plan: Plan) -> None:
    justice = _department_officer("Sở Tư pháp")
    assert justice.get(_form_url(plan)).status_code == 404
    assert justice.get(reverse("monitoring:report_list")).context["units"] == []
