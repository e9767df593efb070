"""Benchmark of the whole cleansing file pipeline on lists typed the way offices type them, with known truth.

    DATABASE_URL=… python bench/cleansing_files.py --prepare      # a fresh, migrated database: load the units
                                                                  # (kept: the address resolver reads them)
    python bench/cleansing_files.py --build --persons 1000000 --rows 100000     # registry + both files + truths
    DATABASE_URL=… python bench/cleansing_files.py --kind welfare --persons 1000000 --rows 100000   # run, score

The registry Parquet is `bench/cleansing_match.py`'s (N demo persons, seed 6; built by its `_build`, reused when
there). The files come from `dean06.demo.sector_files` (error catalogue there; docs/benchmarks.md): a welfare
XLSX and an insurance CSV in Windows-1258, M rows each, from the same generated persons (those past the first N
are the people the registry does not know), each with its truth Parquet, in bench/out/cleansing/files/.

A run does what `cleanse_file` does, stage by stage, timed apart: `read_sector_file`, `normalize_frame`, the
service's `_sector_frame` (ID split and `communes_resolve` against the units in DATABASE_URL), and `run_matching`
(match + classify, Parquet in and out). The registry comes from Parquet rather than `registry_extract`. Peak RSS
(getrusage) is the whole process's after each stage. Scores against the truth: link precision / recall / F1,
class accuracy, and per catalogue error the share of its rows given the expected class.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from benchlib import checkout_on_path, django_setup, peak_rss_mb, units_prepare
from cleansing_match import GEOGRAPHY, NOT_FOUND_SHARE, OUT, _build, _prepare, data_paths, link_scores

FILES = OUT / "files"
SUFFIX = {"welfare": "xlsx", "insurance": "csv"}
SEED_OFFSET = {"welfare": 0, "insurance": 1}  # the two lists hold different people


def _prepare_units() -> str:
    """Units into DATABASE_URL (fresh, migrated); the geography cache too if `make bench-cleansing` has not made it."""
    django_setup()
    return _prepare() if not GEOGRAPHY.exists() else f"cleansing_files_prepare {units_prepare()}"


def _path(kind: str, persons: int, rows: int, seed: int) -> Path:
    return FILES / f"{kind}-{rows}-{persons}-{seed}.{SUFFIX[kind]}"


def _build_files(persons: int, rows: int, seed: int) -> list[Path]:
    import polars as pl

    from dean06.cleansing.pipeline.schema import RegistryColumn as R
    from dean06.demo.population import population_generate
    from dean06.demo.sector_files import Resident, residents, sector_file_write

    paths = [_path(kind, persons, rows, seed) for kind in SUFFIX]
    if all(p.exists() for p in paths):
        return paths
    # The registry of N persons as bench-cleansing builds it, with its pool of absent people (3 % of N).
    registry_path, _, _ = _build(persons, persons, seed)
    geography, _ = pickle.loads(GEOGRAPHY.read_bytes())  # noqa: S301  our own cache file
    pool = int(persons * NOT_FOUND_SHARE)
    people = list(residents(population_generate(geography, persons=persons + pool, seed=seed), geography))
    listed: list[Resident] = people[:persons]
    absent = [replace(r, person_id=None) for r in people[persons:]]
    registered_ids = pl.read_parquet(registry_path, columns=[R.PERSONAL_ID])[R.PERSONAL_ID].to_list()
    if registered_ids != [r.personal_id for r in listed]:  # person_id i+1 must be the registry's row i
        sys.exit(f"{registry_path} does not hold the generator's first {persons} persons")
    FILES.mkdir(parents=True, exist_ok=True)
    for kind, path in zip(SUFFIX, paths, strict=True):
        started = time.perf_counter()
        written = sector_file_write(
            path, listed, absent, kind=kind, rows=rows, seed=seed + SEED_OFFSET[kind], encoding="cp1258"
        )
        print(
            f"cleansing_files_build file={path.name} rows={written.rows} seconds={time.perf_counter() - started:.1f} "
            f"mb={path.stat().st_size / 2**20:.0f} classes={written.classes}",
            flush=True,
        )
    return paths


def _score(verdicts: object, truth_path: Path) -> str:
    import polars as pl

    assert isinstance(verdicts, pl.DataFrame)
    truth = pl.read_parquet(truth_path)
    joined = verdicts.join(truth, on="row", how="full", coalesce=True)
    unaccounted = joined.filter(pl.col("class").is_null() | pl.col("t_class").is_null()).height
    precision, recall, f1 = link_scores(verdicts.select("row", "personal_id"), truth)  # as bench-cleansing scores
    hit = pl.col("class") == pl.col("t_class")
    accuracy = joined.filter(hit).height / joined.height
    per_class = ";".join(
        f"{c}:{n}/{t}" for c, n, t in joined.group_by("t_class").agg(hit.sum(), pl.len()).sort("t_class").iter_rows()
    )
    confusion = joined.filter(~hit).group_by("t_class", "class").len().sort("len", descending=True).head(12).iter_rows()
    misses = ";".join(f"{a}->{b}:{n}" for a, b, n in confusion)
    # Per error (rows not repeated): how often the row still got its expected class, and what it got instead.
    errors = (
        joined.filter(pl.col("t_class") != "duplicate")
        .with_columns(pl.col("t_errors").str.split(",").alias("error"))
        .explode("error")
        .with_columns(pl.col("error").replace("", "none"))
        .group_by("error")
        .agg(hit.mean().alias("ok"), pl.len(), pl.col("class").filter(~hit).mode().first().alias("instead"))
        .sort("ok")
    )
    by_error = ";".join(f"{e}:{ok:.3f}/{n}{'' if ok == 1 else '->' + str(i)}" for e, ok, n, i in errors.iter_rows())
    places = joined.group_by("t_hamlet").agg(hit.mean(), pl.len()).sort("t_hamlet").iter_rows()
    by_hamlet = ";".join(f"{p}:{ok:.3f}/{n}" for p, ok, n in places)
    return (
        f"precision={precision:.5f} recall={recall:.5f} f1={f1:.5f} class_accuracy={accuracy:.5f} "
        f"unaccounted_rows={unaccounted} correct_by_class={per_class} misclassified={misses or '-'} "
        f"accuracy_by_error={by_error} accuracy_by_hamlet_place={by_hamlet}"
    )


def _run(kind: str, persons: int, rows: int, seed: int, *, hamlet_first: bool) -> str:
    django_setup()  # the resolver reads the units from DATABASE_URL
    import polars as pl

    from dean06.cleansing.pipeline.normalize import normalize_frame
    from dean06.cleansing.pipeline.reading import read_sector_file
    from dean06.cleansing.pipeline.run import run_matching
    from dean06.cleansing.pipeline.schema import ROW, Field, normalized
    from dean06.cleansing.services import _sector_frame
    from dean06.demo.population import AS_OF
    from dean06.demo.sector_files import truth_path_for
    from dean06.registry.units.index import unit_index

    path = _path(kind, persons, rows, seed)
    registry_path = data_paths(persons, persons, seed)[0]
    if not path.exists() or not registry_path.exists():
        sys.exit(f"no {path} or {registry_path}: run with --build first (make bench-cleansing-files does)")
    unit_index()  # the resolver's unit index is built once per process: not part of any stage
    baseline = peak_rss_mb()
    seconds: dict[str, float] = {}
    peaks: dict[str, float] = {}

    def stage(name: str, started: float) -> None:
        seconds[name], peaks[name] = time.perf_counter() - started, peak_rss_mb()

    started = time.perf_counter()
    sector_file = read_sector_file(path)
    stage("read", started)
    started = time.perf_counter()
    normalised = normalize_frame(sector_file.frame, today=AS_OF)
    stage("normalise", started)
    places = [pl.col(c) for c in (normalized(Field.ADDRESS), normalized(Field.HAMLET)) if c in normalised]
    distinct_addresses = normalised.select(pl.concat_str(places, separator=", ", ignore_nulls=True).n_unique()).item()
    if hamlet_first:  # what-if: the hamlet column put before the address (extract.py appends it after)
        address, hamlet = normalized(Field.ADDRESS), normalized(Field.HAMLET)
        normalised = normalised.with_columns(
            pl.concat_str([pl.col(hamlet), pl.col(address)], separator=", ", ignore_nulls=True).alias(address)
        ).drop(hamlet)
    started = time.perf_counter()
    prepared = _sector_frame(normalised).sort(ROW)
    stage("resolve", started)
    with tempfile.TemporaryDirectory(prefix="bench-cleansing-files-") as workdir:
        sector_path, out = Path(workdir, "sector.parquet"), Path(workdir, "verdicts.parquet")
        started = time.perf_counter()
        prepared.write_parquet(sector_path)
        run_matching(sector_path, registry_path, out)
        stage("match_classify", started)
        verdicts = pl.read_parquet(out)
    # Kept next to the file for a closer look (reasons, fixes), joined with what each row should have been.
    prepared.join(verdicts, on=ROW).write_parquet(path.with_name(f"{path.stem}.verdicts.parquet"))
    timing = " ".join(f"{name}_s={s:.1f}" for name, s in seconds.items())
    memory = " ".join(f"{name}_peak_mb={mb:.0f}" for name, mb in peaks.items())
    report = sector_file.report
    return (
        f"cleansing_files kind={kind} file={path.name} encoding={report.encoding} persons={persons} "
        f"rows={report.data_rows} skipped={len(report.skipped)} title_rows={len(report.title_rows)} "
        f"hamlet_first={int(hamlet_first)} distinct_addresses={distinct_addresses} "
        f"seconds={sum(seconds.values()):.1f} {timing} peak_rss_mb={max(peaks.values()):.0f} "
        f"baseline_rss_mb={baseline:.0f} {memory} {_score(verdicts, truth_path_for(path))}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark of the cleansing pipeline on office-typed files.")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--kind", choices=sorted(SUFFIX), default="welfare")
    parser.add_argument("--prepare", action="store_true", help="only load the units (and cache the geography)")
    parser.add_argument("--build", action="store_true", help="only build the registry, the files and the truths")
    parser.add_argument("--hamlet-first", action="store_true", help="what-if: the hamlet column before the address")
    args = parser.parse_args()
    if args.prepare:
        print(_prepare_units(), flush=True)
        return
    checkout_on_path()
    if args.build:
        print(" ".join(map(str, _build_files(args.persons, args.rows, args.seed))), flush=True)
        return
    print(_run(args.kind, args.persons, args.rows, args.seed, hamlet_first=args.hamlet_first), flush=True)


if __name__ == "__main__":
    main()
