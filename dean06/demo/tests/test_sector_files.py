"""Office-typed sector lists: every row reads back through the cleansing reader, and the truth lines up with it."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from io import StringIO
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command

from dean06.cleansing.pipeline.normalize import normalize_frame
from dean06.cleansing.pipeline.reading import read_sector_file
from dean06.cleansing.pipeline.schema import ROW, Field, normalized
from dean06.demo.population import AS_OF, Geography, LegacyCommune, NewCommune, population_generate
from dean06.demo.sector_files import (
    CATALOGUE,
    ERRORS,
    Encoding,
    Resident,
    address_spots,
    residents,
    sector_file_write,
    sector_rows,
    truth_path_for,
)
from dean06.registry.models import Person
from dean06.text import canonical_tone

SEED = 6
ROWS = 200

# A province of three old communes, one of them split between two new ones (real names, made-up ids).
GEOGRAPHY = Geography(
    province="Tỉnh Vĩnh Long",
    communes=(
        LegacyCommune(1, "84", "Xã Long Đức", "Thành phố Trà Vinh", "Tỉnh Trà Vinh", False,
                      (NewCommune(11, "29263", "Phường Long Đức"),)),
        LegacyCommune(2, "84", "Phường 1", "Thành phố Trà Vinh", "Tỉnh Trà Vinh", True,
                      (NewCommune(12, "29242", "Phường Trà Vinh"),)),
        LegacyCommune(3, "86", "Thị trấn Trà Ôn", "Huyện Trà Ôn", "Tỉnh Vĩnh Long", True,
                      (NewCommune(13, "29800", "Xã Trà Ôn"), NewCommune(14, "29801", "Xã Hòa Bình"))),
    ),
)  # fmt: skip


@pytest.fixture(scope="module")
def people() -> tuple[list[Resident], list[Resident]]:
    everyone = list(residents(population_generate(GEOGRAPHY, persons=ROWS * 3, seed=SEED), GEOGRAPHY))
    return everyone[: ROWS * 2], [replace(r, person_id=None) for r in everyone[ROWS * 2 :]]


def _read_back(path: Path, truth_path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    sector = read_sector_file(path)
    truth = pl.read_parquet(truth_path)
    assert sector.report.data_rows == truth.height == ROWS
    assert sector.frame[ROW].to_list() == truth["row"].to_list() == list(range(1, ROWS + 1))
    return normalize_frame(sector.frame, today=AS_OF), truth


def _check_truth(normalised: pl.DataFrame, truth: pl.DataFrame, registered: list[Resident]) -> None:
    """Rows typed with form errors only normalise to the registry's values; the IDs left alone are the person's."""
    by_id = {r.person_id: r for r in registered}
    rows = normalised.join(truth, on=ROW).to_dicts()
    assert Counter(r["t_class"] for r in rows).keys() >= {"exact", "fixable", "not_found", "duplicate"}
    for row in rows:
        if row["t_class"] == "not_found":
            assert row["t_person_id"] is None
            continue
        person = by_id[row["t_person_id"]]
        assert row["t_personal_id"] == person.personal_id
        if not any(e.startswith("id_") for e in row["t_errors"].split(",")):
            assert row[normalized(Field.PERSONAL_ID)] == person.personal_id
        if row["t_class"] == "exact":
            assert row[normalized(Field.FULL_NAME)] == canonical_tone(person.full_name)
            assert row[normalized(Field.DATE_OF_BIRTH)] == person.date_of_birth
            assert row[normalized(Field.GENDER)] == person.gender


def test_welfare_xlsx_reads_back_row_for_row(tmp_path: Path, people: tuple[list[Resident], list[Resident]]) -> None:
    registered, absent = people
    written = sector_file_write(tmp_path / "bao-tro.xlsx", registered, absent, kind="welfare", rows=ROWS, seed=SEED)
    report = read_sector_file(written.path).report
    assert report.header_line == 5 and len(report.title_rows) == 4  # three titles and a blank line
    assert [s.reason for s in report.skipped] == ["total"]  # the "Tổng cộng" row
    assert set(report.mapping.values()) >= {Field.FULL_NAME, Field.DATE_OF_BIRTH, Field.HAMLET, Field.ADDRESS}
    normalised, truth = _read_back(written.path, written.truth_path)
    _check_truth(normalised, truth, registered)
    assert written.rows == ROWS and sum(written.classes.values()) == ROWS


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1258", "tcvn3"])
def test_insurance_csv_reads_back_in_each_encoding(
    tmp_path: Path, people: tuple[list[Resident], list[Resident]], encoding: Encoding
) -> None:
    registered, absent = people
    written = sector_file_write(
        tmp_path / "bhyt.csv", registered, absent, kind="insurance", rows=ROWS, seed=SEED, encoding=encoding
    )
    assert read_sector_file(written.path).report.encoding == encoding
    normalised, truth = _read_back(written.path, written.truth_path)
    _check_truth(normalised, truth, registered)


def test_rows_are_deterministic_and_use_the_whole_catalogue(people: tuple[list[Resident], list[Resident]]) -> None:
    registered, absent = people
    big = registered * 10  # more rows than persons: the same person may be listed under two keys, fine here
    big = [replace(r, person_id=i + 1) for i, r in enumerate(big)]
    first = list(sector_rows(big, absent, kind="welfare", rows=3000, seed=SEED))
    assert first == list(sector_rows(big, absent, kind="welfare", rows=3000, seed=SEED))
    applied = Counter(e for row in first for e in row.truth.errors)
    assert applied.keys() >= set(ERRORS)  # every catalogue error applies somewhere
    classes = Counter(row.truth.row_class for row in first)
    assert classes["duplicate"] == 60 and classes["not_found"] == min(90, len(absent))
    for row in first:  # form-only errors leave a listed, living person exact
        content = [e for e in row.truth.errors if e != "repeated_row" and ERRORS[e].content]
        if row.truth.row_class in ("exact", "fixable"):
            assert (row.truth.row_class == "fixable") == bool(content)
    assert {e.field for e in CATALOGUE} == {"name", "dob", "id", "gender", "address"}


def test_address_spots() -> None:
    assert address_spots("Số 12, Khóm 3, Phường 1, Thành phố Trà Vinh, Tỉnh Trà Vinh") == ("Số 12", "Khóm 3")
    assert address_spots("Ấp Phú Hòa, Phường Long Đức, Tỉnh Vĩnh Long") == ("", "Ấp Phú Hòa")
    assert address_spots("Phường Long Đức, Tỉnh Vĩnh Long") == ("", "")


@pytest.mark.django_db
def test_demo_command_writes_sample_files_from_the_database(tmp_path: Path) -> None:
    out = StringIO()
    call_command("demo", persons=1000, seed=SEED, no_accounts=True, sector_files=tmp_path, stdout=out)
    text = out.getvalue()
    for name in ("ds-bao-tro-xa-hoi.xlsx", "ds-bhyt.csv"):
        assert str(tmp_path / name) in text
        truth = pl.read_parquet(truth_path_for(tmp_path / name))
        assert read_sector_file(tmp_path / name).report.data_rows == truth.height == 300
        listed = truth.filter(pl.col("t_person_id").is_not_null())
        found = Person.objects.filter(pk__in=listed["t_person_id"].to_list())
        assert dict(found.values_list("pk", "personal_id")) == dict(
            listed.select("t_person_id", "t_personal_id").rows()
        )
        assert "deceased" in set(truth["t_class"])
