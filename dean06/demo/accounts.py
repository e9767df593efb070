"""Demo agencies and one account per role, all inside the new Vĩnh Long province (code 86)."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from dean06.core.models import RoleAssignment, User
from dean06.core.roles import Role
from dean06.demo.population import AS_OF
from dean06.identity.staff_auth.selectors import second_factor_required
from dean06.identity.staff_auth.services import totp_enrol_sandbox
from dean06.registry.models import AdministrativeUnit, Organisation, Person
from dean06.registry.models.units import Era

ADULT_BORN_BY = AS_OF.replace(year=AS_OF.year - 18)  # the citizen account belongs to an adult
DEMO_PASSWORD = "Dean06@VinhLong"  # noqa: S105  printed for the local demo only
DEMO_TOTP_SALT = b"dean06-demo-totp:"  # SANDBOX only: anyone with the source can compute these secrets
PROVINCE = "86"
LONG_DUC = "29263"  # Phường Long Đức (former Xã Long Đức and Phường 4 of TP Trà Vinh)
TRA_VINH = "29242"  # Phường Trà Vinh

# (code, name, kind, unit code)
DEMO_ORGANISATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("CA-T86", "Công an tỉnh Vĩnh Long", Organisation.Kind.POLICE, PROVINCE),
    ("STP-T86", "Sở Tư pháp tỉnh Vĩnh Long", Organisation.Kind.DEPARTMENT, PROVINCE),
    ("SYT-T86", "Sở Y tế tỉnh Vĩnh Long", Organisation.Kind.DEPARTMENT, PROVINCE),
    ("SNV-T86", "Sở Nội vụ tỉnh Vĩnh Long", Organisation.Kind.DEPARTMENT, PROVINCE),
    ("TTPVHCC-T86", "Trung tâm Phục vụ hành chính công tỉnh Vĩnh Long", Organisation.Kind.SERVICE_CENTRE, PROVINCE),
    ("UBND-29263", "Ủy ban nhân dân phường Long Đức", Organisation.Kind.PEOPLES_COMMITTEE, LONG_DUC),
    ("CA-29263", "Công an phường Long Đức", Organisation.Kind.POLICE, LONG_DUC),
    ("TYT-29263", "Trạm Y tế phường Long Đức", Organisation.Kind.CLINIC, LONG_DUC),
    ("THCS-29263", "Trường THCS Long Đức", Organisation.Kind.SCHOOL, LONG_DUC),
    ("UBND-29242", "Ủy ban nhân dân phường Trà Vinh", Organisation.Kind.PEOPLES_COMMITTEE, TRA_VINH),
    ("BV-T86", "Bệnh viện Đa khoa tỉnh Trà Vinh", Organisation.Kind.CLINIC, TRA_VINH),
    ("NHCSXH-T86", "Ngân hàng Chính sách xã hội chi nhánh tỉnh Vĩnh Long", Organisation.Kind.BANK, PROVINCE),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str | None  # None: a citizen, who holds no staff role
    unit_code: str
    organisation_code: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("quantri", "Trần Minh Quản", Role.SYSTEM_ADMIN, PROVINCE, "CA-T86"),
    DemoAccount("tocongtac", "Thạch Thị Sa Rây", Role.WORKING_GROUP, PROVINCE, "CA-T86"),
    DemoAccount("sotuphap", "Lê Văn Pháp", Role.DEPARTMENT_OFFICER, PROVINCE, "STP-T86"),
    DemoAccount("motcua.longduc", "Nguyễn Thị Hòa", Role.ONE_STOP_OFFICER, LONG_DUC, "UBND-29263"),
    DemoAccount("congan.longduc", "Sơn Văn Tài", Role.COMMUNE_POLICE, LONG_DUC, "CA-29263"),
    DemoAccount("laodong.longduc", "Kim Thị Thủy", Role.LABOUR_OFFICER, LONG_DUC, "UBND-29263"),
    DemoAccount("tiepdon.longduc", "Huỳnh Văn Khoa", Role.CLINIC_RECEPTIONIST, LONG_DUC, "TYT-29263"),
    DemoAccount("motcua.travinh", "Võ Thị Lan", Role.ONE_STOP_OFFICER, TRA_VINH, "UBND-29242"),
    DemoAccount("congdan", "", None, LONG_DUC, ""),
)


def demo_totp_secret(username: str) -> str:
    """The demo account's TOTP secret, the same on every machine and every run, so `dean06 demo` can print it
    once and an authenticator app set up with it keeps working after the demo database is rebuilt."""
    digest = hashlib.sha256(DEMO_TOTP_SALT + username.encode()).digest()
    return base64.b32encode(digest[:20]).decode()  # 160 bits, 32 base32 characters


def _unit(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(era=Era.Y2025, code=code)


@transaction.atomic
def demo_organisations_create() -> dict[str, Organisation]:
    organisations = {}
    for code, name, kind, unit_code in DEMO_ORGANISATIONS:
        organisations[code], _ = Organisation.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "unit": _unit(unit_code)}
        )
    return organisations


@transaction.atomic
def demo_accounts_create(*, password: str = DEMO_PASSWORD) -> list[tuple[DemoAccount, User]]:
    """Create or reset the demo accounts; the citizen is linked to the first living adult of Long Đức.

    In SANDBOX mode every account that needs the second factor gets a confirmed authenticator with its
    `demo_totp_secret`; otherwise such accounts enrol their own phone at the first sign-in, like anyone."""
    organisations = demo_organisations_create()
    created = []
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=account.username)
        user.set_password(password)
        user.is_staff = account.role == Role.SYSTEM_ADMIN
        user.is_superuser = account.role == Role.SYSTEM_ADMIN
        user.organisation = organisations.get(account.organisation_code)
        if account.role is None:
            user.kind = User.Kind.CITIZEN
            user.person = (
                Person.objects.filter(
                    commune__era=Era.Y2025,
                    commune__code=account.unit_code,
                    status="alive",
                    date_of_birth__lte=ADULT_BORN_BY,
                )
                .order_by("personal_id")
                .first()
            )
            user.full_name = user.person.full_name if user.person else "Công dân mẫu"
        else:
            user.kind = User.Kind.STAFF
            user.full_name = account.full_name
        user.save()
        if account.role is not None:
            RoleAssignment.objects.get_or_create(user=user, role=account.role, unit=_unit(account.unit_code))
        if settings.DEAN06_SANDBOX and second_factor_required(user):
            totp_enrol_sandbox(user, demo_totp_secret(account.username))
        created.append((account, user))
    return created
