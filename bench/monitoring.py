"""Benchmark of the monitoring pages and commands against the demo province in DATABASE_URL.

    python bench/monitoring.py --activity --seed 6    # `dean06 demo_activity`, timed (own process); one line
    python bench/monitoring.py [--runs 5] [--command-runs 3]    # pages and commands; a Markdown table

The database must hold what `bin/serve` loads: units, procedures, plans, `demo --persons 20000 --seed 6`, then
`demo_activity --seed 6` (`make bench-monitoring` does it all). Pages are fetched with the Django test client,
signed in as the working group (`tocongtac`) and a commune officer (`motcua.longduc`): the first request of each
page is shown apart, then `--runs` warm ones (median, max) with their SQL query count. The peak RSS of a page is
the process's so far (pages run in table order). Each command runs `--command-runs` times in a new process
(`python -m dean06 …`, start-up included), with that process's own peak RSS. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from benchlib import django_setup, peak_rss_mb

ROOT = Path(__file__).resolve().parent.parent
PROVINCE, COMMUNE = "86", "29263"  # Vĩnh Long; Long Đức, the demo officer's commune
WORKING_GROUP, OFFICER = "tocongtac", "motcua.longduc"  # dean06.demo.accounts


@dataclass(frozen=True)
class Row:
    who: str
    what: str
    first: float
    times: list[float]
    queries: int | None
    rss_mb: float

    def cells(self) -> list[str]:
        queries = "" if self.queries is None else str(self.queries)
        median, most = statistics.median(self.times), max(self.times)
        return [self.who, self.what, f"{self.first:.2f} s", f"{median:.2f} s", f"{most:.2f} s", queries,
                f"{self.rss_mb:.0f} MB"]  # fmt: skip


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _activity(seed: int) -> str:
    from django.core.management import call_command
    from django.db import connection

    baseline = peak_rss_mb()
    with open(os.devnull, "w") as quiet:
        seconds = _timed(lambda: call_command("demo_activity", seed=seed, stdout=quiet))
    return (
        f"monitoring_activity db={connection.vendor} seed={seed} seconds={seconds:.1f} "
        f"peak_rss_mb={peak_rss_mb():.0f} baseline_rss_mb={baseline:.0f}"
    )


@dataclass(frozen=True)
class Periods:
    """This quarter (the 766 page and command), this month (a report not yet submitted) and last month (the
    report due now: the roll-up)."""

    quarter: str
    month: str
    last_month: str

    @classmethod
    def of(cls, today: date) -> Periods:
        from dean06.monitoring.reports import previous_period

        quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
        return cls(quarter, today.strftime("%Y-%m"), previous_period(today))


def _pages(periods: Periods, plan_id: int) -> list[tuple[str, str, str]]:
    """(account, label, URL) in the order measured."""
    quarter, month, last_month = periods.quarter, periods.month, periods.last_month
    rollup = f"/theo-doi/bao-cao-tong-hop/?plan={plan_id}&period={last_month}"
    return [
        (WORKING_GROUP, "province dashboard `/theo-doi/`", "/theo-doi/"),
        (WORKING_GROUP, f"commune dashboard `/theo-doi/don-vi/{COMMUNE}/`", f"/theo-doi/don-vi/{COMMUNE}/"),
        (WORKING_GROUP, f"766 page, province, {quarter}, ranking",
         f"/theo-doi/chi-so-766/?unit={PROVINCE}&period_type=quarter&period={quarter}"),
        (WORKING_GROUP, "report list `/theo-doi/bao-cao/`", "/theo-doi/bao-cao/"),
        (WORKING_GROUP, f"roll-up preview, {last_month}", rollup),
        (WORKING_GROUP, "roll-up DOCX", f"{rollup}&format=docx"),
        (WORKING_GROUP, "roll-up XLSX", f"{rollup}&format=xlsx"),
        (WORKING_GROUP, "roll-up PDF", f"{rollup}&format=pdf"),
        (OFFICER, "own dashboard `/theo-doi/`", "/theo-doi/"),
        (OFFICER, "report list `/theo-doi/bao-cao/`", "/theo-doi/bao-cao/"),
        (OFFICER, f"report form, {month} (KPIs prefilled)",
         f"/theo-doi/bao-cao/lap/?unit={COMMUNE}&plan={plan_id}&period={month}"),
    ]  # fmt: skip


def _page_rows(runs: int, periods: Periods, plan_id: int) -> list[Row]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dean06.core.models import User
    from dean06.testing.auth import login

    clients: dict[str, Client] = {}
    for username in (WORKING_GROUP, OFFICER):
        clients[username] = login(Client(HTTP_HOST="localhost"), User.objects.get(username=username))
    rows = []
    for who, label, url in _pages(periods, plan_id):
        client = clients[who]

        def fetch(client: Client = client, who: str = who, url: str = url) -> None:
            response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"{who} {url}: HTTP {response.status_code}")

        first = _timed(fetch)
        times, queries = [], 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                times.append(_timed(fetch))
            queries = len(captured.captured_queries)
        rows.append(Row(who, label, first, times, queries, peak_rss_mb()))
    return rows


def _command(argv: list[str], rss_file: Path) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of `python -m dean06 ARGV` in a new process. GNU time reports the RSS: a child
    forked straight from this process would start its ru_maxrss at this process's size (Linux keeps it over exec)."""
    timed = ["/usr/bin/time", "-f", "%M", "-o", str(rss_file), sys.executable, "-m", "dean06", *argv]
    started = time.perf_counter()
    done = subprocess.run(timed, cwd=ROOT, stdout=subprocess.DEVNULL, check=False)  # noqa: S603  # fixed argv
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"dean06 {' '.join(argv)}: exit {done.returncode}")
    return seconds, int(rss_file.read_text().split()[-1]) / 1024  # KiB


