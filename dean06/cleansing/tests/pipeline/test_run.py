"""`run_matching` on files: a golden CSV, Parquet output and the per-class counts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from dean06.cleansing.pipeline.match import sector_frame
from dean06.cleansing.pipeline.run import run_matching
from dean06.cleansing.pipeline.schema import RowClass
from dean06.cleansing.tests.pipeline.test_match import person, registry_frame

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
