"""`dean06 demo --persons N --seed S [--replace | --keep-existing] [--no-accounts] [--sector-files DIR]`: the demo
province, its agencies and accounts.

On a database that already has persons the command refuses, unless told to `--replace` them (delete and
regenerate) or to `--keep-existing` (generate nothing, only reset and print the demo accounts: what
`bin/serve` does on every start). `--sector-files DIR` also writes a small welfare list (XLSX) and insurance list
(CSV) typed the way offices type them, from persons in the database, to upload on the cleansing page
(`dean06.demo.sector_files`; each with a `.truth.parquet` saying what every row should come out as)."""

from __future__ import annotations

import time
from argparse import ArgumentParser, ArgumentTypeError
from pathlib import Path
from random import Random
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from dean06.core.models import User
from dean06.core.roles import Role
from dean06.demo.accounts import DEMO_PASSWORD, DemoAccount, demo_accounts_create, demo_totp_secret
from dean06.demo.loading import (
    LoadReport,
    PopulationExistsError,
    geography_load,
    population_exists,
    population_load,
)
from dean06.demo.population import ALIVE, DECEASED, population_generate
from dean06.demo.sector_files import Kind, Resident, address_spots, residents, sector_file_write
from dean06.identity.staff_auth.selectors import totp_enrolled
from dean06.registry.models import AdministrativeUnit, Person
from dean06.registry.models.units import Era
from dean06.registry.units.loader import units_load

DEFAULT_PERSONS = 20_000
DEFAULT_SEED = 6  # Đề án 06
SECTOR_FILE_ROWS = 300
SECTOR_FILES: tuple[tuple[Kind, str], ...] = (("welfare", "ds-bao-tro-xa-hoi.xlsx"), ("insurance", "ds-bhyt.csv"))


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
        parser.add_argument(
            "--sector-files",
            type=Path,
            metavar="DIR",
            help="ghi danh sách bảo trợ xã hội (XLSX) và BHYT (CSV) mẫu để làm sạch / write sample sector lists to DIR",
        )

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
        if options["sector_files"] is not None:
            self._write_sector_files(options["sector_files"], options["seed"])

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

    def _write_sector_files(self, directory: Path, seed: int) -> None:
        registered, absent = _sector_residents(seed)
        if len(registered) < SECTOR_FILE_ROWS:
            raise CommandError(
                f"Cần ít nhất {SECTOR_FILE_ROWS} công dân để tạo tệp mẫu / at least {SECTOR_FILE_ROWS} persons needed"
            )
        directory.mkdir(parents=True, exist_ok=True)
        self.stdout.write("\nTệp mẫu để làm sạch dữ liệu / sample files for cleansing:")
        for offset, (kind, name) in enumerate(SECTOR_FILES):
            written = sector_file_write(
                directory / name,
                registered,
                absent,
                kind=kind,
                rows=SECTOR_FILE_ROWS,
                seed=seed + offset,
                deceased_share=0.03,  # a few deceased persons, so the demo shows that class
            )
            self.stdout.write(
                f"  {written.path}  ({_number(written.rows)} dòng / rows; đáp án / truth: {written.truth_path.name})"
            )


def _resident(person: Person) -> Resident:
    street, hamlet = address_spots(person.address)
    old = person.legacy_commune
    assert old is not None and old.parent is not None and old.parent.parent is not None  # filtered below
    return Resident(
        person_id=person.pk,
        personal_id=person.personal_id,
        old_id=person.old_id,
        full_name=person.full_name,
        date_of_birth=person.date_of_birth,
        gender=person.gender,
        deceased=person.status == DECEASED,
        phone=person.phone,
        street=street,
        hamlet=hamlet,
        commune=person.commune.name,
        province=person.commune.parent.name if person.commune.parent else "",
        old_commune=old.name,
        old_district=old.parent.name,
        old_province=old.parent.parent.name,
    )


def _sector_residents(seed: int, sample: int = 2 * SECTOR_FILE_ROWS) -> tuple[list[Resident], list[Resident]]:
    """Persons of the database (a sample of the living, and the first 50 deceased) and people it does not hold."""
    rng = Random(seed)  # demo data, not secrets
    persons = Person.objects.filter(legacy_commune__isnull=False).select_related(
        "commune__parent", "legacy_commune__parent__parent"
    )
    pks = list(persons.filter(status=ALIVE).order_by("pk").values_list("pk", flat=True))
    chosen = rng.sample(pks, min(sample, len(pks)))
    picked = list(persons.filter(pk__in=chosen)) + list(persons.filter(status=DECEASED).order_by("pk")[:50])
    registered = [_resident(p) for p in sorted(picked, key=lambda p: p.pk)]
    geography = geography_load()
    # Generated with another seed: people the registry does not know (any ID it happens to hold is dropped).
    strangers = list(residents(population_generate(geography, persons=50, seed=seed + 1000), geography, first_id=None))
    known = set(
        Person.objects.filter(personal_id__in=[s.personal_id for s in strangers]).values_list("personal_id", flat=True)
    )
    return registered, [s for s in strangers if s.personal_id not in known]
