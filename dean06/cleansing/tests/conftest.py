"""Shared set-up of the cleansing tests that run against the registry in the test database."""

from __future__ import annotations

from datetime import date

import pytest

from dean06.testing import factories

# The header row of the small sector lists the tests write.
SECTOR_CSV_HEADER = "STT,Họ và tên,Ngày sinh,Số CCCD,Giới tính,Địa chỉ\n"


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
