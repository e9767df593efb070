"""`dean06 plans load [--file PATH] | check [--file PATH]`: the province's Đề án 06 plan (kế hoạch, nhiệm vụ)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dean06.core.cli import argv_text, utf8_stdout
from dean06.core.errors import ApplicationError
from dean06.monitoring.seed import SEED_PATH, plan_read
from dean06.monitoring.services import PlanLoadReport, plan_seed_load


class Command(BaseCommand):
    help = (
        "Kế hoạch triển khai Đề án 06 / the province plan. load: nạp kế hoạch mẫu, cập nhật theo mã nhiệm vụ "
        "(upsert by task code, attached to the home province); check: chỉ đọc tệp, không ghi CSDL (parse only)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("load", "Parse the plan document and upsert its groups and tasks, in one transaction."),
            ("check", "Parse the plan document and print its tasks without writing to the database."),
        ):
            action = actions.add_parser(name, help=text)
            action.add_argument(
                "--file", default=None, help=f"tệp kế hoạch (văn bản) / the plan as text (default {SEED_PATH.name})"
            )

    def handle(self, *args: Any, **options: Any) -> None:
        utf8_stdout()
        path = Path(argv_text(options["file"])) if options["file"] else None
        if path is not None and not path.is_file():
            raise CommandError(f"Không tìm thấy tệp / no such file: {path}")
        if options["action"] == "check":
            plan = plan_read(path)
            for task in plan.tasks:
                self.stdout.write(f"{task.code:<12} {task.lead or '—'} · {task.deadline_text or '—'}")
            self.stdout.write(
                self.style.SUCCESS(f"{plan.code}: {len(plan.groups)} nhóm / groups, {len(plan.tasks)} nhiệm vụ / tasks")
            )
            return
        try:
            report = plan_seed_load(path=path)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self._print(report)

    def _print(self, report: PlanLoadReport) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp / loaded {report.plan} ({report.path.name}): {report.groups} nhóm / groups, "
                f"{report.total} nhiệm vụ / tasks — thêm mới / created {len(report.created)}, "
                f"cập nhật / updated {len(report.updated)}, không đổi / unchanged {len(report.unchanged)}."
            )
        )
        if report.not_in_seed:
            self.stdout.write(
                self.style.WARNING(
                    "Có trong CSDL nhưng không có trong tệp (giữ nguyên) / in the database, not in the file (kept): "
                    + ", ".join(report.not_in_seed)
                )
            )
