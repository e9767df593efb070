"""`dean06 demo-activity`: months of activity on the demo province, so that the KPIs, the Decision 766 index and
the dashboards show real values. For every 2025 commune of the province that has demo persons, over the last N
months up to today: level-2 e-ID logins (activity_logins), dossiers with ratings and petitions
(activity_dossiers), cleansing runs of the demo sector lists (activity_cleansing) and the monthly reports on the
provincial plan (activity_reports).

Run once: the activity ends with one `demo.activity` audit entry, and a database that has it gets nothing more
(a second run adds nothing). Everything is written in one transaction, so a failed run leaves nothing behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from random import Random

from django.db import transaction

from dean06.core.audit import audit_record
from dean06.core.models import AuditEvent
from dean06.demo.activity_cleansing import cleansing_runs_write
from dean06.demo.activity_context import communes_load, window_for, working_group
from dean06.demo.activity_dossiers import dossiers_write, petitions_write
from dean06.demo.activity_logins import eid_logins_write
from dean06.demo.activity_reports import monthly_reports_write
from dean06.demo.activity_workflow import showcase_dossier_write

ACTIVITY_ACTION = "demo.activity"
REPORT_COMMUNES = 10  # communes that send monthly reports (activity_reports: each report computes its KPIs)

type Progress = Callable[[str], None]


@dataclass
class ActivityReport:
    skipped: bool = False
    communes: int = 0
    accounts: int = 0
    logins: int = 0
    dossiers: int = 0
    ratings: int = 0
    petitions: int = 0
    cleansing_runs: int = 0
    reports: int = 0
    seconds: float = 0.0

    def as_details(self) -> dict[str, int]:
        names = ("communes", "accounts", "logins", "dossiers", "ratings", "petitions", "cleansing_runs", "reports")
        return {name: getattr(self, name) for name in names}


def activity_exists() -> bool:
    return AuditEvent.objects.filter(action=ACTIVITY_ACTION).exists()


def activity_generate(
    *, months: int, seed: int, report_communes: int = REPORT_COMMUNES, progress: Progress | None = None
) -> ActivityReport:
    """Generate the activity once (see the module docstring); on a database that has it, report `skipped`."""
    say = progress or (lambda _text: None)
    if activity_exists():
        return ActivityReport(skipped=True)
    started = time.monotonic()
    rng = Random(seed)  # demo data, not secrets
    window = window_for(months)
    report = ActivityReport()
    with transaction.atomic():
        communes = communes_load(window.today)
        report.communes = len(communes)
        group = working_group()
        say(f"{len(communes)} xã, phường có dân cư mẫu / communes with demo persons")
        report.accounts, report.logins = eid_logins_write(rng, communes, window)
        say(f"Đăng nhập VNeID mức 2 / level-2 e-ID logins: {report.logins}")
        report.dossiers, report.ratings = dossiers_write(rng, communes, window)
        report.dossiers += showcase_dossier_write(rng, communes, window)
        report.petitions = petitions_write(rng, communes, window)
        say(f"Hồ sơ / dossiers: {report.dossiers}, đánh giá / ratings: {report.ratings}, PAKN: {report.petitions}")
        report.cleansing_runs = cleansing_runs_write(rng, group, window, seed)
        say(f"Lượt làm sạch dữ liệu / cleansing runs: {report.cleansing_runs}")
        report.reports = monthly_reports_write(rng, communes, window, group, report_communes)
        say(f"Báo cáo tháng / monthly reports: {report.reports}")
        audit_record(actor=None, action=ACTIVITY_ACTION, details=report.as_details() | {"months": months, "seed": seed})
    report.seconds = time.monotonic() - started
    return report
