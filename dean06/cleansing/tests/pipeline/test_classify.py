"""Verdicts: every case of the issue → class, Vietnamese reason and registry fix; precedence between classes."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from dean06.cleansing.pipeline.classify import RESULT_COLUMNS, classify
from dean06.cleansing.pipeline.config import DEFAULT_CONFIG
from dean06.cleansing.pipeline.match import match, sector_frame
from dean06.cleansing.tests.pipeline.test_match import NO_DOB, person, registry_frame

# (description, record, class, substrings of reasons, fixes)
CASES: list[tuple[str, dict[str, object], str, list[str], str]] = [
    ("all fields agree", person(1), "exact", [], ""),
    (
        "differs only in form",
        person(1, q_full_name="form", q_date_of_birth="form", q_personal_id="form"),
        "exact",
        [],
        "",
    ),
    (
        "no diacritics",
        person(12, n_full_name="Dang Van Hung", q_full_name="partial"),
        "fixable",
        ["Họ tên khác: 'Dang Van Hung' ≠ 'Đặng Văn Hùng'"],
        "full_name=Đặng Văn Hùng",
    ),
    (
        "words run together, no ID",
        person(11, n_full_name="Bùi Thịmai", n_personal_id=None),
        "fixable",
        ["Họ tên khác: 'Bùi Thịmai' ≠ 'Bùi Thị Mai'", "Thiếu số định danh cá nhân"],
        "full_name=Bùi Thị Mai;personal_id=001199000011",
    ),
    ("wrong letter", person(13, n_full_name="Ngô Thị Hưởng"), "fixable", ["Họ tên khác"], "full_name=Ngô Thị Hương"),
    (
        "given name first",
        person(14, n_full_name="Quân Dương Minh"),
        "fixable",
        ["Họ tên khác: 'Quân Dương Minh' ≠ 'Dương Minh Quân'"],
        "full_name=Dương Minh Quân",
    ),
    (
        "year only",
        person(10, n_birth_year=1975, **NO_DOB),
        "fixable",
        ["Ngày sinh chỉ có năm"],
        "date_of_birth=1975-04-30",
    ),
    (
        "day and month swapped",
        person(19, n_date_of_birth=date(1994, 1, 12), q_date_of_birth="swapped"),
        "fixable",
        ["Ngày sinh đảo ngày và tháng: '12/01/1994' ≠ '01/12/1994'"],
        "date_of_birth=1994-12-01",
    ),
    (
        "date of birth missing",
        person(20, n_date_of_birth=None),
        "fixable",
        ["Thiếu ngày sinh"],
        "date_of_birth=1960-03-03",
    ),
    (
        "old 9-digit ID",
        person(8, n_personal_id=None, n_old_id="111222333"),
        "fixable",
        ["Số CMND 9 số cũ '111222333', người này đã có số định danh '001080000008'"],
        "personal_id=001080000008",
    ),
    (
        "transposed ID digits",
        person(18, n_personal_id="001078000081"),
        "fixable",
        ["Số định danh sai một chữ số: '001078000081' ≠ '001078000018'"],
        "personal_id=001078000018",
    ),
    (
        "missing ID digit",
        person(9, n_personal_id="00118800009", q_personal_id="invalid"),
        "fixable",
        ["Số định danh sai một chữ số"],
        "personal_id=001188000009",
    ),
    ("gender missing", person(20, n_gender=None), "fixable", ["Thiếu giới tính"], "gender=Nam"),
    ("gender wrong", person(12, n_gender="Nữ"), "fixable", ["Giới tính khác: 'Nữ' ≠ 'Nam'"], "gender=Nam"),
    (
        "address of another era",
        person(16, n_commune_era="pre2025"),
        "fixable",
        ["Địa chỉ dùng đơn vị hành chính trước 2025"],
        "commune=10001",
    ),
    (
        "another commune",
        person(16, n_commune_code="10005"),
        "fixable",
        ["Xã/phường khác: '10005' ≠ '10001'"],
        "commune=10001",
    ),
    ("deceased", person(7), "deceased", ["Đã mất theo CSDL dân cư (ngày mất 01/01/2024)"], ""),
    (
        "deceased wins over fixable",
        person(7, n_full_name="Pham Thi Hoa", q_full_name="partial"),
        "deceased",
        ["Đã mất", "Họ tên khác"],
        "full_name=Phạm Thị Hòa",
    ),
    (
        "not in the registry",
        {"n_full_name": "Lê Văn Tám", "n_date_of_birth": date(1970, 1, 1), "n_gender": "Nam"},
        "not_found",
        ["Không tìm thấy trong CSDL dân cư"],
        "",
    ),
    (
        "two candidates",
        person(3, n_personal_id=None, n_birth_year=1992, **NO_DOB),
        "ambiguous",
        ["Nhiều người phù hợp (2), cần cán bộ xác minh"],
        "",
    ),
]


def _verdicts(records: list[dict[str, object]]) -> pl.DataFrame:
    sector = sector_frame([{"row": i} | r for i, r in enumerate(records, start=1)])
    return classify(match(sector, registry_frame(), DEFAULT_CONFIG))


@pytest.mark.parametrize(("record", "klass", "reasons", "fixes"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_verdict(record: dict[str, object], klass: str, reasons: list[str], fixes: str) -> None:
    verdict = _verdicts([record]).row(0, named=True)
    assert verdict["class"] == klass
    assert all(reason in verdict["reasons"] for reason in reasons), verdict["reasons"]
    if not reasons:
        assert verdict["reasons"] == ""
    assert verdict["fixes"] == fixes


def test_columns_personal_id_and_confidence() -> None:
    verdicts = _verdicts([person(1), {"n_full_name": "Lê Văn Tám", "n_date_of_birth": date(1970, 1, 1)}])
    assert verdicts.columns == list(RESULT_COLUMNS)
    found, missing = verdicts.rows(named=True)
    assert found["personal_id"] == "001085000001"
    assert found["confidence"] == 1.0
    assert missing["personal_id"] is None
    assert 0.0 < missing["confidence"] <= 1.0


def test_duplicate_wins_over_deceased_and_fixable_and_names_the_earliest_row() -> None:
    verdicts = _verdicts([person(7), person(2, n_personal_id=None), person(7, n_gender=None), person(7)])
    assert verdicts["class"].to_list() == ["deceased", "fixable", "duplicate", "duplicate"]
    assert verdicts["reasons"][2].startswith("Trùng với dòng 1")
    assert verdicts["fixes"][2] == ""


def test_not_found_wins_when_the_id_points_to_nobody_and_nothing_else_fits() -> None:
    verdict = _verdicts([{"n_full_name": "Hà Văn Tư", "n_personal_id": "001099999999"}]).row(0, named=True)
    assert verdict["class"] == "not_found"
    assert verdict["personal_id"] is None
