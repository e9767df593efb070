"""`dean06 report-notices [--today 2026-11-16] [--dry-run]`: send the monthly reports' reminders, overdue notices
and the working group's late summaries due today, and print them (with --dry-run, only print what would be sent).
Meant to be run once a day by cron or a systemd timer (docs/operations.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dean06.core.cli import utf8_stdout
from dean06.monitoring.notices import report_notices_send


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            f"Ngày không hợp lệ / malformed date “{text}”: dùng / use 2026-11-16", returncode=2
        ) from error


class Command(BaseCommand):
    help = (
        "Gửi thông báo nhắc hạn, quá hạn báo cáo tháng Đề án 06 và danh sách đơn vị chậm báo cáo "
        "(send the monthly reports' reminders, overdue notices and late summaries due today)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--today", default=None, help="ngày chạy / the day to run as, 2026-11-16")
        parser.add_argument("--dry-run", action="store_true", help="chỉ in, không gửi / print only, send nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        utf8_stdout()
        today = _day(options["today"]) if options["today"] else None
        dry_run = options["dry_run"]
        notices = report_notices_send(today=today, dry_run=dry_run)
        verb = "Sẽ gửi / would send" if dry_run else "Đã gửi / sent"
        for notice in notices:
            self.stdout.write(
                f"{verb} [{notice.kind}] {notice.plan.code} {notice.period} {notice.unit.name} "
                f"→ {len(notice.recipients)} người nhận / recipients: {notice.body}"
            )
        self.stdout.write(f"{len(notices)} thông báo / notices{' (dry run)' if dry_run else ''}")
