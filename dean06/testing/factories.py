"""Factories for test data: plain functions with sensible Vietnamese defaults, every argument overridable."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from dean06.core.models import RoleAssignment, User
from dean06.core.roles import Role
from dean06.registry.models import AdministrativeUnit, Household, Organisation, Person
from dean06.registry.models.units import Era
from dean06.text import fold, name_collation_key

_counter = itertools.count(1)

# Real 2025 units of Vĩnh Long province (86), from the official list.
PROVINCE = "86"
LONG_DUC = "29263"  # Phường Long Đức (former Xã Long Đức + Phường 4, TP Trà Vinh)
TRA_VINH = "29242"  # Phường Trà Vinh


def unit(code: str, era: str = Era.Y2025) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(era=era, code=code)


def user_with_role(role: Role | str | None = None, unit_code: str = LONG_DUC, **fields: Any) -> User:
    """A staff user, holding `role` over the unit `unit_code` (2025 era) when a role is given."""
    n = next(_counter)
    user = User.objects.create_user(
        username=fields.pop("username", f"canbo{n}"),
        password=fields.pop("password", "mat-khau-thu-nghiem"),
        full_name=fields.pop("full_name", f"Cán bộ {n}"),
        **fields,
    )
    if role is not None:
        RoleAssignment.objects.create(user=user, role=role, unit=unit(unit_code))
    return user


def person(commune_code: str = LONG_DUC, **fields: Any) -> Person:
    n = next(_counter)
    full_name = fields.pop("full_name", "Nguyễn Văn An")
    values: dict[str, Any] = {
        "personal_id": f"084085{n:06d}",
        "full_name": full_name,
        "name_key": fold(full_name),
        "sort_name": name_collation_key(full_name),
        "date_of_birth": date(1985, 5, 15),
        "gender": "Nam",
        "commune": unit(commune_code),
        "address": "Ấp Phú Hòa",
    }
    values.update(fields)
    return Person.objects.create(**values)


def household(commune_code: str = LONG_DUC, **fields: Any) -> Household:
    n = next(_counter)
    return Household.objects.create(
        code=fields.pop("code", f"HGD{n:08d}"),
        commune=unit(commune_code),
        address=fields.pop("address", "Ấp 1"),
        **fields,
    )


def organisation(
    unit_code: str = LONG_DUC, kind: str = Organisation.Kind.PEOPLES_COMMITTEE, **fields: Any
) -> Organisation:
    n = next(_counter)
    return Organisation.objects.create(
        code=fields.pop("code", f"ORG{n:05d}"),
        name=fields.pop("name", f"Cơ quan {n}"),
        kind=kind,
        unit=unit(unit_code),
        **fields,
    )
