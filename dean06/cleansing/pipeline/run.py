"""Files in, files out: sector Parquet + registry Parquet → one verdict per row (CSV or Parquet), ordered by row.

For the review queue it can also write the per-row details and the candidates of the rows to review (Parquet;
`DETAILS_SCHEMA` and `CANDIDATES_SCHEMA` in match.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from dean06.cleansing.pipeline.classify import classify
from dean06.cleansing.pipeline.config import DEFAULT_CONFIG, MatchConfig
from dean06.cleansing.pipeline.match import match, match_details, match_with_candidates
from dean06.cleansing.pipeline.schema import ROW, ResultColumn, RowClass


@dataclass(frozen=True, slots=True)
class RunSummary:
    rows: int
    counts: dict[RowClass, int]  # every class, zero included


def run_matching(
    sector_path: Path,
    registry_path: Path,
    out_path: Path,
    config: MatchConfig = DEFAULT_CONFIG,
    *,
    details_path: Path | None = None,
    candidates_path: Path | None = None,
) -> RunSummary:
    """Match and classify; the output format follows `out_path`'s suffix (".parquet", anything else is CSV).

    `details_path`: one row per sector row (`DETAILS_SCHEMA`); `candidates_path`: the best candidates of each
    ambiguous or low-confidence row (`CANDIDATES_SCHEMA`); both Parquet, written even when empty."""
    sector, registry = pl.read_parquet(sector_path), pl.read_parquet(registry_path)
    if candidates_path is not None:
        matched, candidates = match_with_candidates(sector, registry, config)
        candidates.write_parquet(candidates_path)
    else:
        matched = match(sector, registry, config)
    del sector, registry
    if details_path is not None:
        match_details(matched).write_parquet(details_path)
    verdicts = classify(matched).sort(ROW)
    if out_path.suffix == ".parquet":
        verdicts.write_parquet(out_path)
    else:
        verdicts.write_csv(out_path)
    found = dict(verdicts[ResultColumn.CLASS].value_counts().iter_rows())
    return RunSummary(rows=verdicts.height, counts={c: int(found.get(c.value, 0)) for c in RowClass})
