"""`dean06 demo-activity` on a small demo province: the KPIs and the Decision 766 index get real values, a second
run adds nothing, the audit chain still holds."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count
from pytest_django.fixtures import Settings

from dean06.core.audit import audit_verify
from dean06.core.models import AuditEvent
from dean06.demo.accounts import demo_accounts_create
from dean06.demo.activity import ACTIVITY_ACTION, activity_generate
from dean06.demo.activity_context import window_for
from dean06.demo.loading import population_load
from dean06.monitoring.index766 import index766_for
from dean06.monitoring.kpis import kpis_for
from dean06.monitoring.models import MonthlyReport
from dean06.monitoring.services import plan_seed_load
from dean06.public_services.models import CitizenDocument, Dossier, Petition
from dean06.public_services.services.catalogue import procedures_load

pytestmark = pytest.mark.django_db

MONTHS = 2
UNSCORED = {"FULL_ONLINE_DOSSIER"}  # figures shown, the portal's formula not determined (index766.py)
LIVE_KPIS = ("DOSSIER_ONLINE", "DOSSIER_DIGITISED", "RESULT_ELECTRONIC", "EID_LEVEL2_ADULTS")


def _counts() -> tuple[int, ...]:
    logins = AuditEvent.objects.filter(action="eid.login").count()
    return Dossier.objects.count(), Petition.objects.count(), MonthlyReport.objects.count(), logins


def test_demo_activity_gives_the_kpis_and_the_index_real_values(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    population_load(persons=800, seed=6)
    demo_accounts_create()
    procedures_load()
    plan_seed_load()

    report = activity_generate(months=MONTHS, seed=6, report_communes=3)
    assert not report.skipped
    assert report.dossiers and report.logins and report.cleansing_runs == 2 and report.reports
    # The demo citizen's dossier went through the real workflow: its result is signed and in their store.
    assert CitizenDocument.objects.filter(source_dossier__submitted_by__username="congdan", signed=True).exists()

    window = window_for(MONTHS)
    year, month = window.months[-2]
    last_month = f"{year:04d}-{month:02d}"
    busiest = (
        Dossier.objects.filter(received_at__month=month, received_at__year=year)
        .values("unit__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__code")
        .first()
    )
    assert busiest is not None
    kpis = kpis_for(busiest["unit__code"], last_month)
    for code in LIVE_KPIS:
        assert kpis.get(code).value is not None, code
    assert any(k.value is not None for k in kpis.kpis if k.code.startswith("CLEANSING_"))

    index = index766_for(unit_code="86", period=last_month)
    captured = [i for g in index.groups for i in g.indicators if i.numerator is not None]
    # A small province may have no petition in a month (the PAKN indicators then score in full, index766.py).
    assert all(i.denominator for i in captured if i.source != "petition"), "rows behind every captured indicator"
    scored = [i for i in captured if i.maximum is not None and i.code not in UNSCORED]
    assert all(i.score is not None for i in scored)

    before = _counts()
    assert activity_generate(months=MONTHS, seed=6).skipped
    out = StringIO()
    call_command("demo_activity", "--months", str(MONTHS), stdout=out)
    assert "không tạo thêm" in out.getvalue()
    assert _counts() == before
    assert AuditEvent.objects.filter(action=ACTIVITY_ACTION).count() == 1
    assert audit_verify().ok


def test_window_is_the_months_up_to_today() -> None:
    window = window_for(3)
    assert len(window.months) == 3
    assert window.months[-1] == (window.today.year, window.today.month)
    assert window.first_day.day == 1
    assert all(day <= window.today for day in window.working_days(window.first_day, window.today))
