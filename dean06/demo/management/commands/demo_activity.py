"""`dean06 demo-activity [--months 6] [--seed 6]`: months of activity on the demo province (dean06.demo.activity):
e-ID logins, dossiers, ratings, petitions, cleansing runs and monthly reports, so that the KPIs, the Decision 766
index and the dashboards show real values. Run after `dean06 demo`; a second run adds nothing."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dean06.demo.activity import REPORT_COMMUNES, activity_generate
from dean06.demo.management.commands.demo import DEFAULT_SEED, _positive
from dean06.demo.population import ALIVE
from dean06.registry.models import Person

DEFAULT_MONTHS = 6


class Command(BaseCommand):
    help = (
        "Tạo hoạt động mẫu nhiều tháng cho tỉnh mẫu (hồ sơ, đăng nhập VNeID, làm sạch dữ liệu, báo cáo tháng). "
        "Generates months of demo activity so that KPIs and the Decision 766 index show real values."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--months", type=_positive, default=DEFAULT_MONTHS, help="số tháng / months")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="hạt giống ngẫu nhiên / random seed")
        parser.add_argument(
            "--report-communes",
            type=int,
            default=REPORT_COMMUNES,
            help="số xã gửi báo cáo tháng, 0 = tất cả (chậm) / communes sending monthly reports, 0 = all (slow)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not Person.objects.filter(status=ALIVE).exists():
            raise CommandError(
                "Chưa có dân cư mẫu: chạy `dean06 demo` trước / no demo persons: run `dean06 demo` first"
            )
        try:
            report = activity_generate(
                months=options["months"],
                seed=options["seed"],
                report_communes=options["report_communes"],
                progress=self.stdout.write,
            )
        except LookupError as error:
            raise CommandError(str(error)) from error
        if report.skipped:
            self.stdout.write("Đã có hoạt động mẫu, không tạo thêm / demo activity already there, nothing added")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong / Done: {report.dossiers} hồ sơ / dossiers, {report.logins} lượt đăng nhập / logins, "
                f"{report.cleansing_runs} lượt làm sạch / cleansing runs, {report.reports} báo cáo / reports, "
                f"{report.seconds:.1f} giây / seconds."
            )
        )
