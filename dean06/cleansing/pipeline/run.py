"""Files in, files out: sector Parquet + registry Parquet → one verdict per row (CSV or Parquet), ordered by row."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from dean06.cleansing.pipeline.classify import classify
from dean06.cleansing.pipeline.config import DEFAULT_CONFIG, MatchConfig
from dean06.cleansing.pipeline.match import match
from dean06.cleansing.pipeline.schema import ROW, ResultColumn, RowClass


@dataclass(frozen=True, slots=True)
class RunSummary:
    rows: int
    counts: dict[RowClass, int]  # every class, zero included


def run_matching(
    sector_path: Path, registry_path: Path, out_path: Path, config: MatchConfig = DEFAULT_CONFIG
) -> RunSummary:
    """Match and classify; the output format follows `out_path`'s suffix (".parquet", anything else is CSV)."""
    verdicts = classify(match(pl.read_parquet(sector_path), pl.read_parquet(registry_path), config)).sort(ROW)
    if out_path.suffix == ".parquet":
        verdicts.write_parquet(out_path)
    else:
        verdicts.write_csv(out_path)
    found = dict(verdicts[ResultColumn.CLASS].value_counts().iter_rows())
    return RunSummary(rows=verdicts.height, counts={c: int(found.get(c.value, 0)) for c in RowClass})
