"""`dean06 audit verify`: check the hash chain; exit 1 naming the first broken entry."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from dean06.core.audit import audit_verify


class Command(BaseCommand):
    help = "Audit log tools. verify: check the hash chain and name the first broken entry."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if report.ok:
            self.stdout.write(
                f"OK: chuỗi nhật ký toàn vẹn, {report.checked} bản ghi / chain intact, {report.checked} entries"
            )
            return
        self.stdout.write(
            f"LỖI / BROKEN: bản ghi #{report.first_broken_seq} — {report.reason} "
            f"({report.checked} bản ghi trước đó hợp lệ / earlier entries valid)"
        )
        sys.exit(1)
