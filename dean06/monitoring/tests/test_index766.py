"""The Decision 766 index on a hand-built set of dossiers, procedures and petitions: every indicator is worked out
by hand below (the arithmetic in the comments), including the capped ones, the "no dossiers" cases, a quarter and
a year, province against commune, and the command's JSON and exit codes."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command, load_command_class

from dean06.monitoring.index766 import (
    Index766,
    Indicator,
    PeriodError,
    UnknownAgencyError,
    index766_communes,
    index766_for,
    period_parse,
)
from dean06.monitoring.tests.helpers import at
from dean06.public_services.choices import Channel, DossierStatus, Level, PetitionKind
from dean06.public_services.models import Dossier, Petition, Procedure, Rating
from dean06.public_services.tests import factories as ps
from dean06.testing import factories
from dean06.testing.factories import LONG_DUC, PROVINCE, TRA_VINH

pytestmark = pytest.mark.django_db

TODAY = date(2026, 10, 20)  # "now" for open dossiers: within their deadline when due on or after it
ON_TIME, LATE = date(2025, 6, 27), date(2025, 7, 8)  # published before / after taking effect on 1/7/2025
REGISTRY_FIELD = [{"name": "full_name", "label": "Họ và tên", "type": "text", "source": "registry"}]


def _procedure(published_on: date, **fields: Any) -> Procedure:
    return ps.procedure(effective_on=date(2025, 7, 1), published_on=published_on, **fields)


def _dossier(
    procedure: Procedure,
    received: date,
    *,
    due: date,
    finished: date | None = None,
    rating: int | None = None,
    commune: str = LONG_DUC,
    **fields: Any,
) -> Dossier:
    dossier = ps.dossier(
        procedure=procedure,
        applicant=factories.person(commune),
        received_at=at(received),
        due_on=due,
        finished_at=at(finished) if finished else None,
        status=DossierStatus.RETURNED if finished else DossierStatus.IN_PROGRESS,
        **fields,
    )
    if rating is not None:
        Rating.objects.create(dossier=dossier, score=rating)
    return dossier


def _petition(
    kind: str, received: date, *, due: date, answered: date | None = None, satisfaction: int | None = None
) -> Petition:
    petition = Petition.objects.create(
        code=f"PA-{Petition.objects.count() + 1:04d}",
        unit=factories.unit(LONG_DUC),
        submitted_by=ps.citizen(),
        kind=kind,
        subject="Phản ánh",
        body="Nội dung",
        due_on=due,
        answered_at=at(answered) if answered else None,
        satisfaction=satisfaction,
    )
    Petition.objects.filter(pk=petition.pk).update(created_at=at(received))  # created_at is set on insert
    return petition


def _by_code(index: Index766) -> dict[str, Indicator]:
    return {i.code: i for g in index.groups for i in g.indicators}


def _scores(index: Index766) -> dict[str, float | None]:
    return {code: i.score for code, i in _by_code(index).items()}


def _group_scores(index: Index766) -> dict[str, float | None]:
    return {g.code: g.score for g in index.groups}


@pytest.fixture
def data() -> dict[str, Dossier]:
    """October 2026 in Phường Long Đức, plus one dossier each in September, November, Trà Vinh and a draft.

    Commune-level procedures P1 (on time, toàn trình, no fee, prefilled from the registry), P2 (late, fee, pays
    online), P3 (on time, toàn trình, fee, no online payment); P4 is province-level (on time)."""
    p1 = _procedure(ON_TIME, fully_online=True, form=REGISTRY_FIELD)
    p2 = _procedure(LATE, fee_vnd=20_000, online_payment=True)
    p3 = _procedure(ON_TIME, fully_online=True, fee_vnd=15_000)
    _procedure(ON_TIME, level=Level.PROVINCE)
    oct_ = date(2026, 10, 1)
    d = {
        "d1": _dossier(
            p1,
            oct_,
            due=date(2026, 10, 5),
            finished=date(2026, 10, 4),
            rating=5,
            components_digitised=2,
            components_reused=1,
            population_data_used=True,
            electronic_result=True,
        ),
        "d2": _dossier(
            p1,
            oct_,
            due=date(2026, 10, 6),
            finished=date(2026, 10, 8),
            rating=4,
            components_digitised=1,
            components_reused=1,
            population_data_used=True,
            electronic_result=True,
        ),
        "d3": _dossier(
            p1,
            oct_,
            due=date(2026, 10, 10),
            finished=date(2026, 10, 10),
            rating=3,
            channel=Channel.COUNTER,
            population_data_used=True,
        ),
        "d4": _dossier(
            p2,
            oct_,
            due=date(2026, 10, 12),
            finished=date(2026, 10, 11),
            rating=5,
            fee_vnd=20_000,
            fee_paid_online=True,
            components_digitised=1,
            components_reused=1,
            electronic_result=True,
        ),
        "d5": _dossier(
            p2,
            oct_,
            due=date(2026, 10, 15),
            finished=date(2026, 10, 20),
            rating=2,
            fee_vnd=20_000,
            channel=Channel.COUNTER,
            components_digitised=1,
        ),
        "d6": _dossier(p3, oct_, due=date(2026, 10, 25), fee_vnd=15_000, fee_paid_online=True),
        "d7": _dossier(p3, oct_, due=date(2026, 10, 18), fee_vnd=15_000, channel=Channel.POST),
        "d8": _dossier(p3, oct_, due=date(2026, 10, 30)),
        "d9": _dossier(
            p1,
            oct_,
            due=date(2026, 10, 9),
            finished=date(2026, 10, 9),
            rating=5,
            components_digitised=1,
            components_reused=1,
            population_data_used=True,
            electronic_result=True,
        ),
        "d10": _dossier(
            p2,
            oct_,
            due=date(2026, 10, 14),
            finished=date(2026, 10, 14),
            rating=4,
            fee_vnd=20_000,
            fee_paid_online=True,
            channel=Channel.COUNTER,
            components_digitised=1,
            electronic_result=True,
        ),
        # Outside the month of Long Đức: September (year only), November (quarter and year), Trà Vinh (province).
        "sep": _dossier(p1, date(2026, 9, 30), due=date(2026, 10, 2), finished=date(2026, 10, 1)),
        "nov": _dossier(p1, date(2026, 11, 1), due=date(2026, 11, 5), finished=date(2026, 11, 10)),
        "tv": _dossier(p1, oct_, due=date(2026, 10, 12), finished=date(2026, 10, 11), commune=TRA_VINH),
    }
    ps.dossier(procedure=p1, status=DossierStatus.DRAFT, received_at=at(oct_))  # drafts are never counted
    _petition(PetitionKind.RULES, oct_, due=date(2026, 10, 15), answered=date(2026, 10, 14), satisfaction=5)
    _petition(PetitionKind.STAFF, oct_, due=date(2026, 10, 15), answered=date(2026, 10, 17), satisfaction=2)
    _petition(PetitionKind.RULES, oct_, due=date(2026, 10, 30))
    _petition(PetitionKind.RULES, oct_, due=date(2026, 10, 10), answered=date(2026, 10, 10), satisfaction=4)
    return d


def test_every_indicator_of_a_commune_month(data: dict[str, Dossier]) -> None:
    index = index766_for(unit_code=LONG_DUC, period="2026-10", today=TODAY)
    got = _by_code(index)
    # Transparency. Commune procedures P1, P2, P3; on time P1, P3: 6 × 2/3 = 4. The other three are not captured.
    assert (got["PUBLISH_ON_TIME"].numerator, got["PUBLISH_ON_TIME"].denominator) == (2, 3)
    # Progress. 10 received; on time d1, d3, d4, d9, d10 (finished by the due day), d6 and d8 (open, due on or
    # after 20/10); late d2, d5 (finished after it), d7 (open, due 18/10): 20 × 7/10 = 14.
    on_time = got["DOSSIER_ON_TIME"]
    assert (on_time.numerator, on_time.denominator) == (7, 10)
    assert set(on_time.numerator_ids) == {data[k].pk for k in ("d1", "d3", "d4", "d6", "d8", "d9", "d10")}
    assert set(on_time.denominator_ids) == {data[f"d{n}"].pk for n in range(1, 11)}
    # Online services. Dossiers of toàn trình procedures (P1, P3): d1 d2 d3 d6 d7 d8 d9 = 7, online d1 d2 d6 d8
    # d9 = 5; no score (formula not determined). Monitoring: procedures toàn trình 2/3; online dossiers 6/10.
    assert (got["FULL_ONLINE_DOSSIER"].numerator, got["FULL_ONLINE_DOSSIER"].denominator) == (5, 7)
    assert (got["ONLINE_FORMALITY"].numerator, got["ONLINE_FORMALITY"].denominator) == (2, 3)
    assert (got["DOSSIER_ONLINE_CHANNEL"].numerator, got["DOSSIER_ONLINE_CHANNEL"].denominator) == (6, 10)
    # Payment. Fee dossiers d4 d5 d6 d7 d10 = 5, paid online d4 d6 d10 = 3: 6 × 3/5 = 3.6. Fee procedures P2, P3,
    # with online payment P2: min(2, 2.5 × 1/2) = 1.25. C (on DVCQG) not captured.
    assert (got["ONLINE_PAYMENT_DOSSIER"].numerator, got["ONLINE_PAYMENT_DOSSIER"].denominator) == (3, 5)
    assert (got["ONLINE_PAYMENT_FORMALITY"].numerator, got["ONLINE_PAYMENT_FORMALITY"].denominator) == (1, 2)
    # Digitisation. Finished d1 d2 d3 d4 d5 d9 d10 = 7, electronic result d1 d2 d4 d9 d10 = 5: 6 × 5/7.
    # Digitised components d1 d2 d4 d5 d9 d10 = 6/10: 4 × 0.6 = 2.4. Reused d1 d2 d4 d9 = 4/10 = 40 %, full marks
    # at 80 %: 2 × 0.4/0.8 = 1. Population data d1 d2 d3 d9 = 4/10: 2 × 0.4 = 0.8. Procedures prefilled from the
    # registry P1 = 1/3: 2/3.
    assert (got["ORIGINAL_RESULT_AVAILABLE"].numerator, got["ORIGINAL_RESULT_AVAILABLE"].denominator) == (5, 7)
    assert (got["REUSED_DIGITIZED_DATA"].numerator, got["REUSED_DIGITIZED_DATA"].denominator) == (4, 10)
    # Satisfaction. Rated dossiers d1 d2 d3 d4 d5 d9 d10 = 7, satisfied (≥ 4) d1 d2 d4 d9 d10 = 5: min(6, 6 × (5/7)
    # / 0.9) = 4.7619. Petitions 4: about rules 3, staff 1; answered by the due day 2 of 4: 6 × 0.5 = 3; rated 3,
    # satisfied 2: 6 × 2/3 = 4.
    assert (got["DOSSIER_RECEIVING_SATISFACTION"].numerator, got["DOSSIER_RECEIVING_SATISFACTION"].denominator) == (
        5,
        7,
    )
    assert (got["PETITION_CLASSIFICATION_TTHC"].numerator, got["PETITION_CLASSIFICATION_TTHC"].denominator) == (3, 4)
    assert (got["PETITION_CLASSIFICATION_STAFF"].numerator, got["PETITION_CLASSIFICATION_STAFF"].denominator) == (1, 4)
    assert (got["PETITION_HANDLING_SATISFACTION"].numerator, got["PETITION_HANDLING_SATISFACTION"].denominator) == (
        2,
        3,
    )
    assert _scores(index) == pytest.approx(
        {
            "PUBLISH_ON_TIME": 4.0,
            "PUBLIC_UPDATE_ON_TIME": None,
            "PUBLIC_CONTENT_FULL": None,
            "DOSSIER_SYNC": None,
            "DOSSIER_ON_TIME": 14.0,
            "FULL_ONLINE_DOSSIER": None,
            "ONLINE_FORMALITY": None,
            "PROACTIVE_ONLINE_SERVICE": None,
            "PROACTIVE_SERVICE_DOSSIER": None,
            "DOSSIER_ONLINE_CHANNEL": None,
            "ONLINE_PAYMENT_DOSSIER": 3.6,
            "ONLINE_PAYMENT_FORMALITY": 1.25,
            "ONLINE_PAYMENT_DVCQG": None,
            "ORIGINAL_RESULT_AVAILABLE": 6 * 5 / 7,
            "SO_HOA_GIAY_TO_GIAI_QUYET": 2.4,
            "ELECTRONIC_CERTIFIED_COPY": None,
            "REUSED_DIGITIZED_DATA": 1.0,
            "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": None,
            "CITIZEN_DATA_CONNECTED_DOSSIER": 0.8,
            "CITIZEN_DATA_CONNECTED_FORMALITY": 2 / 3,
            "CUT_SIMPLIFY_SATISFACTION": None,
            "PETITION_CLASSIFICATION_TTHC": None,
            "PETITION_CLASSIFICATION_STAFF": None,
            "PETITION_PROCESSING_ON_TIME": 3.0,
            "PETITION_HANDLING_SATISFACTION": 4.0,
            "DOSSIER_RECEIVING_SATISFACTION": 6 * (5 / 7) / 0.9,
        }
    )
    # Groups: 4; 14; none; 3.6 + 1.25 = 4.85; 6×5/7 + 2.4 + 1 + 0.8 + 2/3 = 9.1524; 3 + 4 + 4.7619 = 11.7619.
    assert _group_scores(index) == pytest.approx(
        {
            "TRANSPARENCY": 4.0,
            "PROGRESS": 14.0,
            "ONLINE_SERVICES": None,
            "ONLINE_PAYMENT": 4.85,
            "DIGITISATION": 6 * 5 / 7 + 2.4 + 1 + 0.8 + 2 / 3,
            "SATISFACTION": 3 + 4 + 6 * (5 / 7) / 0.9,
        }
    )
    assert index.total == pytest.approx(4 + 14 + 4.85 + (6 * 5 / 7 + 4.2 + 2 / 3) + (7 + 6 * (5 / 7) / 0.9))
    assert [g.maximum for g in index.groups] == [18, 20, 12, 10, 22, 18]
    assert sum(i.maximum or 0 for i in got.values()) == 18 + 20 + 12 + 10 + 22 + 18  # maxima add up to 100
    assert got["ONLINE_FORMALITY"].maximum is None and got["PETITION_CLASSIFICATION_TTHC"].maximum is None


def test_a_quarter_and_a_year_add_up_their_months(data: dict[str, Dossier]) -> None:
    # Q4: October's 10 and November's late one = 11 received, 7 on time: 20 × 7/11.
    quarter = _by_code(index766_for(unit_code=LONG_DUC, period="2026-Q4", today=TODAY))["DOSSIER_ON_TIME"]
    assert (quarter.numerator, quarter.denominator) == (7, 11) and quarter.score == pytest.approx(20 * 7 / 11)
    # 2026: and September's on-time one = 12 received, 8 on time: 20 × 8/12.
    year = _by_code(index766_for(unit_code=LONG_DUC, period="2026", today=TODAY))["DOSSIER_ON_TIME"]
    assert (year.numerator, year.denominator) == (8, 12) and year.score == pytest.approx(20 * 8 / 12)
    assert data["sep"].pk in year.denominator_ids and data["sep"].pk not in quarter.denominator_ids


def test_the_province_includes_every_commune(data: dict[str, Dossier]) -> None:
    province = _by_code(index766_for(unit_code=PROVINCE, period="2026-10", today=TODAY))
    # October: Long Đức's 10 and Trà Vinh's on-time one = 11, 8 on time: 20 × 8/11.
    assert (province["DOSSIER_ON_TIME"].numerator, province["DOSSIER_ON_TIME"].denominator) == (8, 11)
    assert province["DOSSIER_ON_TIME"].score == pytest.approx(20 * 8 / 11)
    # Every procedure, the province-level P4 (on time) included: 3/4 → 6 × 0.75 = 4.5.
    assert province["PUBLISH_ON_TIME"].score == pytest.approx(4.5)
    tra_vinh = _by_code(index766_for(unit_code=TRA_VINH, period="2026-10", today=TODAY))
    assert tra_vinh["DOSSIER_ON_TIME"].denominator_ids == (data["tv"].pk,)
    assert tra_vinh["DOSSIER_ON_TIME"].score == pytest.approx(20.0)


def test_one_read_for_every_commune_gives_each_commune_its_own_index(data: dict[str, Dossier]) -> None:
    period = period_parse("2026-10")
    communes = [factories.unit(LONG_DUC), factories.unit(TRA_VINH)]
    batched = index766_communes(province=factories.unit(PROVINCE), communes=communes, period=period, today=TODAY)
    for commune, index in zip(communes, batched, strict=True):
        alone = index766_for(unit_code=commune.code, period="2026-10", today=TODAY)
        assert index == alone


def test_the_index_of_one_deciding_agency() -> None:
    police = _procedure(ON_TIME, agency="Công an xã/phường")
    _procedure(LATE)  # the People's Committee's, published late
    october = date(2026, 10, 1)
    _dossier(police, october, due=date(2026, 10, 5), finished=date(2026, 10, 4))
    _dossier(police, october, due=date(2026, 10, 5), finished=date(2026, 10, 9))
    committee = Procedure.objects.exclude(pk=police.pk).get()
    _dossier(committee, october, due=date(2026, 10, 5), finished=date(2026, 10, 5))
    whole = _by_code(index766_for(unit_code=LONG_DUC, period="2026-10", today=TODAY))
    assert (whole["DOSSIER_ON_TIME"].numerator, whole["DOSSIER_ON_TIME"].denominator) == (2, 3)
    assert whole["PUBLISH_ON_TIME"].score == pytest.approx(3.0)  # 1 of 2 procedures
    index = index766_for(unit_code=LONG_DUC, period="2026-10", today=TODAY, agency="Công an xã/phường")
    only = _by_code(index)
    assert (only["DOSSIER_ON_TIME"].numerator, only["DOSSIER_ON_TIME"].denominator) == (1, 2)
    assert only["DOSSIER_ON_TIME"].score == pytest.approx(10.0)
    assert only["PUBLISH_ON_TIME"].score == pytest.approx(6.0)
    assert index.as_json()["agency"] == "Công an xã/phường"
    with pytest.raises(UnknownAgencyError):
        index766_for(unit_code=LONG_DUC, period="2026-10", agency="Sở không có")


@pytest.mark.parametrize(
    ("good", "satisfaction", "reuse"),
    [
        # of 10 rated dossiers, `good` rated 5 (the rest 3) and `good` with a reused component:
        (8, 6 * 0.8 / 0.9, 2.0),  # 80 %: reuse at full marks, satisfaction 5.33
        (9, 6.0, 2.0),  # 90 %: satisfaction at full marks; reuse 2 × 0.9/0.8 = 2.25 capped at 2
        (10, 6.0, 2.0),  # 100 %: both capped
    ],
)
def test_capped_indicators_reach_full_marks(good: int, satisfaction: float, reuse: float) -> None:
    procedure = _procedure(ON_TIME)
    for n in range(10):
        ok = n < good
        _dossier(procedure, date(2026, 10, 1), due=date(2026, 10, 2), rating=5 if ok else 3, components_reused=int(ok))
    scores = _scores(index766_for(unit_code=LONG_DUC, period="2026-10", today=TODAY))
    assert scores["DOSSIER_RECEIVING_SATISFACTION"] == pytest.approx(satisfaction)
    assert scores["REUSED_DIGITIZED_DATA"] == pytest.approx(reuse)


def test_no_dossiers_and_no_petitions() -> None:
    _procedure(ON_TIME)
    index = index766_for(unit_code=LONG_DUC, period="2026-10", today=TODAY)
    scores = _scores(index)
    # No rated dossier: satisfaction 0. No petition: each PAKN indicator its full 6 (the reading chosen).
    assert scores["DOSSIER_RECEIVING_SATISFACTION"] == 0
    assert scores["PETITION_PROCESSING_ON_TIME"] == scores["PETITION_HANDLING_SATISFACTION"] == 6
    # Nothing to divide by: not computable rather than 0 or full marks; the procedures still count (1/1 → 6).
    for code in ("DOSSIER_ON_TIME", "ONLINE_PAYMENT_DOSSIER", "ORIGINAL_RESULT_AVAILABLE", "REUSED_DIGITIZED_DATA"):
        assert scores[code] is None
    assert scores["PUBLISH_ON_TIME"] == 6
    assert index.total == pytest.approx(6 + 6 + 6)  # CITIZEN_DATA_CONNECTED_FORMALITY: 0/1 → 0
    # Petitions received but none rated: satisfaction with them cannot be computed.
    _petition(PetitionKind.RULES, date(2026, 10, 1), due=date(2026, 10, 30))
    scores = _scores(index766_for(unit_code=LONG_DUC, period="2026-10", today=TODAY))
    assert scores["PETITION_HANDLING_SATISFACTION"] is None and scores["PETITION_PROCESSING_ON_TIME"] == 0


def test_periods() -> None:
    assert (period_parse("2026-10").first_day, period_parse("2026-10").last_day) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
    )
    assert (period_parse("2026-q4").first_day, period_parse("2026-Q4").last_day) == (
        date(2026, 10, 1),
        date(2026, 12, 31),
    )
    assert period_parse("2026").last_day == date(2026, 12, 31)
    for bad, kind in (("2026-13", None), ("2026-Q5", None), ("10/2026", None), ("2026-10", "year"), ("", None)):
        with pytest.raises(PeriodError):
            period_parse(bad, kind)


def _exit_code(*argv: str) -> int:
    """As from the shell, where CommandError ends in SystemExit."""
    try:
        load_command_class("dean06.monitoring", "index766").run_from_argv(["dean06", "index766", *argv])
    except SystemExit as exit_info:
        return int(exit_info.code or 0)
    return 0


def test_the_command_prints_json_and_a_table(data: dict[str, Dossier]) -> None:
    out = StringIO()
    call_command("index766", "--unit", LONG_DUC, "--period", "2026-10", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert list(printed) == ["unit", "period", "total", "groups"]
    assert (printed["unit"], printed["period"]) == (LONG_DUC, "2026-10")
    assert [g["maximum"] for g in printed["groups"]] == [18, 20, 12, 10, 22, 18]
    for group in printed["groups"]:
        assert list(group) == ["code", "name", "score", "maximum", "indicators"]
        for item in group["indicators"]:
            assert list(item) == ["code", "name", "numerator", "denominator", "score", "maximum"]
    progress = printed["groups"][1]["indicators"][0]
    assert progress["code"] == "DOSSIER_ON_TIME" and progress["denominator"] == 10
    assert printed["groups"][2]["score"] is None  # online services: not computable
    table = StringIO()
    call_command("index766", "--unit", PROVINCE, "--period", "2026", "--period-type", "year", stdout=table)
    assert "Tiến độ, kết quả giải quyết" in table.getvalue() and "chưa tính được" in table.getvalue()


def test_the_command_refuses_an_unknown_unit_or_a_malformed_period(
    data: dict[str, Dossier], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _exit_code("--unit", "99999", "--period", "2026-10") == 2
    assert "unknown unit 99999" in capsys.readouterr().err
    assert _exit_code("--unit", LONG_DUC, "--period", "2026-13") == 2
    assert "malformed period" in capsys.readouterr().err
    assert _exit_code("--unit", LONG_DUC, "--period", "2026-10", "--period-type", "quarter") == 2
