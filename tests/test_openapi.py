"""Property tests of the whole JSON API: schemathesis reads /api/openapi.json (every router), generates requests for
each operation from its schema and examples, valid and invalid, and sends them to the Django WSGI application in
this process, as an anonymous caller, a one-stop officer and an e-ID citizen. No answer may be a server error.

Kept small and derandomized so that it is fast and gives the same cases on every run; a failure names the operation
and carries the server's traceback.
"""

from __future__ import annotations

import os
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings
from schemathesis.checks import not_a_server_error

from dean06.core.roles import Role
from dean06.public_services.models import CitizenDocument
from dean06.public_services.services.catalogue import procedures_load
from dean06.public_services.tests import factories as ps
from dean06.testing import factories
from dean06.testing.auth import login, login_citizen

# A deeper hunt now and then: DEAN06_API_FUZZ_EXAMPLES=200 .venv/bin/pytest tests/test_openapi.py
MAX_EXAMPLES = int(os.environ.get("DEAN06_API_FUZZ_EXAMPLES", "10"))
CONFIG = schemathesis.Config.from_dict(
    {"generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"}}
)
CSRF_TOKEN = "schemathesis0csrf0token000000000"  # a 32-character secret, sent as cookie and header alike
CALLERS = ("anonymous", "officer", "citizen")


@dataclass
class Caller:
    name: str
    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    calls: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)


@pytest.fixture
def server_errors() -> Iterator[list[str]]:
    """Tracebacks of exceptions the application turned into 500s, and a database shared with the application.

    Django closes "old" connections at the start and end of each request; inside the test's transaction that would
    drop it, so — as Django's own test client does — the application runs here without those two handlers."""
    errors: list[str] = []

    def record(sender: object, **kwargs: Any) -> None:
        errors.append(traceback.format_exc())

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    signals.got_request_exception.connect(record)
    yield errors
    signals.got_request_exception.disconnect(record)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=CALLERS)
def caller(request: pytest.FixtureRequest, db: None, settings: Settings, tmp_path: Path) -> Iterator[Caller]:
    """Who calls, with rows for them to find: the real catalogue, a dossier of the officer's commune and a
    document in the citizen's store. Shown with `pytest -rP`: how many requests the operation got."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    procedures_load()
    officer = factories.user_with_role(Role.ONE_STOP_OFFICER, factories.LONG_DUC)
    person = factories.person()
    citizen = ps.citizen(person)
    ps.dossier(applicant=person)
    CitizenDocument.objects.create(person=person, kind="birth_certificate", title="Giấy khai sinh")
    # Every caller sends a CSRF token as a browser would, so that writes reach the endpoint, not the CSRF check.
    caller = Caller(str(request.param), {settings.CSRF_COOKIE_NAME: CSRF_TOKEN}, {"X-CSRFToken": CSRF_TOKEN})
    if caller.name != "anonymous":
        client = login(Client(), officer) if caller.name == "officer" else login_citizen(Client(), citizen)
        caller.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    yield caller
    print(f"{caller.name}: {dict(caller.calls)}, statuses {dict(sorted(caller.statuses.items()))}")


# Loaded when the module is collected: the schema needs no database, only the URLs and the routers. (The lazy
# `schemathesis.pytest.from_fixture` would load it inside a test, but it sets `Function._nodeid`, which pytest 9.2
# no longer has.)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application(), config=CONFIG)


@schema.parametrize()
# The caller's session and rows are meant to be shared by every generated request of an operation.
@hypothesis.settings(suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
def test_no_operation_answers_with_a_server_error(
    case: schemathesis.Case[Any], caller: Caller, server_errors: list[str]
) -> None:
    caller.calls[case.operation.label] += 1
    server_errors.clear()
    response = case.call(cookies=caller.cookies, headers=caller.headers)
    caller.statuses[response.status_code] += 1
    assert not server_errors, f"{caller.name}: {case.operation.label} raised\n{server_errors[0]}"
    case.validate_response(response, checks=[not_a_server_error])


def test_the_schema_is_served_with_every_router(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    prefixes = {path.split("/")[2] for path in paths}
    assert {"registry", "identity", "population", "public-services"} <= prefixes


def test_a_page_offset_past_the_database_range_is_refused_not_a_server_error(db: None) -> None:
    """Found by the property test above: GET /api/registry/persons?offset=9223372036854775808 reached the SQL and
    answered 500 (SQLite "datatype mismatch", PostgreSQL "bigint out of range")."""
    client = login(Client(), factories.user_with_role(Role.COMMUNE_POLICE, factories.LONG_DUC))
    url = reverse("api:person_list")
    assert client.get(url, {"offset": 2**63, "limit": 1000}).status_code == 422
    assert client.get(url, {"limit": 2**63}).status_code == 422
    assert client.get(url, {"offset": 2**31 - 1, "limit": 2**31 - 1}).json()["items"] == []


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("api:person_list", {"q": "\x00"}),
        ("api:person_list", {"commune": "\x00"}),
        ("api:population_search", {"full_name": "\x00", "date_of_birth": "2000-01-01", "commune": "29263"}),
        ("api:population_search", {"full_name": "An", "date_of_birth": "2000-01-01", "commune": "\x00"}),
    ],
)
def test_a_nul_byte_in_a_search_is_refused_not_a_server_error(db: None, url_name: str, query: dict[str, str]) -> None:
    """Found by the property test above on PostgreSQL, whose text cannot hold a NUL byte: the search reached the SQL
    and answered 500 ("PostgreSQL text fields cannot contain NUL (0x00) bytes")."""
    client = login(Client(), factories.user_with_role(Role.COMMUNE_POLICE, factories.LONG_DUC))
    response = client.get(reverse(url_name), query | {"purpose": "verification"})
    assert response.status_code == 422, response.content
