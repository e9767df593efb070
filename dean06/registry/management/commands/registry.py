"""`dean06 registry load FILE.csv [--unit-era pre2025|2025] [--rejects PATH]`: import persons from a CSV file."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dean06.registry.imports import HEADER, ImportFileError, ImportReport, persons_import
from dean06.registry.models.units import Era


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


class Command(BaseCommand):
    help = (
        "Dữ liệu dân cư / population registry. load FILE.csv: nạp, cập nhật công dân theo số định danh từ tệp CSV "
        "UTF-8 / upsert persons by personal ID from a UTF-8 CSV file."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("load", help=f"CSV header: {','.join(HEADER)}")
        load.add_argument("file", type=Path)
        load.add_argument(
            "--unit-era",
            choices=Era.values,
            default=Era.Y2025,
            help="danh mục của commune_code / list the commune codes come from (default 2025)",
        )
        load.add_argument(
            "--rejects",
            type=Path,
            default=None,
            help="tệp CSV các dòng bị loại / CSV of rejected rows (default: FILE.rejects.csv next to FILE)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không có tệp / no such file: {path}")
        started = time.monotonic()
        try:
            report = persons_import(
                path, unit_era=options["unit_era"], rejects_path=options["rejects"], progress=self._progress
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        self._print(report, time.monotonic() - started)

    def _progress(self, read: int) -> None:
        self.stdout.write(f"  {_number(read)} dòng / rows…")

    def _print(self, report: ImportReport, seconds: float) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong / Done in {seconds:.1f} s: đọc / read {_number(report.read)}, thêm mới / inserted "
                f"{_number(report.inserted)}, cập nhật / updated {_number(report.updated)}, không đổi / unchanged "
                f"{_number(report.unchanged)}, loại / rejected {_number(report.rejected)}."
            )
        )
        if not report.rejected:
            return
        self.stdout.write(self.style.WARNING(f"Các dòng bị loại / rejected rows: {report.rejects_path}"))
        for rejection in report.first_rejections:
            self.stdout.write(
                f"  dòng / line {rejection.line}: {rejection.reason_vi} / {rejection.reason_en}"
                + (f" [{rejection.personal_id}]" if rejection.personal_id else "")
            )
        if report.rejected > len(report.first_rejections):
            self.stdout.write(f"  … +{_number(report.rejected - len(report.first_rejections))}")
