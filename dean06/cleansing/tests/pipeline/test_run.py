"""`run_matching` on files: a golden CSV, Parquet output, the per-class counts, and the review outputs (details
and candidates)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import polars as pl

from dean06.cleansing.pipeline.config import DEFAULT_CONFIG
from dean06.cleansing.pipeline.match import (
    AGREE_COLUMNS,
    CANDIDATES_SCHEMA,
    DETAILS_SCHEMA,
    match,
    match_with_candidates,
    sector_frame,
)
from dean06.cleansing.pipeline.run import run_matching
from dean06.cleansing.pipeline.schema import RowClass
from dean06.cleansing.tests.pipeline.test_match import NO_DOB, PersonRow, person, registry_frame

# Empty reasons/fixes are written as "" (an empty string, not a missing value).
GOLDEN = """row,personal_id,class,confidence,reasons,fixes
1,001085000001,exact,1.0,"",""
2,001070000012,fixable,0.9825,Họ tên khác: 'Dang Van Hung' ≠ 'Đặng Văn Hùng',full_name=Đặng Văn Hùng
3,001150000007,deceased,1.0,Đã mất theo CSDL dân cư (ngày mất 01/01/2024),""
4,,not_found,1.0,Không tìm thấy trong CSDL dân cư,""
5,001085000001,duplicate,1.0,Trùng với dòng 1,""
"""


def _write_inputs(tmp_path: Path) -> tuple[Path, Path]:
    records = [
        person(1),
        person(12, n_full_name="Dang Van Hung", q_full_name="partial"),
        person(7),
        {"n_full_name": "Lê Văn Tám", "n_date_of_birth": date(1970, 1, 1)},
        person(1),
    ]
    sector = sector_frame([{"row": i} | r for i, r in enumerate(records, start=1)])
    # Rows arrive out of order: the output must still follow `row`.
    sector.reverse().write_parquet(tmp_path / "sector.parquet")
    registry_frame().write_parquet(tmp_path / "registry.parquet")
    return tmp_path / "sector.parquet", tmp_path / "registry.parquet"


def test_golden_csv(tmp_path: Path) -> None:
    sector, registry = _write_inputs(tmp_path)
    summary = run_matching(sector, registry, tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == GOLDEN
    assert summary.rows == 5
    assert summary.counts == {
        RowClass.EXACT: 1,
        RowClass.FIXABLE: 1,
        RowClass.DECEASED: 1,
        RowClass.NOT_FOUND: 1,
        RowClass.DUPLICATE: 1,
        RowClass.AMBIGUOUS: 0,
    }


def test_parquet_output_matches_csv(tmp_path: Path) -> None:
    sector, registry = _write_inputs(tmp_path)
    run_matching(sector, registry, tmp_path / "out.parquet")
    written = pl.read_parquet(tmp_path / "out.parquet")
    assert written["row"].to_list() == [1, 2, 3, 4, 5]
    assert written["class"].to_list() == ["exact", "fixable", "deceased", "not_found", "duplicate"]


# Two more women named Trần Thị Lan born in 1992 besides persons 3 and 4: one in another commune, one with her
# gender wrong in the registry, so a row giving only the year has four candidates with two different scores.
EXTRA_LANS: list[PersonRow] = [
    (21, "001192000021", None, "Trần Thị Lan", date(1992, 5, 5), "Nữ", "10005", None),
    (22, "001192000022", None, "Trần Thị Lan", date(1992, 6, 6), "Nam", "10002", None),
]
REVIEW_RECORDS = [
    person(1),  # exact
    person(3, n_personal_id=None, n_birth_year=1992, **NO_DOB),  # ambiguous: persons 3, 4 (0.825), 21, 22 (0.725)
    person(1, n_personal_id=None, n_birth_year=1985, n_gender=None, **NO_DOB),  # person 1 at 0.775, person 2 at 0.6
    {"n_full_name": "Lê Văn Tám", "n_date_of_birth": date(1970, 1, 1)},  # not found
]


def _review_run(tmp_path: Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    sector = sector_frame([{"row": i} | r for i, r in enumerate(REVIEW_RECORDS, start=1)])
    sector.write_parquet(tmp_path / "sector.parquet")
    pl.concat([registry_frame(), registry_frame(EXTRA_LANS)]).write_parquet(tmp_path / "registry.parquet")
    paths = [tmp_path / name for name in ("out.parquet", "details.parquet", "candidates.parquet")]
    run_matching(
        tmp_path / "sector.parquet",
        tmp_path / "registry.parquet",
        paths[0],
        details_path=paths[1],
        candidates_path=paths[2],
    )
    verdicts, details, candidates = (pl.read_parquet(path) for path in paths)
    return verdicts, details, candidates


def _candidates_of(candidates: pl.DataFrame, row: int) -> list[dict[str, object]]:
    return candidates.filter(pl.col("row") == row).drop("row").to_dicts()


def test_details_have_one_row_per_input_row(tmp_path: Path) -> None:
    verdicts, details, _ = _review_run(tmp_path)
    assert details.schema == DETAILS_SCHEMA
    assert details["row"].to_list() == verdicts["row"].to_list() == [1, 2, 3, 4]
    assert details.row(0, named=True) == {
        "row": 1,
        **dict.fromkeys(AGREE_COLUMNS, "agree"),
        "duplicate_of": None,
        "commune_code": "10001",
    }
    # No person chosen: no agreement; the repeated person 1 points back to row 1.
    assert details.row(1, named=True) == {"row": 2, **dict.fromkeys(AGREE_COLUMNS), "duplicate_of": None} | {
        "commune_code": "10002"
    }
    assert details["duplicate_of"].to_list() == [None, None, 1, None]
    assert details.filter(pl.col("row") == 3)["agree_gender"].to_list() == ["missing"]


def test_ambiguous_row_lists_its_best_candidates_ranked(tmp_path: Path) -> None:
    verdicts, _, candidates = _review_run(tmp_path)
    assert candidates.schema == CANDIDATES_SCHEMA
    assert verdicts.filter(pl.col("row") == 2)["class"].to_list() == ["ambiguous"]
    lans = _candidates_of(candidates, 2)
    # Four candidates clear the floor; the three best are kept, ties in person order.
    assert [(c["rank"], c["personal_id"], c["score"]) for c in lans] == [
        (1, "001192000003", 0.825),
        (2, "001192000004", 0.825),
        (3, "001192000021", 0.725),
    ]
    assert {c: lans[0][c] for c in AGREE_COLUMNS} == {
        "agree_name": "agree",
        "agree_dob": "differs",
        "agree_gender": "agree",
        "agree_id": "missing",
        "agree_commune": "agree",
    }
    assert lans[2]["agree_commune"] == "differs"


def test_low_confidence_match_lists_its_candidates_and_sure_rows_none(tmp_path: Path) -> None:
    verdicts, _, candidates = _review_run(tmp_path)
    chosen = verdicts.filter(pl.col("row") == 3).row(0, named=True)
    assert chosen["personal_id"] == "001085000001" and chosen["confidence"] < DEFAULT_CONFIG.review_below
    assert [(c["rank"], c["personal_id"], c["score"], c["agree_dob"]) for c in _candidates_of(candidates, 3)] == [
        (1, "001085000001", 0.775, "differs"),
        (2, "001090000002", 0.6, "differs"),
    ]
    assert set(candidates["row"].to_list()) == {2, 3}  # neither the exact row nor the row with no candidate


def test_review_limits_come_from_the_config(tmp_path: Path) -> None:
    sector = sector_frame([{"row": i} | r for i, r in enumerate(REVIEW_RECORDS, start=1)])
    registry = pl.concat([registry_frame(), registry_frame(EXTRA_LANS)])
    config = replace(DEFAULT_CONFIG, review_candidates=1, review_below=0.7)
    matched, candidates = match_with_candidates(sector, registry, config)
    assert candidates.select("row", "rank", "personal_id").rows() == [(2, 1, "001192000003")]
    assert matched.equals(match(sector, registry, config))  # the plain matcher gives the same frame