def _command_rows(runs: int, periods: Periods, plan_code: str, scratch: Path) -> list[Row]:
    output, rss_file = scratch / "rollup.pdf", scratch / "rss"
    commands = [
        ["check"],  # start-up, the URL configuration and the system checks, which every command below pays first
        ["kpis", "--unit", PROVINCE],
        ["index766", "--unit", PROVINCE, "--period", periods.quarter, "--json"],
        ["rollup", "--plan", plan_code, "--period", periods.last_month, "--format", "pdf", "--output", str(output)],
    ]
    rows = []
    for argv in commands:
        first, first_rss = _command(argv, rss_file)
        measured = [_command(argv, rss_file) for _ in range(runs)]
        label = f"`dean06 {' '.join(argv[:-2] if argv[0] == 'rollup' else argv)}`"
        rss = max([first_rss, *(r for _s, r in measured)])
        rows.append(Row("command", label, first, [s for s, _r in measured], None, rss))
    return rows


def _table(rows: list[Row]) -> str:
    header = ["account", "page or command", "first", "median", "max", "queries", "peak RSS"]
    lines = ["| " + " | ".join(header) + " |", "|---|---|---:|---:|---:|---:|---:|"]
    return "\n".join([*lines, *("| " + " | ".join(row.cells()) + " |" for row in rows)])


def _run(runs: int, command_runs: int) -> str:
    from django.db import connection
    from django.utils import timezone

    from dean06.monitoring.models import Plan

    plan = Plan.objects.order_by("pk").first()
    if plan is None:
        sys.exit("no plan: load the demo province first (make bench-monitoring)")
    today = timezone.localdate()
    baseline = peak_rss_mb()
    with tempfile.TemporaryDirectory() as scratch:
        periods = Periods.of(today)
        rows = _page_rows(runs, periods, plan.pk)
        rows += _command_rows(command_runs, periods, plan.code, Path(scratch))
    head = (
        f"monitoring db={connection.vendor} day={today.isoformat()} page_runs={runs} command_runs={command_runs} "
        f"baseline_rss_mb={baseline:.0f}"
    )
    return f"{head}\n{_table(rows)}"


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark of the monitoring pages and commands.")
    parser.add_argument("--activity", action="store_true", help="only run and time `dean06 demo_activity`")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5, help="warm runs of each page")
    parser.add_argument("--command-runs", type=int, default=3, help="runs of each command, each a new process")
    args = parser.parse_args()
    django_setup()
    print(_activity(args.seed) if args.activity else _run(args.runs, args.command_runs), flush=True)


if __name__ == "__main__":
    main()
