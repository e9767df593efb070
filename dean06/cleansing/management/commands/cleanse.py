"""`dean06 cleanse FILE --sector S --out RESULT.csv [--worklists DIR] [--cleaned FILE]`: classify every row of a
sector list against the registry.

RESULT.csv: `row,personal_id,class,confidence,reasons,fixes` (docs/cleansing.md). Exit 0 on success, 2 for a file
that cannot be read (the reason on stderr, in Vietnamese and English; no RESULT.csv is written). `--worklists DIR`:
one XLSX work list per commune for the field teams (dean06/cleansing/worklists.py). `--cleaned FILE`: the cleaned
dataset, XLSX or CSV by suffix (dean06/cleansing/exports.py).
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser, ArgumentTypeError
from pathlib import Path
from typing import Any

import polars as pl
from django.core.management.base import BaseCommand, CommandError

from dean06.cleansing.exports import cleaned_export
from dean06.cleansing.pipeline.errors import ReadError
from dean06.cleansing.pipeline.schema import Field
from dean06.cleansing.services import SECTORS, CleanseReport, cleanse_file
from dean06.core.cli import argv_text, utf8_stdout


def _mapping_argument(text: str) -> tuple[str, Field]:
    header, _, field = argv_text(text).rpartition("=")
    try:
        return header.strip(), Field(field.strip())
    except ValueError:
        pass
    fields = ", ".join(f.value for f in Field)
    raise ArgumentTypeError(
        f'“{text}”: cần dạng "Tiêu đề cột=trường" / expected "Header=field"; trường / fields: {fields}'
    )


class Command(BaseCommand):
    help = (
        "Classify every row of a sector list (CSV/XLSX) against the population registry; optionally write the "
        "field teams' work lists (--worklists DIR) and the cleaned dataset (--cleaned FILE.xlsx|FILE.csv)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--sector", required=True, choices=SECTORS)
        parser.add_argument("--sheet", default=None)
        parser.add_argument("--map", dest="mapping", action="append", type=_mapping_argument, default=[])
        parser.add_argument("--out", required=True, type=Path, help="RESULT.csv: one verdict per row")
        parser.add_argument("--worklists", default=None, type=Path, help="directory for one XLSX per commune")
        parser.add_argument(
            "--cleaned",
            default=None,
            type=Path,
            help="the cleaned dataset (the input with the registry's fixes, then the verdict): .xlsx, else CSV",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        utf8_stdout()
        path: Path = options["file"]
        if not path.is_file():
            self._unreadable(f"Không mở được tệp {path} / cannot open {path}")
        try:
            report = cleanse_file(
                actor=None,
                path=path,
                sector=options["sector"],
                out=options["out"],
                sheet=options["sheet"] and argv_text(options["sheet"]),
                mapping=dict(options["mapping"]) or None,
                worklists=options["worklists"],
            )
            cleaned_rows = self._cleaned(report, options["out"], options["cleaned"])
        except ReadError as error:
            self._unreadable(f"{error.message_vi} / {error.message_en}")
        except OSError as error:
            raise CommandError(f"Không ghi được kết quả / cannot write the result: {error}") from error
        counts = ", ".join(f"{name}: {count}" for name, count in report.summary.counts.items())
        self.stdout.write(
            f"{report.summary.rows} dòng / rows → {options['out']} ({counts}); "
            f"mã hóa / encoding: {report.read.encoding}; đối chiếu với / against {report.registry_persons} công dân"
        )
        if options["worklists"] is not None:
            self.stdout.write(
                f"Danh sách xác minh / work lists: {len(report.worklists)} tệp / files, "
                f"{report.worklist_rows} dòng / rows → {options['worklists']}"
            )
        if options["cleaned"] is not None:
            self.stdout.write(
                f"Dữ liệu đã làm sạch / cleaned dataset: {cleaned_rows} dòng / rows → {options['cleaned']}"
            )

    @staticmethod
    def _cleaned(report: CleanseReport, out: Path, cleaned: Path | None) -> int:
        """Write the cleaned dataset from the rows as read and the verdicts just written; the number of rows."""
        if cleaned is None or report.original is None:
            return 0
        # Text columns are enough: cleaned_rows casts the verdict columns it reads.
        verdicts = pl.read_parquet(out) if out.suffix == ".parquet" else pl.read_csv(out, infer_schema=False)
        return cleaned_export(report.original, verdicts, cleaned, report.read.columns)

    def _unreadable(self, message: str) -> None:
        sys.stderr.write(message + "\n")
        sys.exit(2)
