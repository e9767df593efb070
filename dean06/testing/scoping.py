"""Four scoping tests per endpoint, by declaration (NetBox's constrained-permission suites, issue #2).

An app declares its person-bearing endpoints once:

    ENDPOINTS = [ScopedEndpoint("person detail", url=lambda p: reverse("web:person_detail", args=[p.pk]))]
    test_scoping = scoping_tests(ENDPOINTS)

and gets, for each endpoint, a test that:
- an anonymous caller is sent to the login page (HTML) or refused with 401 (API);
- a user without the permission is refused with 403;
- a user with the role over the person's commune sees the person;
- a user with the same role over another commune does not (404 for a record, absent from a list or export).

`dean06/core/tests/test_architecture.py` fails the build when a URL is neither declared here nor listed as
not person-bearing, so a new view cannot skip these tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import unquote_plus

import pytest
from django.test import Client
from django.urls import resolve

from dean06.core.roles import Role
from dean06.registry.models import Person
from dean06.testing import factories
from dean06.testing.auth import login
from dean06.testing.http import body_of

Case = Literal["anonymous", "no_permission", "in_scope", "out_of_scope"]
CASES: tuple[Case, ...] = ("anonymous", "no_permission", "in_scope", "out_of_scope")


@dataclass(frozen=True)
class ScopedEndpoint:
    """A view or API endpoint that shows persons. `url(person)` builds the address for a target person."""

    label: str
    url: Callable[[Person], str]
    api: bool = False
    lists: bool = False  # a list/export: out of scope means "absent", not 404
    role: Role = Role.COMMUNE_POLICE
    role_without_permission: Role = Role.CLINIC_RECEPTIONIST
    method: Literal["get", "post"] = "get"
    data: dict[str, str] = field(default_factory=dict)

    def url_name(self, person: Person) -> str:
        path = self.url(person).split("?", 1)[0]
        return resolve(path).view_name


def _call(endpoint: ScopedEndpoint, client: Client, person: Person) -> tuple[int, str, str]:
    send = client.post if endpoint.method == "post" else client.get
    response = send(endpoint.url(person), endpoint.data)
    body = body_of(response)
    return response.status_code, response.get("Location", ""), body.decode("utf-8", "replace")


def check_case(endpoint: ScopedEndpoint, case: Case) -> None:
    target = factories.person(commune_code=factories.LONG_DUC, full_name="Thạch Thị Sa Rây")
    # A leak shows the ID or the name; a marker echoed from the URL (a search box) cannot count as one.
    markers = (target.personal_id, target.full_name)
    url = unquote_plus(endpoint.url(target))
    leak_markers = [m for m in markers if m not in url]
    assert leak_markers, f"{endpoint.label}: the URL names every marker, so a leak could not be seen"
    client = Client()
    if case == "no_permission":
        login(client, factories.user_with_role(endpoint.role_without_permission, factories.LONG_DUC))
    elif case == "in_scope":
        login(client, factories.user_with_role(endpoint.role, factories.LONG_DUC))
    elif case == "out_of_scope":
        login(client, factories.user_with_role(endpoint.role, factories.TRA_VINH))
    status, location, body = _call(endpoint, client, target)

    if case == "anonymous":
        if endpoint.api:
            assert status == 401, f"{endpoint.label}: anonymous API call gave {status}"
        else:
            assert status == 302 and "/dang-nhap/" in location, f"{endpoint.label}: anonymous got {status} {location}"
    elif case == "no_permission":
        assert status == 403, f"{endpoint.label}: user without permission got {status}"
    elif case == "in_scope":
        assert status == 200, f"{endpoint.label}: in-scope user got {status}"
        assert all(m in body for m in markers), f"{endpoint.label}: in-scope user does not see the person"
    elif endpoint.lists:
        assert status == 200, f"{endpoint.label}: out-of-scope list gave {status}"
        assert not any(m in body for m in leak_markers), f"{endpoint.label}: out-of-scope user sees the person"
    else:
        assert status == 404, f"{endpoint.label}: out-of-scope user got {status}"
        assert not any(m in body for m in leak_markers)


def scoping_tests(endpoints: list[ScopedEndpoint]) -> Callable[..., None]:
    """A parametrized test function covering the four cases of every declared endpoint."""
    params = [pytest.param(e, c, id=f"{e.label}-{c}") for e in endpoints for c in CASES]

    @pytest.mark.django_db
    @pytest.mark.parametrize(("endpoint", "case"), params)
    def test_scoping(endpoint: ScopedEndpoint, case: Case) -> None:
        check_case(endpoint, case)

    return test_scoping
