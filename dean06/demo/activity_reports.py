"""The communes' monthly reports on the provincial plan for the window's past months, through the report services
(monitoring.reports): the commune's one-stop officer submits the plan's commune tasks with growing progress and the
live KPI figures (`report_prefill`), the working group accepts. Of the last month: the first reporting commune's
report (Long Đức, the demo officer's) was returned with a comment and not yet resubmitted, the last commune is late
(nothing submitted), the one before it still awaits review. Submission, return and acceptance times are moved back
to the days they would have happened.

Only `count` communes report (the demo accounts' communes, then the largest): `report_prefill` computes every KPI
of a commune and month, ~0.2 s each on SQLite, so all 124 communes × 5 months would take minutes. The communes that
do not report show as late, as units that have not reported do."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from random import Random
from typing import Any

from django.conf import settings

from dean06.core.models import User
from dean06.demo.activity_context import DEMO_UNITS, Commune, Window
from dean06.monitoring.models import MonthlyReport, Plan, PlanTask, ReportVersion
from dean06.monitoring.reports import report_accept, report_prefill, report_return, report_submit
from dean06.monitoring.seed import PLAN_CODE
from dean06.monitoring.selectors import report_tasks

RETURN_COMMENT = "Đề nghị bổ sung số liệu tài khoản định danh điện tử mức độ 2 và giải trình nhiệm vụ chậm tiến độ."
DONE_TEXT = "Đã triển khai tại bộ phận một cửa và tuyên truyền đến các khu phố, ấp."
DIFFICULTY_TEXT = "Một số người cao tuổi chưa có điện thoại thông minh để kích hoạt VNeID."


def _tasks(rng: Random, tasks: list[PlanTask], index: int, months: int) -> list[dict[str, Any]]:
    """Every commune task, further along each month."""
    rows = []
    for task in tasks:
        percent = min(100, round(100 * (index + 1) / months * rng.uniform(0.7, 1.1)))
        status = PlanTask.Status.DONE if percent == 100 else PlanTask.Status.IN_PROGRESS
        rows.append(
            {
                "task_id": task.pk,
                "status": status,
                "percent": percent,
                "done": DONE_TEXT,
                "difficulties": DIFFICULTY_TEXT if percent < 60 else "",
                "proposals": "",
            }
        )
    return rows


def _moment(rng: Random, window: Window, day: date) -> datetime:
    return window.office_moment(rng, min(day, window.today))


def _periods(window: Window) -> list[str]:
    """The window's months whose reports are due by now (the current month is reported next month)."""
    return [f"{y:04d}-{m:02d}" for y, m in window.months if (y, m) != (window.today.year, window.today.month)]


def reporting_communes(communes: list[Commune], count: int) -> list[Commune]:
    """The demo accounts' communes first, then the others in the given order; `count` of them (0: all)."""
    demo = [c for c in communes if c.unit.code in DEMO_UNITS]
    chosen = sorted(demo, key=lambda c: DEMO_UNITS.index(c.unit.code)) + [c for c in communes if c not in demo]
    return chosen[:count] if count else chosen


def monthly_reports_write(rng: Random, communes: list[Commune], window: Window, group: User, count: int) -> int:
    """Reports of `count` communes (0: all) for every past month of the window; returns how many were submitted."""
    plan = Plan.objects.filter(code=PLAN_CODE).first()
    if plan is None:
        raise LookupError("no provincial plan: run `dean06 plans load` first")
    tasks = report_tasks(plan=plan)
    periods = _periods(window)
    due_day = settings.MONITORING_REPORT_DUE_DAY
    reporting = reporting_communes(communes, count)
    returned, waiting, late = reporting[0], reporting[-2:-1], reporting[-1]
    submitted = 0
    for index, period in enumerate(periods):
        last = index == len(periods) - 1
        year, month = map(int, period.split("-"))
        opens = date(year + month // 12, month % 12 + 1, 1)  # the report is written in the following month
        for commune in reporting:
            if last and commune is late:
                continue  # nothing submitted for the last month
            report = report_submit(
                actor=commune.officer,
                unit=commune.unit,
                plan=plan,
                period=period,
                tasks=_tasks(rng, tasks, index, len(window.months)),
                kpis=report_prefill(commune.unit, period),
            )
            submitted += 1
            sent = _moment(rng, window, opens + timedelta(days=rng.randint(4, due_day - 2)))
            ReportVersion.objects.filter(report=report).update(submitted_at=sent)
            reviewed = sent + timedelta(days=rng.randint(1, 4))
            if last and commune is returned:
                report_return(actor=group, report_id=report.pk, comment=RETURN_COMMENT)
                ReportVersion.objects.filter(report=report).update(returned_at=min(reviewed, window.now))
            elif not (last and commune in waiting):
                report_accept(actor=group, report_id=report.pk)
            MonthlyReport.objects.filter(pk=report.pk).update(created_at=sent, updated_at=min(reviewed, window.now))
    return submitted
