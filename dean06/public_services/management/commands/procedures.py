"""`dean06 procedures load [--file PATH] | check [--file PATH]`: the procedure catalogue (thủ tục hành chính)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dean06.core.cli import argv_text, utf8_stdout
from dean06.public_services.services.catalogue import (
    DEFAULT_PATH,
    CatalogueInvalidError,
    LoadReport,
    catalogue_read,
    procedures_load,
)


def _codes(codes: list[str]) -> str:
    return f" ({', '.join(codes)})" if codes else ""


class Command(BaseCommand):
    help = (
        "Danh mục thủ tục hành chính / procedure catalogue. load: kiểm tra rồi nạp, cập nhật theo mã thủ tục "
        "(validate, then upsert by code); check: chỉ kiểm tra tệp, không ghi CSDL (validate only)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("load", "Validate the catalogue and upsert every procedure by code, in one transaction."),
            ("check", "Validate the catalogue without writing to the database."),
        ):
            action = actions.add_parser(name, help=text)
            action.add_argument(
                "--file",
                default=None,
                help=f"tệp JSON hoặc thư mục các tệp JSON / a JSON file or a folder of them (default {DEFAULT_PATH})",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        utf8_stdout()
        path = Path(argv_text(options["file"])) if options["file"] else None
        try:
            if options["action"] == "check":
                procedures = catalogue_read(path)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Hợp lệ / valid: {len(procedures)} thủ tục / procedures ({path or DEFAULT_PATH})"
                    )
                )
                return
            report = procedures_load(path)
        except CatalogueInvalidError as error:
            raise CommandError(
                "Danh mục thủ tục không hợp lệ, chưa ghi gì / invalid catalogue, nothing written:\n  "
                + "\n  ".join(error.errors)
            ) from error
        self._print(report)

    def _print(self, report: LoadReport) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp / loaded {report.total} thủ tục / procedures từ / from {report.path}: "
                f"thêm mới / created {len(report.created)}{_codes(report.created)}, "
                f"cập nhật / updated {len(report.updated)}{_codes(report.updated)}, "
                f"không đổi / unchanged {len(report.unchanged)}."
            )
        )
        if report.not_in_catalogue:
            self.stdout.write(
                self.style.WARNING(
                    "Có trong CSDL nhưng không có trong danh mục (giữ nguyên) / in the database, not in the file "
                    f"(kept): {', '.join(report.not_in_catalogue)}"
                )
            )
