"""Live KPIs on hand-built data: exact values worked out by hand, the "no data yet" cases, province against
commune, the history and the command."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command, load_command_class

from dean06.cleansing.models import CleansingRun, QualitySnapshot
from dean06.core.audit import audit_record
from dean06.monitoring.index766 import PeriodError, UnknownUnitError
from dean06.monitoring.kpis import KpiSet, kpi_history, kpis_for
from dean06.monitoring.tests.helpers import at
from dean06.public_services.choices import Channel, DossierStatus
from dean06.public_services.models import Dossier
from dean06.public_services.tests import factories as ps
from dean06.testing import factories
from dean06.testing.factories import LONG_DUC, PROVINCE, TRA_VINH

pytestmark = pytest.mark.django_db


def _dossier(received: date, *, commune: str = LONG_DUC, finished: date | None = None, **fields: Any) -> Dossier:
    return ps.dossier(
        applicant=factories.person(commune),
        received_at=at(received),
        finished_at=at(finished) if finished else None,
        status=DossierStatus.RETURNED if finished else DossierStatus.IN_PROGRESS,
        **fields,
    )


def _snapshot(commune: str, sector: str, day: date, rows: int, *counts: int) -> QualitySnapshot:
    unit = factories.unit(commune)
    run = CleansingRun.objects.create(
        unit=unit,
        sector=sector,
        original_name="ds.xlsx",
        file="cleansing/ds.xlsx",
        created_by=factories.user_with_role(),
        status=CleansingRun.Status.DONE,
    )
    correct, complete, clean, alive = counts
    return QualitySnapshot.objects.create(
        run=run,
        sector=sector,
        unit=unit,
        day=day,
        taken_at=at(day),
        rows=rows,
        rows_correct=correct,
        rows_complete=complete,
        rows_clean=clean,
        rows_alive=alive,
    )


def _value(kpis: KpiSet, code: str, sector: str = "") -> float | None:
    return next(k for k in kpis.kpis if k.code == code and k.sector == sector).value


@pytest.fixture
def dossiers() -> None:
    # November 2026, Long Đức: 4 received — 3 online, 2 digitised; 2 finished, 1 with an electronic result.
    _dossier(date(2026, 11, 2), components_digitised=2, finished=date(2026, 11, 5), electronic_result=True)
    _dossier(date(2026, 11, 3), components_digitised=1, finished=date(2026, 11, 6))
    _dossier(date(2026, 11, 10))
    _dossier(date(2026, 11, 11), channel=Channel.COUNTER)
    # Trà Vinh: 1 received at the counter, digitised, finished electronically.
    _dossier(
        date(2026, 11, 20),
        commune=TRA_VINH,
        channel=Channel.COUNTER,
        components_digitised=3,
        finished=date(2026, 11, 21),
        electronic_result=True,
    )
    # October and a draft: outside November, or not received.
    _dossier(date(2026, 10, 31))
    ps.dossier(status=DossierStatus.DRAFT, received_at=at(date(2026, 11, 4)))


def test_dossier_kpis_commune_and_province(dossiers: None) -> None:
    commune = kpis_for(LONG_DUC, "2026-11")
    online = commune.get("DOSSIER_ONLINE")
    assert (online.numerator, online.denominator, online.value) == (3, 4, 75.0)
    assert (commune.get("DOSSIER_DIGITISED").numerator, commune.get("DOSSIER_DIGITISED").value) == (2, 50.0)
    result = commune.get("RESULT_ELECTRONIC")
    assert (result.numerator, result.denominator, result.value) == (1, 2, 50.0)
    assert online.unit == LONG_DUC and online.period == "2026-11" and online.reason == ""

    province = kpis_for(PROVINCE, "2026-11")
    assert (province.get("DOSSIER_ONLINE").numerator, province.get("DOSSIER_ONLINE").denominator) == (3, 5)
    assert province.get("DOSSIER_ONLINE").value == pytest.approx(60.0)
    assert province.get("DOSSIER_DIGITISED").value == pytest.approx(60.0)  # 3 / 5
    assert province.get("RESULT_ELECTRONIC").value == pytest.approx(200 / 3)  # 2 / 3

    tra_vinh = kpis_for(TRA_VINH, "2026-11")
    assert tra_vinh.get("DOSSIER_ONLINE").value == 0.0  # a real zero: one dossier, at the counter

    quarter = kpis_for(LONG_DUC, "2026-Q4")
    assert (quarter.get("DOSSIER_ONLINE").numerator, quarter.get("DOSSIER_ONLINE").denominator) == (4, 5)


def test_no_dossiers_is_no_data_not_zero() -> None:
    kpis = kpis_for(LONG_DUC, "2026-11")
    for code in ("DOSSIER_ONLINE", "DOSSIER_DIGITISED", "RESULT_ELECTRONIC"):
        kpi = kpis.get(code)
        assert kpi.value is None and kpi.denominator == 0 and "no data yet" in kpi.reason


def test_domains_not_built_are_no_data() -> None:
    kpis = kpis_for(PROVINCE, "2026-11")
    for code in ("WELFARE_CASHLESS", "CLINIC_QR_CHECKIN"):
        kpi = kpis.get(code)
        assert (kpi.value, kpi.numerator, kpi.denominator) == (None, None, None)
        assert "not built" in kpi.reason


def test_eid_level2_no_data_without_level2_logins() -> None:
    factories.person(date_of_birth=date(1990, 1, 1))
    kpi = kpis_for(LONG_DUC, "2026-11").get("EID_LEVEL2_ADULTS")
    assert kpi.value is None and kpi.numerator is None and kpi.denominator == 1
    assert "no data yet" in kpi.reason and not kpi.lower_bound


def test_eid_level2_lower_bound_from_login_audit() -> None:
    # Adults on 30/11/2026 are born on or before 30/11/2012 (14 years old).
    adult_l2 = factories.person(date_of_birth=date(1990, 1, 1))
    adult_l1 = factories.person(date_of_birth=date(2012, 11, 30))
    factories.person(date_of_birth=date(1980, 1, 1))  # adult, never logged in
    child = factories.person(date_of_birth=date(2012, 12, 1))  # 13 on 30/11/2026
    factories.person(date_of_birth=date(1970, 1, 1), status="deceased")
    other = factories.person(TRA_VINH, date_of_birth=date(1985, 1, 1))
    for person, level in ((adult_l2, 2), (adult_l2, 2), (adult_l1, 1), (child, 2), (other, 2)):
        audit_record(actor=None, action="eid.login", obj=person, details={"method": "eid", "level": level})

    kpi = kpis_for(LONG_DUC, "2026-11").get("EID_LEVEL2_ADULTS")
    assert (kpi.numerator, kpi.denominator) == (1, 3)  # adult_l2 of {adult_l2, adult_l1, never}
    assert kpi.value == pytest.approx(100 / 3) and kpi.lower_bound and "lower bound" in kpi.reason
    province = kpis_for(PROVINCE, "2026-11").get("EID_LEVEL2_ADULTS")
    assert (province.numerator, province.denominator) == (2, 4)
    assert province.value == 50.0


def test_cleansing_progress_per_sector_latest_snapshot() -> None:
    _snapshot(LONG_DUC, "welfare", date(2026, 10, 5), 100, 50, 60, 70, 80)
    _snapshot(LONG_DUC, "welfare", date(2026, 11, 10), 100, 90, 95, 85, 98)  # supersedes October's
    _snapshot(TRA_VINH, "welfare", date(2026, 11, 12), 100, 70, 75, 65, 100)
    _snapshot(LONG_DUC, "insurance", date(2026, 12, 1), 10, 10, 10, 10, 10)  # after November

    commune = kpis_for(LONG_DUC, "2026-11")
    correct = next(k for k in commune.kpis if k.code == "CLEANSING_CORRECT" and k.sector == "welfare")
    assert (correct.numerator, correct.denominator, correct.value) == (90, 100, 90.0)
    assert _value(commune, "CLEANSING_ALIVE", "welfare") == 98.0
    assert _value(commune, "CLEANSING_CORRECT", "insurance") is None  # December's snapshot is not yet there

    october = kpis_for(LONG_DUC, "2026-10")
    assert _value(october, "CLEANSING_COMPLETE", "welfare") == 60.0

    province = kpis_for(PROVINCE, "2026-11")
    assert _value(province, "CLEANSING_CORRECT", "welfare") == 80.0  # (90 + 70) / 200
    assert _value(province, "CLEANSING_CLEAN", "welfare") == 75.0  # (85 + 65) / 200
    assert _value(province, "CLEANSING_ALIVE", "welfare") == 99.0  # (98 + 100) / 200
    land = next(k for k in province.kpis if k.code == "CLEANSING_CORRECT" and k.sector == "land")
    assert land.value is None and "no cleansing run" in land.reason


def test_history_per_month() -> None:
    _dossier(date(2026, 10, 2))
    _dossier(date(2026, 11, 2), channel=Channel.COUNTER)
    _snapshot(LONG_DUC, "welfare", date(2026, 10, 5), 100, 50, 60, 70, 80)

    history = kpi_history(LONG_DUC, months=3, until=date(2026, 11, 15))
    assert [h.period.label for h in history] == ["2026-09", "2026-10", "2026-11"]
    assert [h.get("DOSSIER_ONLINE").value for h in history] == [None, 100.0, 0.0]
    assert [_value(h, "CLEANSING_CORRECT", "welfare") for h in history] == [None, 50.0, 50.0]
    across_year = kpi_history(LONG_DUC, months=2, until=date(2027, 1, 3))
    assert [h.period.label for h in across_year] == ["2026-12", "2027-01"]


def test_unknown_unit_and_bad_period() -> None:
    with pytest.raises(UnknownUnitError):
        kpis_for("99999", "2026-11")
    with pytest.raises(PeriodError):
        kpis_for(LONG_DUC, "11/2026")


def test_command_json_and_table(dossiers: None) -> None:
    out = StringIO()
    call_command("kpis", "--unit", LONG_DUC, "--period", "2026-11", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["unit"] == LONG_DUC and data["period"] == "2026-11"
    online = next(k for k in data["kpis"] if k["code"] == "DOSSIER_ONLINE")
    assert online == {
        "code": "DOSSIER_ONLINE",
        "name": "Tỷ lệ hồ sơ nộp trực tuyến",
        "sector": None,
        "numerator": 3,
        "denominator": 4,
        "value": 75.0,
        "lower_bound": False,
        "reason": None,
        "unit": LONG_DUC,
        "period": "2026-11",
    }
    table = StringIO()
    call_command("kpis", "--unit", PROVINCE, "--period", "2026-11", stdout=table)
    assert "DOSSIER_ONLINE" in table.getvalue() and "60.00 %" in table.getvalue()
    assert "chưa có dữ liệu" in table.getvalue()


@pytest.mark.parametrize("argv", [["--unit", "99999", "--period", "2026-11"], ["--unit", LONG_DUC, "--period", "x"]])
def test_command_exit_code_2(argv: list[str]) -> None:
    command = load_command_class("dean06.monitoring", "kpis")
    with pytest.raises(SystemExit) as exit_info:
        command.run_from_argv(["dean06", "kpis", *argv])
    assert exit_info.value.code == 2
