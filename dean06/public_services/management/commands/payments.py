"""`dean06 payments reconcile [--since dd/mm/yyyy] [--until dd/mm/yyyy] [--stale-minutes N] [--json]`.

Reconciles the fee payments created from the start of `--since` to the end of `--until` (both default to today,
in Vietnam's time): counts and sums per status, pending payments older than N minutes, and discrepancies between
payments and dossiers (docs/payments.md). Exit 0 when balanced, 1 when something needs looking into.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser, ArgumentTypeError
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dean06.core.cli import utf8_stdout, write_json
from dean06.public_services.choices import PaymentStatus
from dean06.public_services.services.payments import STALE_AFTER, ReconcileReport, fee_payment_reconcile

STATUS_LABELS = {
    PaymentStatus.PAID: "Đã thanh toán",
    PaymentStatus.PENDING: "Chờ thanh toán",
    PaymentStatus.FAILED: "Không thành công",
}


def _day(text: str) -> date:
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()  # noqa: DTZ007  (a calendar day, no time)
    except ValueError as error:
        raise ArgumentTypeError(f"“{text}”: cần ngày dạng dd/mm/yyyy / expected dd/mm/yyyy") from error


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def _listing(label: str, items: list[str]) -> str:
    return f"{label}: {', '.join(items) if items else 'không có'}"


class Command(BaseCommand):
    help = (
        "Fee payment tools. reconcile: counts and sums of paid, pending and failed payments created between "
        "--since and --until (dd/mm/yyyy, default today), stale pending payments, and payments and dossiers "
        "that disagree. Exit 1 when there is a discrepancy."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["reconcile"])
        parser.add_argument("--since", type=_day, default=None, help="first day, dd/mm/yyyy (default today)")
        parser.add_argument("--until", type=_day, default=None, help="last day, dd/mm/yyyy (default today)")
        parser.add_argument(
            "--stale-minutes",
            type=int,
            default=int(STALE_AFTER.total_seconds() // 60),
            help="a pending payment older than this is reported as stale",
        )
        parser.add_argument("--json", action="store_true", help="the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        first: date = options["since"] or today
        last: date = options["until"] or today
        if last < first:
            raise CommandError("--until trước --since / --until is before --since")
        zone = timezone.get_current_timezone()
        report = fee_payment_reconcile(
            since=datetime.combine(first, time.min, tzinfo=zone),
            until=datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
            stale_after=timedelta(minutes=options["stale_minutes"]),
        )
        if options["json"]:
            write_json(self.stdout, report.as_dict())
        else:
            utf8_stdout()
            self._print(report, first, last)
        if not report.balanced:
            sys.exit(1)

    def _print(self, report: ReconcileReport, first: date, last: date) -> None:
        self.stdout.write(f"Đối soát thanh toán phí, lệ phí từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}")
        for status, label in STATUS_LABELS.items():
            total = report.totals[status]
            self.stdout.write(f"  {label}: {total.count} khoản, {_vnd(total.amount_vnd)}")
        self.stdout.write(_listing(f"Chờ thanh toán quá {report.stale_after_minutes} phút", report.stale))
        self.stdout.write(_listing("Đã thanh toán trực tuyến nhưng hồ sơ chưa ghi nhận", report.paid_not_marked))
        self.stdout.write(
            _listing("Hồ sơ ghi đã nộp trực tuyến nhưng không có khoản thanh toán", report.marked_not_paid)
        )
        self.stdout.write(_listing("Hồ sơ có hơn một khoản đã thanh toán", report.paid_twice))
        self.stdout.write("Kết quả: khớp" if report.balanced else "Kết quả: có chênh lệch, cần kiểm tra")
