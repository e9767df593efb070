"""Shared set-up of the cleansing tests that run against the registry in the test database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from dean06.registry.models import Person
from dean06.testing import factories

# The header row of the small sector lists the tests write.
SECTOR_CSV_HEADER = "STT,Họ và tên,Ngày sinh,Số CCCD,Giới tính,Địa chỉ\n"
ADDRESS = "Ấp Phú Hòa, Phường Long Đức, Tỉnh Vĩnh Long"


@pytest.fixture
def registry() -> dict[str, str]:
    """Two persons of Long Đức: Nguyễn Văn An (alive) and Trần Thị Thủy (deceased); their personal IDs."""
    an = factories.person(full_name="Nguyễn Văn An", date_of_birth=date(1985, 5, 15), gender="Nam")
    thuy = factories.person(
        full_name="Trần Thị Thủy",
        date_of_birth=date(1950, 2, 3),
        gender="Nữ",
        status="deceased",
        death_date=date(2024, 1, 9),
    )
    return {"an": an.personal_id, "thuy": thuy.personal_id}


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> None:
    """Uploaded files of each test in its own directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def persons() -> dict[str, Person]:
    lan = {"full_name": "Trần Thị Lan", "date_of_birth": date(1990, 3, 4), "gender": "Nữ"}
    return {
        "an": factories.person(full_name="Nguyễn Văn An", date_of_birth=date(1985, 5, 15), gender="Nam"),
        "binh": factories.person(full_name="Lê Văn Bình", date_of_birth=date(1970, 1, 2), gender="Nam"),
        "thuy": factories.person(
            full_name="Trần Thị Thủy", date_of_birth=date(1950, 2, 3), gender="Nữ", status="deceased"
        ),
        "lan1": factories.person(**lan),  # type: ignore[arg-type]
        "lan2": factories.person(**lan),  # type: ignore[arg-type]
    }


def sector_list(persons: dict[str, Person]) -> str:
    """Five rows, one of each situation: exact, fixable, deceased, ambiguous, not found (without an ID)."""
    an, binh, thuy = persons["an"], persons["binh"], persons["thuy"]
    return (
        f'1,Nguyễn Văn An,15/05/1985,{an.personal_id},Nam,"{ADDRESS}"\n'  # exact
        f'2,Le Van Binh,02/01/1970,{binh.personal_id},Nam,"{ADDRESS}"\n'  # fixable: no diacritics
        f'3,Trần Thị Thủy,03/02/1950,{thuy.personal_id},Nữ,"{ADDRESS}"\n'  # deceased
        f'4,Trần Thị Lan,04/03/1990,,Nữ,"{ADDRESS}"\n'  # ambiguous: two such persons, no ID
        f'5,Hồ Không Có,01/01/1960,,Nam,"{ADDRESS}"\n'  # not_found, no ID: incomplete
    )
