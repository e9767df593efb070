"""`dean06 rollup --plan CODE --period 2026-10 --format docx|xlsx|pdf --output FILE`: the provincial roll-up report
of a plan for a month, written to a file (an audited export, by the system actor)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dean06.core.cli import argv_text, utf8_stdout
from dean06.monitoring.rollup.data import RollupPeriodError, rollup_build, rollup_plan_get
from dean06.monitoring.rollup.exports import FORMATS, rollup_export


class Command(BaseCommand):
    help = (
        "Báo cáo tổng hợp tháng của tỉnh về Đề án 06 (the provincial roll-up report of a plan for a month) "
        "as DOCX, XLSX or PDF."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--plan", required=True, help="mã kế hoạch / plan code")
        parser.add_argument("--period", required=True, help='tháng / month "2026-10"')
        parser.add_argument("--format", required=True, choices=list(FORMATS), help="định dạng / format")
        parser.add_argument("--output", required=True, help="tệp ghi ra / output file")

    def handle(self, *args: Any, **options: Any) -> None:
        utf8_stdout()
        code, period = argv_text(options["plan"]).strip(), argv_text(options["period"]).strip()
        output = Path(argv_text(options["output"]))
        if not output.parent.is_dir():
            raise CommandError(f"Không có thư mục / no such directory: {output.parent}", returncode=2)
        plan = rollup_plan_get(code)
        if plan is None:
            raise CommandError(f"Không có kế hoạch mã {code} / unknown plan {code}", returncode=2)
        try:
            rollup = rollup_build(actor=None, plan=plan, period=period)
        except RollupPeriodError as error:
            raise CommandError(
                f"Kỳ không hợp lệ / malformed period “{period}”: dùng / use YYYY-MM, ví dụ / e.g. 2026-10", returncode=2
            ) from error
        output.write_bytes(rollup_export(actor=None, plan=plan, rollup=rollup, extension=options["format"]))
        self.stdout.write(self.style.SUCCESS(f"Đã ghi / written {output} ({rollup.subject})"))
