"""Splink 5 (DuckDB) on the cleansing benchmark's files, scored like our matcher (bench/cleansing_match.py).

    python bench/cleansing_splink.py --persons 1000000 --rows 1000000   # after cleansing_match.py --build

Reads the registry, sector and truth Parquet files that cleansing_match.py builds, links the sector rows to the
registry (link_only), keeps each row's best candidate at or above the link threshold and prints one result line,
appended to bench/out/results.txt by `make bench-cleansing`. Timed as wall time: everything after reading the
files (name folding and the other derived columns, loading into DuckDB, training, predict, choosing the best
link). Peak resident memory (getrusage ru_maxrss) covers this process alone: it runs apart from our matcher's.

The model, in the spirit of our matcher's rules:
- comparisons: the folded name (exact, the same letters in another order or spacing, Jaro-Winkler ≥ 0.95, ≥ 0.88),
  the date of birth (exact, day and month swapped, one of day/month/year differs, only the year known and equal),
  the personal ID (exact, Damerau-Levenshtein ≤ 1, ≤ 2), the old ID, gender and commune (exact);
- blocking: the ID; the old ID; the date (or its day/month swap) and at least one shared name word; the sorted
  letters of the name and the birth year; given name, birth year, gender and commune; name and commune;
- training: the prior from two deterministic rules (ID; name and date), u by random sampling, m by EM on two
  blocking rules (the ID; the date and the surname).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from typing import TYPE_CHECKING

from benchlib import checkout_on_path, peak_rss_mb
from cleansing_match import data_paths, link_scores

if TYPE_CHECKING:
    import polars as pl
    from splink import DuckDBAPI, SettingsCreator

# A row's best candidate is a link from this match probability on. Tuned on the sweep at 100k: F1 is highest at
# 0.01–0.05 (0.99970), 0.99896 at 0.9; the best candidate is nearly always right even when Splink doubts it.
LINK_THRESHOLD = 0.05
SWEEP = (0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999)  # scores at these too, untimed
PREDICT_THRESHOLD = min(SWEEP)  # pairs scored below this are not kept at all
U_PAIRS = 1e7  # random pairs for the u estimates (Splink suggests 1e7 to 1e9; 1e8 took 430 s here at 100k)
PRIOR_RECALL = 0.9  # share of true links the deterministic rules are assumed to find (for the prior)
SECTOR, REGISTRY = "sector", "registry"  # the two datasets' names (Splink's source_dataset values)


def _features(frame: pl.DataFrame) -> pl.DataFrame:
    """Derived columns both sides share: name parts and keys, birth year, the day/month swap of the date."""
    import polars as pl

    name, dob = pl.col("name"), pl.col("dob")
    words = name.str.split(" ")
    day, month = dob.dt.day(), dob.dt.month()
    return frame.with_columns(
        words.alias("name_words"),
        words.list.first().alias("surname"),
        words.list.last().alias("given_name"),
        # given name first and words run together keep the letters: one key for both
        name.str.replace_all(" ", "").str.split("").list.sort().list.join("").alias("name_letters"),
        pl.coalesce(pl.col("birth_year"), dob.dt.year()).alias("birth_year"),
        pl.when((day <= 12) & (day != month)).then(pl.date(dob.dt.year(), day, month)).alias("dob_swapped"),
    )


def _inputs(registry: pl.DataFrame, sector: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Both frames in one shape: Splink compares columns of the same name."""
    import polars as pl

    from dean06.cleansing.pipeline.schema import RegistryColumn as R
    from dean06.text import fold

    names = sector["n_full_name"]
    folded = {v: fold(v) for v in names.drop_nulls().unique().to_list()}  # names repeat: fold each once
    left = sector.select(
        pl.col("row").alias("unique_id"),
        names.replace_strict(folded, default=None, return_dtype=pl.String()).alias("name"),
        pl.col("n_date_of_birth").alias("dob"),
        pl.col("n_birth_year").alias("birth_year"),
        pl.col("n_gender").alias("gender"),
        pl.col("n_commune_code").alias("commune"),
        pl.col("n_personal_id").alias("personal_id"),
        pl.col("n_old_id").alias("old_id"),
    )
    right = registry.select(
        pl.col(R.PERSON_ID).alias("unique_id"),
        pl.col(R.NAME_KEY).alias("name"),
        pl.col(R.DATE_OF_BIRTH).alias("dob"),
        pl.lit(None, pl.Int64()).alias("birth_year"),
        pl.col(R.GENDER).alias("gender"),
        pl.col(R.COMMUNE_CODE).alias("commune"),
        pl.col(R.PERSONAL_ID).alias("personal_id"),
        pl.col(R.OLD_ID).alias("old_id"),
    )
    return _features(left), _features(right)


