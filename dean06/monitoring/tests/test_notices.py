"""Notices of the monthly reports: reminders in the days before the due day, overdue notices after it, the working
group's list of late communes; each sent once, to the commune's own officers only; the job and the command."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

from dean06.core.models import AuditEvent, User
from dean06.core.roles import Role
from dean06.monitoring.jobs import report_notices_send as report_notices_job
from dean06.monitoring.models import Plan, PlanTask, ReportNotice
from dean06.monitoring.notices import overdue_period, report_notices_send
from dean06.monitoring.reports import report_submit
from dean06.monitoring.seed import PLAN_CODE
from dean06.testing import factories
from dean06.testing.factories import LONG_DUC, PROVINCE, TRA_VINH

pytestmark = pytest.mark.django_db

PERIOD = "2026-10"  # due on 18/11/2026


@pytest.fixture
def outbox(settings: Settings, tmp_path: Path) -> Path:
    settings.NOTIFICATIONS_BACKEND = "file"
    settings.NOTIFICATIONS_FILE = str(tmp_path / "notifications.jsonl")
    return Path(settings.NOTIFICATIONS_FILE)


@pytest.fixture
def long_duc_officer() -> User:
    return factories.user_with_role(Role.ONE_STOP_OFFICER, LONG_DUC, email="motcua.longduc@example.vn")


@pytest.fixture
def tra_vinh_officer() -> User:
    return factories.user_with_role(Role.COMMUNE_POLICE, TRA_VINH, email="conganphuong.travinh@example.vn")


@pytest.fixture
def working_group() -> User:
    return factories.user_with_role(Role.WORKING_GROUP, PROVINCE, email="tocongtac@example.vn")


def _sent(outbox: Path, user: User | None = None, month: str = "10/2026") -> list[dict[str, str]]:
    """The messages sent (to `user`) about the report of `month` (September's is overdue all along in these tests:
    nobody sent it)."""
    rows = [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()] if outbox.exists() else []
    return [row for row in rows if (user is None or row["to_email"] == user.email) and f"tháng {month}" in row["body"]]


def _submit(plan: Plan, officer: User, commune: str) -> None:
    task = PlanTask.objects.filter(plan=plan).order_by("order").first()
    assert task is not None
    tasks = [{"task_id": task.pk, "status": PlanTask.Status.IN_PROGRESS, "percent": 50}]
    report_submit(actor=officer, unit=factories.unit(commune), plan=plan, period=PERIOD, tasks=tasks, kpis={})


def test_a_commune_officer_is_reminded_from_three_days_before_the_due_day(
    plan: Plan, outbox: Path, long_duc_officer: User
) -> None:
    report_notices_send(today=date(2026, 11, 14))
    assert _sent(outbox, long_duc_officer) == []

    report_notices_send(today=date(2026, 11, 15))
    [message] = _sent(outbox, long_duc_officer)
    assert message["body"] == "Báo cáo tháng 10/2026 Đề án 06 của Phường Long Đức hạn gửi 18/11/2026; còn 3 ngày."
    assert message["reference"] == f"{PLAN_CODE}/{PERIOD}/{LONG_DUC}" and message["to_phone"] == ""


def test_no_reminder_after_submitting(plan: Plan, outbox: Path, long_duc_officer: User) -> None:
    _submit(plan, long_duc_officer, LONG_DUC)
    report_notices_send(today=date(2026, 11, 16))
    report_notices_send(today=date(2026, 11, 19))
    assert _sent(outbox, long_duc_officer) == []


def test_overdue_after_the_due_day_and_the_working_group_summary(
    plan: Plan, outbox: Path, long_duc_officer: User, tra_vinh_officer: User, working_group: User
) -> None:
    _submit(plan, tra_vinh_officer, TRA_VINH)
    report_notices_send(today=date(2026, 11, 18))  # the due day itself: still a reminder
    assert "còn" not in _sent(outbox, long_duc_officer)[-1]["body"]
    assert "hôm nay là ngày cuối" in _sent(outbox, long_duc_officer)[-1]["body"]

    report_notices_send(today=date(2026, 11, 19))
    overdue = _sent(outbox, long_duc_officer)[-1]["body"]
    assert "Phường Long Đức đã quá hạn gửi 18/11/2026 (1 ngày)" in overdue

    [summary] = _sent(outbox, working_group)
    assert summary["body"].startswith("Báo cáo tháng 10/2026 Đề án 06: ")
    assert "Phường Long Đức" in summary["body"] and "Phường Trà Vinh" not in summary["body"]
    assert _sent(outbox, tra_vinh_officer) == []  # Trà Vinh sent its report: nothing, not Long Đức's notices


def test_running_twice_sends_nothing_twice(
    plan: Plan, outbox: Path, long_duc_officer: User, working_group: User
) -> None:
    for day in (15, 15, 16, 16):
        report_notices_send(today=date(2026, 11, day))
    assert len(_sent(outbox, long_duc_officer)) == 2  # one reminder a day

    for day in (19, 19, 22, 25):
        report_notices_send(today=date(2026, 11, day))
    assert len(_sent(outbox, long_duc_officer)) == 3  # one overdue notice a week…
    report_notices_send(today=date(2026, 11, 26))
    assert len(_sent(outbox, long_duc_officer)) == 4  # …the next one 7 days later
    assert len(_sent(outbox, working_group)) == 1  # one summary per period
    sent = ReportNotice.objects.filter(plan=plan, unit__code=LONG_DUC, period=PERIOD)
    assert sorted(sent.values_list("kind", flat=True)) == ["overdue", "overdue", "reminder", "reminder"]
    assert set(sent.values_list("recipients", flat=True)) == {1}


def test_other_communes_and_the_province_receive_no_commune_notice(
    plan: Plan, outbox: Path, long_duc_officer: User, tra_vinh_officer: User, working_group: User
) -> None:
    report_notices_send(today=date(2026, 11, 15))
    assert {m["body"].split(" của ")[1].split(" hạn")[0] for m in _sent(outbox, tra_vinh_officer)} == {
        "Phường Trà Vinh"
    }
    assert all("Phường Long Đức" in m["body"] for m in _sent(outbox, long_duc_officer))
    assert _sent(outbox, working_group) == []  # provincial holders of report.submit are not a commune's reporters
    inactive = factories.user_with_role(Role.ONE_STOP_OFFICER, LONG_DUC, email="nghi@example.vn", is_active=False)
    report_notices_send(today=date(2026, 11, 16))
    assert _sent(outbox, inactive) == []


def test_each_sending_run_is_audited_and_a_dry_run_sends_nothing(
    plan: Plan, outbox: Path, long_duc_officer: User
) -> None:
    out = StringIO()
    call_command("report_notices", "--today", "2026-11-15", "--dry-run", stdout=out)
    assert "Sẽ gửi" in out.getvalue() and "Phường Long Đức" in out.getvalue()
    assert _sent(outbox) == [] and not ReportNotice.objects.exists()
    assert not AuditEvent.objects.filter(action="report.notify").exists()

    call_command("report_notices", "--today", "2026-11-15", stdout=StringIO())
    event = AuditEvent.objects.get(action="report.notify")
    for kind in ReportNotice.Kind.values:
        assert event.details[kind] == ReportNotice.objects.filter(kind=kind).count()
    assert event.details["reminder"] > 0
    assert event.details["recipients"] == 2  # the officer: October's reminder and September's overdue notice


def test_the_job_sends_the_notices_due(plan: Plan, outbox: Path, long_duc_officer: User) -> None:
    result = report_notices_job.enqueue(today_iso="2026-11-19")  # the immediate backend in tests
    assert result.return_value["overdue"] > 0 and result.return_value["reminder"] == 0
    assert "đã quá hạn" in _sent(outbox, long_duc_officer)[0]["body"]


def test_the_overdue_period_is_the_latest_past_its_due_day() -> None:
    assert overdue_period(date(2026, 11, 19)) == "2026-10"
    assert overdue_period(date(2026, 11, 18)) == "2026-09"
    assert overdue_period(date(2027, 1, 5)) == "2026-11"
