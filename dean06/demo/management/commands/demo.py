"""`dean06 demo --persons N --seed S [--replace | --keep-existing] [--no-accounts]`: the demo province, its
agencies and accounts.

On a database that already has persons the command refuses, unless told to `--replace` them (delete and
regenerate) or to `--keep-existing` (generate nothing, only reset and print the demo accounts: what
`bin/serve` does on every start)."""

from __future__ import annotations

import time
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from dean06.core.models import User
from dean06.core.roles import Role
from dean06.demo.accounts import DEMO_PASSWORD, DemoAccount, demo_accounts_create, demo_totp_secret
from dean06.demo.loading import LoadReport, PopulationExistsError, population_exists, population_load
from dean06.identity.staff_auth.selectors import totp_enrolled
from dean06.registry.models import AdministrativeUnit
from dean06.registry.models.units import Era
from dean06.registry.units.loader import units_load

DEFAULT_PERSONS = 20_000
DEFAULT_SEED = 6  # Đề án 06


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ArgumentTypeError("phải lớn hơn 0 / must be at least 1")
    return number


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


class Command(BaseCommand):
    help = (
        "Tạo dân cư mẫu cho tỉnh Vĩnh Long mới (có các xã của Trà Vinh cũ), cơ quan và tài khoản mẫu. "
        "Creates a deterministic synthetic population, demo agencies and demo accounts."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--persons", type=_positive, default=DEFAULT_PERSONS, help="số công dân / persons")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="hạt giống ngẫu nhiên / random seed")
        existing = parser.add_mutually_exclusive_group()
        existing.add_argument(
            "--replace", action="store_true", help="xóa mọi công dân, hộ hiện có / delete existing persons first"
        )
        existing.add_argument(
            "--keep-existing", action="store_true", help="đã có dân cư thì giữ nguyên / keep persons already there"
        )
        parser.add_argument("--no-accounts", action="store_true", help="không tạo tài khoản mẫu / skip accounts")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        self._ensure_units()
        report = None
        if options["keep_existing"] and population_exists():
            self.stdout.write("Giữ nguyên dân cư đã có / keeping the existing population")
        else:
            report = self._load(options["persons"], options["seed"], options["replace"])
        if not options["no_accounts"]:
            self._print_accounts(demo_accounts_create())
        if report is not None:
            self._print_summary(report, time.monotonic() - started)

    def _ensure_units(self) -> None:
        if not AdministrativeUnit.objects.exists():
            self.stdout.write("Nạp danh mục đơn vị hành chính / loading administrative units…")
            units_load()

    def _load(self, persons: int, seed: int, replace: bool) -> LoadReport:
        self.stdout.write(f"Đang tạo {_number(persons)} công dân (seed {seed}) / generating persons…")
        step = max(persons // 10, 1)  # about ten progress lines whatever N is
        shown = 0

        def progress(written: int) -> None:
            nonlocal shown
            if written - shown >= step:
                shown = written
                self.stdout.write(f"  {_number(written)} / {_number(persons)} ({100 * written // persons}%)")

        try:
            return population_load(persons=persons, seed=seed, replace=replace, progress=progress)
        except PopulationExistsError as error:
            raise CommandError(str(error)) from error
        except IntegrityError as error:  # with --replace: other records still point at the persons
            raise CommandError(f"Không ghi được dữ liệu mẫu / the demo data could not be written: {error}") from error

    def _print_accounts(self, accounts: list[tuple[DemoAccount, User]]) -> None:
        units = {
            u.code: u.name
            for u in AdministrativeUnit.objects.filter(era=Era.Y2025, code__in=[a.unit_code for a, _ in accounts])
        }
        rows = [("Tên đăng nhập", "Mật khẩu", "Khóa TOTP (xác thực 2 bước)", "Vai trò", "Đơn vị / cơ quan")]
        for account, user in accounts:
            role = str(Role(account.role).label) if account.role else str(User.Kind.CITIZEN.label)
            where = user.organisation.name if user.organisation else f"{units[account.unit_code]} — {user.full_name}"
            # Printed only when demo_accounts_create enrolled it (SANDBOX); otherwise the officer enrols a phone.
            secret = demo_totp_secret(account.username) if settings.DEAN06_SANDBOX and totp_enrolled(user) else "—"
            rows.append((account.username, DEMO_PASSWORD, secret, role, where))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]  # the last column runs free
        self.stdout.write("\nTài khoản mẫu / Demo accounts")
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
            self.stdout.write("  " + "  ".join([*cells, row[-1]]))
        if settings.DEAN06_SANDBOX:
            self.stdout.write(
                "\nSANDBOX: trang xác thực 2 bước hiển thị sẵn mã hiện tại, hoặc thêm khóa TOTP vào ứng dụng.\n"
                "SANDBOX: the 2FA page shows the current code; or add the TOTP key to an authenticator app."
            )

    def _print_summary(self, report: LoadReport, seconds: float) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"\nXong / Done: {_number(report.persons)} công dân / persons, {_number(report.households)} hộ / "
                f"households, {_number(report.deceased)} đã chết / deceased, {seconds:.1f} giây / seconds."
            )
        )
        if report.unlinked_accounts:
            self.stdout.write(
                f"{report.unlinked_accounts} tài khoản công dân đã bị gỡ liên kết / citizen accounts unlinked."
            )
