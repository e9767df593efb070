"""Benchmark of `dean06 registry load` against the database in DATABASE_URL (a fresh, migrated one).

    python bench/registry_load.py --prepare                           # load the unit lists (own process)
    python bench/registry_load.py --generate DIR --persons 1000000    # write DIR/persons-N-2025.csv and -pre2025.csv
    python bench/registry_load.py --load FILE [--unit-era pre2025]    # import; prints one result line

The CSV files come from the demo population generator (`dean06.demo.population`, seed 6): the same persons
twice, once with 2025 commune codes and once with the pre-2025 codes of the communes they lived in, and about
0.1 % deliberately bad rows (the same lines in both). Generating needs the unit lists, so run --prepare first.
`--load` measures wall time and peak resident memory (getrusage ru_maxrss) of the import alone; run each load
in its own process. `make bench-registry-sqlite` / `bench-registry-postgres`; figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from benchlib import django_setup, peak_rss_mb, units_prepare

BAD_EVERY = 997  # a prime: the bad rows do not line up with household boundaries
BAD_KINDS = 7


def _spoil(n: int, row: list[str], previous_id: str) -> list[str]:
    """One of seven row faults, in turn: what `registry load` must reject with the line number."""
    kind = (n // BAD_EVERY) % BAD_KINDS
    spoiled = list(row)
    if kind == 0:
        spoiled[0] = spoiled[0].lstrip("0") or "1"  # a spreadsheet dropped the leading zero
    elif kind == 1:
        spoiled[3] = spoiled[3][:5] + "02-30"
    elif kind == 2:
        spoiled[4] = "M"
    elif kind == 3:
        spoiled[5] = "99999"
    elif kind == 4:
        spoiled[7], spoiled[8] = "alive", "2024-01-01"
    elif kind == 5:
        spoiled[0] = previous_id  # the same person twice
    else:
        spoiled[1] = spoiled[1][:8] or "12345678"
    return spoiled


def _rows(persons: int, seed: int) -> Iterator[tuple[list[str], str]]:
    """(row with the 2025 commune code, pre-2025 commune code) per generated person."""
    from dean06.demo.loading import geography_load
    from dean06.demo.population import population_generate
    from dean06.registry.models import AdministrativeUnit

    geography = geography_load()
    old_codes = dict(
        AdministrativeUnit.objects.filter(id__in=[c.id for c in geography.communes]).values_list("id", "code")
    )
    new_codes = {s.id: s.code for c in geography.communes for s in c.successors}
    for household in population_generate(geography, persons=persons, seed=seed):
        for p in household.members:
            death = p.death_date.isoformat() if p.death_date else ""
            row = [p.personal_id, p.old_id, p.full_name, p.date_of_birth.isoformat(), p.gender,
                   new_codes[p.commune_id], p.address, p.status, death]  # fmt: skip
            yield row, old_codes[p.legacy_commune_id]


def _generate(directory: Path, persons: int, seed: int) -> str:
    from dean06.registry.imports import HEADER

    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / f"persons-{persons}-{era}.csv" for era in ("2025", "pre2025")]
    with (
        paths[0].open("w", encoding="utf-8", newline="") as new,
        paths[1].open("w", encoding="utf-8", newline="") as old,
    ):
        new_csv, old_csv = csv.writer(new), csv.writer(old)
        new_csv.writerow(HEADER)
        old_csv.writerow(HEADER)
        previous_id, bad = "", 0
        for n, (row, old_code) in enumerate(_rows(persons, seed), start=1):
            if n % BAD_EVERY == 0:
                row, bad = _spoil(n, row, previous_id), bad + 1
            previous_id = row[0]
            new_csv.writerow(row)
            old_csv.writerow([*row[:5], old_code if row[5] != "99999" else row[5], *row[6:]])
    return f"registry_generate persons={persons} bad_rows={bad} files={','.join(map(str, paths))}"


def _load(path: Path, era: str) -> str:
    from django.db import connection

    from dean06.registry.imports import persons_import
    from dean06.registry.models import AdministrativeUnit

    if not AdministrativeUnit.objects.exists():
        sys.exit("no administrative units: run with --prepare first")
    baseline = peak_rss_mb()
    started = time.perf_counter()
    report = persons_import(path, unit_era=era)
    seconds = time.perf_counter() - started
    return (
        f"registry_load db={connection.vendor} file={path.name} era={era} read={report.read} "
        f"inserted={report.inserted} updated={report.updated} unchanged={report.unchanged} "
        f"rejected={report.rejected} seconds={seconds:.1f} rows_per_s={report.read / seconds:.0f} "
        f"peak_rss_mb={peak_rss_mb():.0f} baseline_rss_mb={baseline:.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark of dean06 registry load.")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--prepare", action="store_true", help="only load the administrative units")
    action.add_argument("--generate", type=Path, metavar="DIR", help="write the two CSV files into DIR")
    action.add_argument("--load", type=Path, metavar="FILE", help="import FILE and print the figures")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--unit-era", choices=("2025", "pre2025"), default="2025")
    args = parser.parse_args()
    django_setup()
    if args.prepare:
        print(units_prepare(), flush=True)
    elif args.generate:
        print(_generate(args.generate, args.persons, args.seed), flush=True)
    else:
        print(_load(args.load, args.unit_era), flush=True)


if __name__ == "__main__":
    main()
