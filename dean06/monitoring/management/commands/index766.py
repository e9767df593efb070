"""`dean06 index766 --unit CODE --period 2026-10 [--period-type month|quarter|year] [--agency NAME] [--json]`: the
Decision 766 index of a 2025 commune or the province for a month, quarter or year, of one deciding agency if
given."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dean06.core.cli import argv_text, utf8_stdout, write_json
from dean06.monitoring.cli import for_unit_and_period
from dean06.monitoring.index766 import Index766, PeriodType, UnknownAgencyError, index766_for
from dean06.public_services.selectors import index_agencies


def _figure(value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, int) else f"{value:.2f}"


class Command(BaseCommand):
    help = (
        "Chỉ số phục vụ người dân, doanh nghiệp theo Quyết định 766/QĐ-TTg của một xã hoặc của tỉnh "
        "(the Decision 766 index of a commune or the province) for a month, quarter or year."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--unit", required=True, help="mã xã hoặc tỉnh (2025) / commune or province code")
        parser.add_argument("--period", required=True, help='"2026-10", "2026-Q4" hoặc / or "2026"')
        parser.add_argument("--period-type", choices=[t.value for t in PeriodType], default=None)
        parser.add_argument(
            "--agency",
            default="",
            help='cơ quan giải quyết / deciding agency, as in the catalogue ("Công an xã/phường")',
        )
        parser.add_argument("--json", action="store_true", help="in JSON / print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        utf8_stdout()
        unit, period = argv_text(options["unit"]).strip(), argv_text(options["period"])
        agency = argv_text(options["agency"]).strip()
        try:
            index = for_unit_and_period(
                lambda u, p, t: index766_for(unit_code=u, period=p, period_type=t, agency=agency),
                unit,
                period,
                options["period_type"],
            )
        except UnknownAgencyError as error:
            known = "; ".join(index_agencies())
            raise CommandError(
                f"Không có cơ quan “{agency}” trong danh mục thủ tục / unknown agency. Có / known: {known}",
                returncode=2,
            ) from error
        if options["json"]:
            write_json(self.stdout, index.as_json())
            return
        self._print(index)

    def _print(self, index: Index766) -> None:
        agency = f" — {index.agency}" if index.agency else ""
        self.stdout.write(f"Chỉ số QĐ 766 — {index.unit_name} ({index.unit_code}){agency}, kỳ {index.period.label}")
        self.stdout.write(f"Tổng điểm: {index.total:.2f} / 100 (chỉ tính các chỉ tiêu tính được)")
        for group in index.groups:
            self.stdout.write("")
            self.stdout.write(f"{group.name}: {_figure(group.score)} / {_figure(group.maximum)}")
            for item in group.indicators:
                figures = f"{_figure(item.numerator)}/{_figure(item.denominator)}"
                score = "chưa tính được" if item.score is None else f"{item.score:.2f}"
                maximum = "theo dõi" if item.maximum is None else _figure(item.maximum)
                self.stdout.write(f"  {item.code:<36} {figures:>11}  {score:>14} / {maximum:<8} {item.name}")
