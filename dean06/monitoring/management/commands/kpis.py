"""`dean06 kpis --unit CODE [--period 2026-11] [--period-type month|quarter|year] [--json]`: the live KPIs of
Đề án 06 for a 2025 commune or the province (default period: the current month)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from dean06.core.cli import argv_text, utf8_stdout, write_json
from dean06.monitoring.cli import for_unit_and_period
from dean06.monitoring.index766 import PeriodType
from dean06.monitoring.kpis import KpiSet, kpis_for


class Command(BaseCommand):
    help = (
        "Chỉ tiêu Đề án 06 tính từ dữ liệu nền tảng của một xã hoặc của tỉnh "
        "(the live Project 06 KPIs of a commune or the province) for a month, quarter or year."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--unit", required=True, help="mã xã hoặc tỉnh (2025) / commune or province code")
        parser.add_argument("--period", default=None, help='"2026-11", "2026-Q4" hoặc / or "2026" (mặc định tháng này)')
        parser.add_argument("--period-type", choices=[t.value for t in PeriodType], default=None)
        parser.add_argument("--json", action="store_true", help="in JSON / print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        utf8_stdout()
        unit = argv_text(options["unit"]).strip()
        period = argv_text(options["period"]) if options["period"] else timezone.localdate().strftime("%Y-%m")
        kpis = for_unit_and_period(kpis_for, unit, period, options["period_type"])
        if options["json"]:
            write_json(self.stdout, kpis.as_json())
            return
        self._print(kpis)

    def _print(self, kpis: KpiSet) -> None:
        self.stdout.write(f"Chỉ tiêu Đề án 06 — {kpis.unit_name} ({kpis.unit_code}), kỳ {kpis.period.label}")
        for kpi in kpis.kpis:
            figures = "—" if kpi.numerator is None and kpi.denominator is None else f"{kpi.numerator}/{kpi.denominator}"
            if kpi.numerator is None and kpi.denominator is not None:
                figures = f"—/{kpi.denominator}"
            value = "chưa có dữ liệu" if kpi.value is None else f"{'≥ ' if kpi.lower_bound else ''}{kpi.value:.2f} %"
            code = f"{kpi.code}[{kpi.sector}]" if kpi.sector else kpi.code
            self.stdout.write(f"  {code:<30} {figures:>13}  {value:>16}  {kpi.name}")
            if kpi.reason:
                self.stdout.write(f"  {'':<30} {'':>13}  {'':>16}  ({kpi.reason})")
