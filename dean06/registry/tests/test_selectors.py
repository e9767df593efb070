from __future__ import annotations

import pytest

from dean06.core.roles import Role
from dean06.registry import selectors
from dean06.testing import factories
from dean06.text import name_sort_key

pytestmark = pytest.mark.django_db


def test_person_list_is_in_vietnamese_order_on_every_database() -> None:
    names = ["Trần Văn Bình", "Nguyễn Thị Ân", "Lê Văn An", "Đặng Thị Ánh", "Võ Văn Ăn", "Thạch Sa Rây", "Dương Đức"]
    for name in names:
        factories.person(full_name=name)
    officer = factories.user_with_role(Role.COMMUNE_POLICE, factories.LONG_DUC)
    listed = [p.full_name for p in selectors.person_list(actor=officer)]
    assert listed == sorted(names, key=name_sort_key)
    assert listed[:4] == ["Lê Văn An", "Đặng Thị Ánh", "Võ Văn Ăn", "Nguyễn Thị Ân"]
