"""Monthly reports: submit, return with a comment, resubmit, accept; validation per field; scope; late units."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dean06.core.errors import PermissionDeniedError
from dean06.core.models import AuditEvent
from dean06.core.roles import Role
from dean06.monitoring.models import MonthlyReport, Plan, PlanTask, ReportVersion
from dean06.monitoring.reports import (
    ReportInvalidError,
    ReportStateError,
    report_accept,
    report_due_on,
    report_prefill,
    report_reminders_due,
    report_return,
    report_submit,
    reports_late,
)
from dean06.testing import factories
from dean06.testing.factories import LONG_DUC, PROVINCE, TRA_VINH

pytestmark = pytest.mark.django_db

PERIOD = "2026-10"


def _tasks(plan: Plan, **changes: Any) -> list[dict[str, Any]]:
    task = plan.tasks.order_by("order").first()
    assert task is not None
    row: dict[str, Any] = {
        "task_id": task.pk,
        "status": PlanTask.Status.IN_PROGRESS,
        "percent": 60,
        "done": "Đã triển khai tại bộ phận một cửa",
        "difficulties": "",
        "proposals": "",
    }
    return [row | changes]


def _submit(plan: Plan, actor: Any, **kwargs: Any) -> MonthlyReport:
    arguments: dict[str, Any] = {
        "tasks": _tasks(plan),
        "kpis": {"EID_LEVEL2": {"value": 75.5, "numerator": 151, "denominator": 200, "note": ""}},
    } | kwargs
    return report_submit(actor=actor, unit=factories.unit(LONG_DUC), plan=plan, period=PERIOD, **arguments)


def test_submit_return_resubmit_accept_keeps_every_version(plan: Plan) -> None:
    officer = factories.user_with_role(Role.ONE_STOP_OFFICER, LONG_DUC)
    group = factories.user_with_role(Role.WORKING_GROUP, PROVINCE)

    report = _submit(plan, officer)
    assert report.status == MonthlyReport.Status.SUBMITTED
    assert report.due_on == date(2026, 11, 18)

    report = report_return(actor=group, report_id=report.pk, comment="Bổ sung số liệu định danh điện tử")
    assert report.status == MonthlyReport.Status.RETURNED

    report = _submit(plan, officer, tasks=_tasks(plan, percent=80))
    assert report.status == MonthlyReport.Status.SUBMITTED
    report = report_accept(actor=group, report_id=report.pk)
    assert report.status == MonthlyReport.Status.ACCEPTED

    first, second = ReportVersion.objects.filter(report=report).order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert first.content["tasks"][0]["percent"] == 60
    assert second.content["tasks"][0]["percent"] == 80
    assert first.content["kpis"]["EID_LEVEL2"]["value"] == 75.5
    assert (first.return_comment, first.returned_by) == ("Bổ sung số liệu định danh điện tử", group)
    assert second.return_comment == ""
    actions = list(
        AuditEvent.objects.filter(object_id=str(report.pk), action__startswith="report.").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == sorted(["report.submit", "report.return", "report.submit", "report.accept"])


def test_a_return_needs_a_comment_and_the_working_group(plan: Plan) -> None:
    officer = factories.user_with_role(Role.ONE_STOP_OFFICER, LONG_DUC)
    report = _submit(plan, officer)
    with pytest.raises(PermissionDeniedError):
        report_accept(actor=officer, report_id=report.pk)
    with pytest.raises(ReportInvalidError) as caught:
        report_return(actor=factories.user_with_role(Role.WORKING_GROUP, PROVINCE), report_id=report.pk, comment=" ")
    assert "comment" in caught.value.errors
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.SUBMITTED


@pytest.mark.parametrize(
    ("tasks_change", "kpis", "field"),
    [
        ({"percent": 120}, {}, "tasks.0.percent"),
        ({"percent": -1}, {}, "tasks.0.percent"),
        ({"percent": "abc"}, {}, "tasks.0.percent"),
        ({"status": "finished"}, {}, "tasks.0.status"),
        ({}, {"EID_LEVEL2": {"value": "abc"}}, "kpis.EID_LEVEL2.value"),
        ({}, {"EID_LEVEL2": {"value": 101}}, "kpis.EID_LEVEL2.value"),
        ({}, {"EID_LEVEL2": {"value": -1}}, "kpis.EID_LEVEL2.value"),
        ({}, {"EID_LEVEL2": {"value": 50, "numerator": 30, "denominator": 20}}, "kpis.EID_LEVEL2.numerator"),
    ],
)
def test_bad_input_gives_field_messages_and_stores_nothing(
    plan: Plan, tasks_change: dict[str, Any], kpis: dict[str, Any], field: str
) -> None:
    officer = factories.user_with_role(Role.COMMUNE_POLICE, LONG_DUC)
    before = AuditEvent.objects.count()
    with pytest.raises(ReportInvalidError) as caught:
        _submit(plan, officer, tasks=_tasks(plan, **tasks_change), kpis=kpis)
    assert list(caught.value.errors) == [field]
    assert caught.value.errors[field]  # a Vietnamese message for the field
    assert not MonthlyReport.objects.exists()
    assert not ReportVersion.objects.exists()
    assert AuditEvent.objects.count() == before


def test_every_error_is_collected(plan: Plan) -> None:
    officer = factories.user_with_role(Role.ONE_STOP_OFFICER, LONG_DUC)
    with pytest.raises(ReportInvalidError) as caught:
        _submit(
            plan,
            officer,
            tasks=_tasks(plan, percent=120),
            kpis={"A": {"value": "x"}, "B": {"numerator": 3, "denominator": 2}},
        )
    assert caught.value.errors == {
        "tasks.0.percent": "Tỷ lệ hoàn thành phải từ 0 đến 100.",
        "kpis.A.value": "Giá trị phải là một số.",
        "kpis.B.numerator": "Tử số không được lớn hơn mẫu số.",
    }


def test_another_communes_officer_cannot_submit(plan: Plan) -> None:
    stranger = factories.user_with_role(Role.ONE_STOP_OFFICER, TRA_VINH)
    with pytest.raises(PermissionDeniedError):
        _submit(plan, stranger)
    with pytest.raises(PermissionDeniedError):
        _submit(plan, factories.user_with_role(Role.LABOUR_OFFICER, LONG_DUC))
    assert not MonthlyReport.objects.exists()


def test_late_units_after_the_due_day(plan: Plan) -> None:
    assert report_due_on("2026-12") == date(2027, 1, 18)
    assert reports_late(plan, PERIOD, date(2026, 11, 18)) == []
    late = reports_late(plan, PERIOD, date(2026, 11, 19))
    codes = {unit.code for unit in late}
    assert {LONG_DUC, TRA_VINH} <= codes
    assert PROVINCE not in codes

    _submit(plan, factories.user_with_role(Role.ONE_STOP_OFFICER, LONG_DUC))
    codes = {unit.code for unit in reports_late(plan, PERIOD, date(2026, 11, 19))}
    assert LONG_DUC not in codes
    assert TRA_VINH in codes


def test_reminders_in_the_days_before_the_due_day(plan: Plan) -> None:
    assert report_reminders_due(date(2026, 11, 14)) == []
    assert report_reminders_due(date(2026, 11, 19)) == []
    _submit(plan, factories.user_with_role(Role.ONE_STOP_OFFICER, LONG_DUC))
    reminded = {unit.code for _plan, unit in report_reminders_due(date(2026, 11, 15))}
    assert TRA_VINH in reminded
    assert LONG_DUC not in reminded
    assert {unit.code for _plan, unit in report_reminders_due(date(2026, 11, 18))} == reminded


def test_prefill_gives_the_live_kpis() -> None:
    prefill = report_prefill(factories.unit(LONG_DUC), PERIOD)
    assert prefill
    for entry in prefill.values():
        assert set(entry) == {"value", "numerator", "denominator", "note"}


def test_a_submitted_report_waits_for_review_before_another_version(plan: Plan) -> None:
    officer = factories.user_with_role(Role.ONE_STOP_OFFICER, LONG_DUC)
    _submit(plan, officer)
    with pytest.raises(ReportStateError):
        _submit(plan, officer)
    assert ReportVersion.objects.count() == 1