def _settings() -> SettingsCreator:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on
    from splink.blocking_rule_library import CustomRule

    name = cl.CustomComparison(
        [
            cll.NullLevel("name"),
            cll.ExactMatchLevel("name"),
            cll.ExactMatchLevel("name_letters").configure(label_for_charts="same letters (word order, spacing)"),
            cll.JaroWinklerLevel("name", 0.95),
            cll.JaroWinklerLevel("name", 0.88),
            cll.ElseLevel(),
        ],
        output_column_name="name",
    )
    one_part_differs = (
        "(year(dob_l) = year(dob_r))::int + (month(dob_l) = month(dob_r))::int + (day(dob_l) = day(dob_r))::int = 2"
    )
    dob = cl.CustomComparison(
        [
            cll.NullLevel("birth_year"),  # the sector side knows not even the year
            cll.ExactMatchLevel("dob"),
            cll.CustomLevel("dob_swapped_l = dob_r", "day and month swapped"),
            cll.CustomLevel(one_part_differs, "one of day, month, year differs"),
            cll.CustomLevel("(dob_l IS NULL OR dob_r IS NULL) AND birth_year_l = birth_year_r", "same year, no date"),
            cll.ElseLevel(),
        ],
        output_column_name="dob",
    )
    return SettingsCreator(
        link_type="link_only",
        comparisons=[
            name,
            dob,
            cl.DamerauLevenshteinAtThresholds("personal_id", [1, 2]),  # wrong, transposed or missing digit
            cl.ExactMatch("old_id"),
            cl.ExactMatch("gender"),
            cl.ExactMatch("commune"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("personal_id"),
            block_on("old_id"),
            # a hash join on the date, then the residual word test: the cost of our "date + one name word" block
            CustomRule("l.dob = r.dob AND list_has_any(l.name_words, r.name_words)"),
            CustomRule("l.dob_swapped = r.dob AND list_has_any(l.name_words, r.name_words)"),
            block_on("name_letters", "birth_year"),
            block_on("given_name", "birth_year", "gender", "commune"),
            block_on("name", "commune"),
        ],
        retain_matching_columns=False,  # only the IDs and the probability are read back
    )


class _Laps:
    """Wall time of each step, for the result line (where Splink spends its time)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def __call__(self, step: str) -> None:
        now = time.perf_counter()
        self.laps.append((step, now - self.last))
        self.last = now

    def __str__(self) -> str:
        return ",".join(f"{step}:{seconds:.1f}" for step, seconds in self.laps)


def _link(
    db_api: DuckDBAPI, left: pl.DataFrame, right: pl.DataFrame, seed: int, lap: _Laps
) -> tuple[pl.DataFrame, int]:
    """Train, predict, and keep each sector row's best candidate (`row`, `person`, `probability`); also the number of
    pairs predict kept (scored at or above PREDICT_THRESHOLD)."""
    from splink import Linker, block_on

    linker = Linker(
        [db_api.register(left.to_arrow(), table_name=SECTOR), db_api.register(right.to_arrow(), table_name=REGISTRY)],
        _settings(),
        log_level=logging.WARNING,
    )
    lap("load")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("personal_id"), block_on("name", "dob")], recall=PRIOR_RECALL
    )
    lap("prior")
    linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=seed)
    lap("u")
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("personal_id"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob", "surname"))
    lap("em")
    predictions = linker.inference.predict(threshold_match_probability=PREDICT_THRESHOLD)
    lap("predict")
    # Which side is which is Splink's choice: read it from source_dataset.
    best = db_api.duckdb_con.sql(
        f"""
        WITH pairs AS (
            SELECT
                CASE WHEN source_dataset_l = '{SECTOR}' THEN unique_id_l ELSE unique_id_r END AS sector_row,
                CASE WHEN source_dataset_l = '{SECTOR}' THEN unique_id_r ELSE unique_id_l END AS person,
                match_probability
            FROM {predictions.physical_name}
        )
        SELECT sector_row AS row, person, match_probability AS probability FROM pairs
        QUALIFY row_number() OVER (PARTITION BY sector_row ORDER BY match_probability DESC, person) = 1
        """  # noqa: S608  Splink's own table name and our constant
    ).pl()
    lap("best")
    pairs = db_api.duckdb_con.sql(f"SELECT count(*) FROM {predictions.physical_name}").fetchall()  # noqa: S608
    return best, int(pairs[0][0])


def _run(persons: int, rows: int, seed: int) -> str:
    import duckdb
    import polars as pl
    import splink
    from splink import DuckDBAPI

    from dean06.cleansing.pipeline.schema import RegistryColumn as R

    registry_path, sector_path, truth_path = data_paths(persons, rows, seed)
    if not all(p.exists() for p in (registry_path, sector_path, truth_path)):
        sys.exit("no benchmark files: run bench/cleansing_match.py --build first (make bench-cleansing does)")
    registry, sector = pl.read_parquet(registry_path), pl.read_parquet(sector_path)
    truth = pl.read_parquet(truth_path)
    baseline = peak_rss_mb()
    started = time.perf_counter()
    lap = _Laps()
    left, right = _inputs(registry, sector)
    lap("prepare")
    best, pairs = _link(DuckDBAPI(), left, right, seed, lap)
    ids = registry.select(pl.col(R.PERSON_ID).alias("person"), pl.col(R.PERSONAL_ID).alias("personal_id"))
    links = best.filter(pl.col("probability") >= LINK_THRESHOLD).join(ids, on="person")
    seconds = time.perf_counter() - started
    peak = peak_rss_mb()
    precision, recall, f1 = link_scores(links, truth)
    # The same best candidates at other thresholds: how the choice of LINK_THRESHOLD was made (not timed).
    with_ids = best.join(ids, on="person")
    sweep = ";".join(
        f"{t}:" + "/".join(f"{v:.5f}" for v in link_scores(with_ids.filter(pl.col("probability") >= t), truth))
        for t in SWEEP
    )
    return (
        f"cleansing_splink persons={persons} rows={sector.height} seconds={seconds:.1f} peak_rss_mb={peak:.0f} "
        f"baseline_rss_mb={baseline:.0f} precision={precision:.5f} recall={recall:.5f} f1={f1:.5f} "
        f"link_threshold={LINK_THRESHOLD} pairs_kept={pairs} seconds_by_step={lap} "
        f"splink={splink.__version__} duckdb={duckdb.__version__} precision_recall_f1_by_threshold={sweep}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Splink 5 on the cleansing benchmark's files.")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    checkout_on_path()
    print(_run(args.persons, args.rows, args.seed), flush=True)


if __name__ == "__main__":
    main()
