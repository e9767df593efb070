"""Dashboards: plan progress, overdue tasks, report states (late after the due day), the communes' average
percent, KPI trend with gaps, scope (working group vs a commune officer), XLSX exports, bounded queries."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from dean06.core.charts import percent_chart
from dean06.core.models import AuditEvent, User
from dean06.core.roles import Role
from dean06.monitoring.dashboard import (
    ProvinceDashboard,
    ReportState,
    UnitDashboard,
    dashboard_for,
    dashboard_period,
    dashboard_unit_get,
    gapped_chart,
)
from dean06.monitoring.index766 import Period
from dean06.monitoring.kpis import Kpi, KpiSet
from dean06.monitoring.models import Plan, PlanGroup, PlanTask
from dean06.monitoring.reports import report_accept, report_return, report_submit
from dean06.registry.models.units import Level
from dean06.testing import factories
from dean06.testing.auth import login
from dean06.testing.factories import LONG_DUC, PROVINCE, TRA_VINH

pytestmark = pytest.mark.django_db

PERIOD = "2026-10"  # due on 18/11/2026
BEFORE_DUE, AFTER_DUE = date(2026, 11, 18), date(2026, 11, 19)


@pytest.fixture
def plan() -> Plan:
    plan = Plan.objects.create(code="KH-TEST", title="Kế hoạch thử", year=2026, unit=factories.unit(PROVINCE))
    group = PlanGroup.objects.create(plan=plan, code="A", title="Nhóm A")
    rows = [
        ("A.1", PlanTask.Status.DONE, date(2026, 3, 31), True),
        ("A.2", PlanTask.Status.IN_PROGRESS, date(2026, 9, 30), True),  # overdue
        ("A.3", PlanTask.Status.OPEN, date(2026, 6, 30), False),  # overdue, longer
        ("A.4", PlanTask.Status.CLOSED, date(2026, 1, 31), False),
        ("A.5", PlanTask.Status.OPEN, None, False),
    ]
    for order, (code, status, deadline, communes) in enumerate(rows):
        PlanTask.objects.create(
            plan=plan,
            group=group,
            code=code,
            title=f"=Nhiệm vụ {code}" if code == "A.3" else f"Nhiệm vụ {code}",
            lead_unit_name="Công an tỉnh",
            deadline=deadline,
            status=status,
            reported_by_communes=communes,
            order=order,
        )
    return plan


def _submit(plan: Plan, commune: str, percents: tuple[int, int], period: str = PERIOD) -> int:
    tasks = [
        {"task_id": task.pk, "status": PlanTask.Status.IN_PROGRESS, "percent": percent}
        for task, percent in zip(plan.tasks.filter(reported_by_communes=True).order_by("order"), percents, strict=True)
    ]
    officer = factories.user_with_role(Role.ONE_STOP_OFFICER, commune)
    report = report_submit(actor=officer, unit=factories.unit(commune), plan=plan, period=period, tasks=tasks, kpis={})
    return report.pk


@pytest.fixture
def group() -> User:
    return factories.user_with_role(Role.WORKING_GROUP, PROVINCE)


def _province(actor: User, today: date) -> ProvinceDashboard:
    dashboard = dashboard_for(actor=actor, unit=factories.unit(PROVINCE), period=dashboard_period(PERIOD), today=today)
    assert isinstance(dashboard, ProvinceDashboard)
    return dashboard


def test_plan_progress_counts_statuses_overdue_and_the_communes_average(plan: Plan, group: User) -> None:
    _submit(plan, LONG_DUC, (40, 60))
    returned = _submit(plan, TRA_VINH, (0, 10))
    report_return(actor=group, report_id=returned, comment="Bổ sung")
    _submit(plan, TRA_VINH, (20, 80))  # the latest version counts, not the returned one

    dashboard = _province(group, AFTER_DUE)
    (progress,) = dashboard.plans
    assert progress.total == 5
    assert {s.status: s.count for s in progress.by_status} == {"open": 2, "in_progress": 1, "done": 1, "closed": 1}
    assert progress.finished_percent == 40.0
    assert progress.overdue == 2
    assert (progress.commune_tasks, progress.commune_reports) == (2, 2)
    assert progress.commune_percent == (40 + 60 + 20 + 80) / 4

    assert [(t.code, t.days_overdue) for t in dashboard.overdue] == [("A.3", 142), ("A.2", 50)]
    assert dashboard.overdue[0].deadline == date(2026, 6, 30)


def test_report_states_per_commune_and_late_after_the_due_day(plan: Plan, group: User) -> None:
    accepted = _submit(plan, LONG_DUC, (100, 100))
    report_accept(actor=group, report_id=accepted)
    returned = _submit(plan, TRA_VINH, (10, 10))
    report_return(actor=group, report_id=returned, comment="Thiếu số liệu")

    def states(today: date) -> tuple[dict[str, ReportState], dict[str, int]]:
        (status,) = _province(group, today).reports
        assert status.due_on == BEFORE_DUE
        return {r.unit_code: r.state for r in status.rows}, {s: n for s, _label, n in status.counts}

    before, counts = states(BEFORE_DUE)
    assert before[LONG_DUC] == ReportState.ACCEPTED
    assert before[TRA_VINH] == ReportState.RETURNED  # waiting for a resubmission, not late
    others = set(before) - {LONG_DUC, TRA_VINH}
    assert others and {before[code] for code in others} == {ReportState.PENDING}
    assert counts == {"accepted": 1, "submitted": 0, "returned": 1, "pending": len(others), "late": 0}

    after, counts = states(AFTER_DUE)
    assert {after[code] for code in others} == {ReportState.LATE}
    assert counts["late"] == len(others) and counts["pending"] == 0

    _submit(plan, TRA_VINH, (50, 50))
    (status,) = _province(group, AFTER_DUE).reports
    row = next(r for r in status.rows if r.unit_code == TRA_VINH)
    assert (row.state, row.versions) == (ReportState.SUBMITTED, 2)
    assert row.submitted_at is not None


def test_gapped_chart_leaves_a_month_without_data_undrawn() -> None:
    labels = ["08/2026", "09/2026", "10/2026", "11/2026"]
    chart = gapped_chart(labels, [("Trực tuyến", "line-online", [40.0, None, 60.0, 80.0])])
    assert chart is not None
    runs = [[p.label for p in line.points] for line in chart.lines]
    assert runs == [["08/2026"], ["10/2026", "11/2026"]]
    assert all(p.value != 0 for line in chart.lines for p in line.points)
    full = percent_chart(labels, [("x", "line-online", [40.0, 0.0, 60.0, 80.0])])
    assert chart.lines[1].points == full.lines[0].points[2:]  # same places on the axis
    assert gapped_chart(labels, [("Trực tuyến", "line-online", [None] * 4)]) is None


def test_kpi_trend_keeps_no_data_months_as_none(group: User, monkeypatch: pytest.MonkeyPatch) -> None:
    def history(unit_code: str, months: int = 12, *, until: date | None = None) -> list[KpiSet]:
        sets = []
        for label, value in (("2026-09", None), ("2026-10", 25.0)):
            period = dashboard_period(label)
            kpis = [
                Kpi(code, code, None, None, value, "" if value else "Chưa có dữ liệu", unit_code, label)
                for code in ("EID_LEVEL2_ADULTS", "DOSSIER_ONLINE", "DOSSIER_DIGITISED", "RESULT_ELECTRONIC")
            ]
            sets.append(KpiSet(unit_code, "Tỉnh", period, kpis))
        return sets

    monkeypatch.setattr("dean06.monitoring.dashboard.kpi_history", history)
    trend = _province(group, AFTER_DUE).kpis
    assert [m.cells[1].value for m in trend.months] == [None, 25.0]
    assert trend.chart is not None
    assert [[p.label for p in line.points] for line in trend.chart.lines] == [["10/2026"]] * 4
    assert _province(group, AFTER_DUE).tables()["kpis"].rows[0] == ["09/2026", None, None, None, None]


def test_a_commune_officer_sees_only_their_unit(plan: Plan, client: Client) -> None:
    _submit(plan, LONG_DUC, (30, 70))
    officer = factories.user_with_role(Role.ONE_STOP_OFFICER, LONG_DUC)
    unit = dashboard_unit_get(actor=officer)
    assert unit.code == LONG_DUC
    dashboard = dashboard_for(actor=officer, unit=unit, period=dashboard_period(PERIOD), today=AFTER_DUE)
    assert isinstance(dashboard, UnitDashboard)
    assert [(t.code, t.percent) for t in dashboard.tasks] == [("A.1", 30), ("A.2", 70)]
    october = [c for c in dashboard.reports if c.period == PERIOD]
    assert [c.state for c in october] == [ReportState.SUBMITTED]
    assert len(dashboard.reports) == 6
    assert {r.unit_code for r in dashboard.index766.ranking} == {LONG_DUC}
    assert dashboard.index766.rank is None  # a rank among one commune means nothing

    login(client, officer)
    page = client.get(reverse("monitoring:dashboard"), {"period": PERIOD})
    assert page.status_code == 200
    assert page.templates[0].name == "monitoring/dashboard_unit.html"
    assert page.context["top_unit"] is None  # their own dashboard: no way "back" to the province
    assert client.get(reverse("monitoring:unit_dashboard", args=[TRA_VINH])).status_code == 404
    assert client.get(reverse("monitoring:unit_dashboard", args=[PROVINCE])).status_code == 404

    export = client.get(reverse("monitoring:dashboard"), {"period": PERIOD, "export": "tasks"})
    assert [row[1:5] for row in _sheet(export.content)[1:]] == [
        ["A.1", "Nhiệm vụ A.1", "Đang thực hiện", 30.0],
        ["A.2", "Nhiệm vụ A.2", "Đang thực hiện", 70.0],
    ]
    assert AuditEvent.objects.filter(action="dashboard.export", actor_id=officer.pk).count() == 1


def test_the_working_group_sees_every_commune(plan: Plan, group: User, client: Client) -> None:
    login(client, group)
    page = client.get(reverse("monitoring:dashboard"), {"period": PERIOD})
    assert page.status_code == 200
    assert page.templates[0].name == "monitoring/dashboard.html"
    (status,) = page.context["dashboard"].reports
    communes = factories.unit(PROVINCE).children.filter(level=Level.COMMUNE).count()
    assert len(status.rows) == communes > 100
    commune = client.get(reverse("monitoring:unit_dashboard", args=[TRA_VINH]))
    assert commune.status_code == 200
    assert commune.context["top_unit"].code == PROVINCE
    assert client.get(reverse("monitoring:dashboard"), {"period": "2026-13"}).status_code == 400
    assert client.get(reverse("monitoring:unit_dashboard", args=["99999"])).status_code == 404


def _sheet(content: bytes) -> list[list[Any]]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return workbook.get_sheet_by_index(0).to_python()


@pytest.mark.parametrize("table", ["plans", "tasks", "reports", "kpis", "ranking"])
def test_every_table_exports_to_xlsx_and_is_audited(plan: Plan, group: User, client: Client, table: str) -> None:
    login(client, group)
    response = client.get(reverse("monitoring:dashboard"), {"period": PERIOD, "export": table})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet(response.content)
    assert rows[0] and all(isinstance(h, str) and h for h in rows[0])
    event = AuditEvent.objects.filter(action="dashboard.export").latest("seq")
    assert event.details["table"] == table and event.details["period"] == PERIOD


def test_exports_are_formula_safe(plan: Plan, group: User, client: Client) -> None:
    login(client, group)
    rows = _sheet(client.get(reverse("monitoring:dashboard"), {"period": PERIOD, "export": "tasks"}).content)
    titles = [row[2] for row in rows[1:]]
    assert "'=Nhiệm vụ A.3" in titles  # the leading apostrophe keeps it text
    assert client.get(reverse("monitoring:dashboard"), {"export": "persons"}).status_code == 404


def test_the_province_dashboard_does_not_query_per_task_or_report(plan: Plan, group: User) -> None:
    def queries() -> int:
        fresh = User.objects.get(pk=group.pk)  # no cached unit paths
        with CaptureQueriesContext(connection) as captured:
            _province(fresh, AFTER_DUE)
        return len(captured.captured_queries)

    few = queries()
    extra = PlanGroup.objects.create(plan=plan, code="B", title="Nhóm B", order=1)
    for n in range(20):
        PlanTask.objects.create(plan=plan, group=extra, code=f"B.{n}", title="x", deadline=date(2026, 1, 1), order=n)
    for commune in (LONG_DUC, TRA_VINH):
        _submit(plan, commune, (10, 20))
    assert queries() == few
    communes = factories.unit(PROVINCE).children.filter(level=Level.COMMUNE).count()
    # The 766 ranking computes each commune's index (three queries a commune); everything else is fixed.
    assert few <= 3 * communes + 80


def test_last_month_is_the_default_period() -> None:
    assert dashboard_period(None, date(2026, 1, 5)) == Period(
        "2025-12", dashboard_period("2025-12").type, date(2025, 12, 1), date(2025, 12, 31)
    )
