"""Benchmark of the demo population generator against the database in DATABASE_URL (a fresh, migrated one).

    python bench/demo_generate.py --prepare            # load the unit lists (own process: its memory is not counted)
    python bench/demo_generate.py --persons 1000000    # generate and write; prints one result line

Measures wall time and peak resident memory (getrusage ru_maxrss) of the generate-and-write step.
`make bench` runs it on SQLite and PostgreSQL; figures are kept in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import sys
import time

from benchlib import django_setup, peak_rss_mb, units_prepare


def _run(persons: int, seed: int) -> str:
    from django.db import connection

    from dean06.demo.loading import population_load
    from dean06.registry.models import AdministrativeUnit

    if not AdministrativeUnit.objects.exists():
        sys.exit("no administrative units: run with --prepare first")
    baseline = peak_rss_mb()
    started = time.perf_counter()
    report = population_load(persons=persons, seed=seed)
    seconds = time.perf_counter() - started
    rows = report.persons + report.households
    return (
        f"demo_generate db={connection.vendor} persons={report.persons} households={report.households} "
        f"deceased={report.deceased} seconds={seconds:.1f} persons_per_s={report.persons / seconds:.0f} "
        f"rows_per_s={rows / seconds:.0f} peak_rss_mb={peak_rss_mb():.0f} baseline_rss_mb={baseline:.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark of the demo population generator.")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--prepare", action="store_true", help="only load the administrative units")
    args = parser.parse_args()
    django_setup()
    print(units_prepare() if args.prepare else _run(args.persons, args.seed), flush=True)


if __name__ == "__main__":
    main()
