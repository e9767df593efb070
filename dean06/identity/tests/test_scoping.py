"""Identity endpoints that show persons, with the four scoping cases where they fit.

The population name search is unit-scoped (out of scope: the person is absent from the list), so it is
declared below. The lookups by exact identifier — personal ID, old ID, a card's QR — and verify are
deliberately *not* unit-scoped: the national population database is not divided by the province's units, and
a counter officer must be able to identify whoever stands in front of them with a card (docs/adapters.md).
"Out of scope gives 404" cannot hold for them, so they are tested here separately: anonymous 401, without
`person.view` 403, and with `person.view` over another unit 200. tests/test_architecture.py lists them as
not unit-scoped.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from dean06.core.roles import Role
from dean06.registry.models import Person
from dean06.testing import factories
from dean06.testing.auth import login
from dean06.testing.scoping import ScopedEndpoint, scoping_tests


def _search_url(person: Person) -> str:
    query = {
        "full_name": "thach thi sa ray",  # folded: the name that would show a leak is not in the URL
        "date_of_birth": "1985-05-15",  # the factory's default
        "commune": factories.LONG_DUC,
        "purpose": "verification",
    }
    return f"{reverse('api:population_search')}?{urlencode(query)}"


ENDPOINTS = [ScopedEndpoint("population search", url=_search_url, api=True, lists=True)]

test_scoping = scoping_tests(ENDPOINTS)


def _qr(person: Person) -> str:
    return f"{person.personal_id}||{person.full_name}|15051985|Nam|{person.address}|01012021"


# Each lookup as (URL, JSON body to POST or None for a GET).
EXACT_LOOKUPS: dict[str, Callable[[Person], tuple[str, dict[str, object] | None]]] = {
    "by id": lambda p: (reverse("api:population_by_id", args=[p.personal_id]) + "?purpose=verification", None),
    "by old id": lambda p: (reverse("api:population_by_old_id", args=[p.old_id]) + "?purpose=verification", None),
    "by qr": lambda p: (reverse("api:population_by_qr"), {"payload": _qr(p), "purpose": "verification"}),
    "verify": lambda p: (
        reverse("api:population_verify"),
        {"personal_id": p.personal_id, "attributes": {"full_name": p.full_name}, "purpose": "verification"},
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("lookup", EXACT_LOOKUPS)
@pytest.mark.parametrize(
    ("role", "unit", "status"),
    [
        (None, None, 401),
        (Role.CLINIC_RECEPTIONIST, factories.LONG_DUC, 403),  # unit.view only
        (Role.ONE_STOP_OFFICER, factories.TRA_VINH, 200),  # person.view over another commune: by design
        (Role.COMMUNE_POLICE, factories.LONG_DUC, 200),
    ],
)
def test_exact_lookups_need_person_view_anywhere(lookup: str, role: Role | None, unit: str | None, status: int) -> None:
    person = factories.person(full_name="Thạch Thị Sa Rây", old_id="331234567")
    client = Client()
    if role is not None and unit is not None:
        login(client, factories.user_with_role(role, unit))
    url, data = EXACT_LOOKUPS[lookup](person)
    response = client.get(url) if data is None else client.post(url, data, "application/json")
    assert response.status_code == status, response.content
    body = response.content.decode()
    if status == 200 and lookup != "verify":
        assert person.personal_id in body and person.full_name in body
    else:
        assert person.full_name not in body  # verify answers match/no_match, never the record
