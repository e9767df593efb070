"""The SANDBOX population service (API key, SANDBOX switch, labels, its own audit) and the HTTP client's
behaviour when the service is unreachable or answers badly."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from dean06.core import context
from dean06.core.audit import SYSTEM_ACTOR
from dean06.core.models import AuditEvent, User
from dean06.core.roles import AccessPurpose, Role
from dean06.identity.population.backends import get_population_registry
from dean06.identity.population.http import HttpPopulationRegistry
from dean06.identity.population.local import LocalPopulationRegistry
from dean06.identity.population.protocol import AdapterUnavailable, VerifyRequest
from dean06.testing import factories
from dean06.testing.auth import login

pytestmark = pytest.mark.django_db

API_KEY = "khoa-sandbox-thu-nghiem"
PURPOSE = AccessPurpose.VERIFICATION


@pytest.fixture
def sandbox(settings: Settings) -> Client:
    settings.DEAN06_SANDBOX = True
    settings.DEAN06_SANDBOX_POPULATION_API_KEY = API_KEY
    return Client(headers={"X-Api-Key": API_KEY, "X-Dean06-User": "canbo.motcua", "X-Dean06-Purpose": "verification"})


@pytest.fixture
def officer() -> User:
    return factories.user_with_role(Role.ONE_STOP_OFFICER, factories.LONG_DUC)


def _by_id(person_id: str) -> str:
    return reverse("identity:population_sandbox:by_id", args=[person_id])


def test_answers_are_labelled_sandbox(sandbox: Client) -> None:
    person = factories.person()
    response = sandbox.get(_by_id(person.personal_id))
    assert response.status_code == 200 and response["X-Dean06-Sandbox"] == "true"
    assert response.json()["sandbox"] is True and response.json()["person"]["personal_id"] == person.personal_id
    refused = Client().get(_by_id(person.personal_id))
    assert refused.status_code == 401 and refused["X-Dean06-Sandbox"] == "true"


def test_no_one_found_is_a_null_person_not_a_404(sandbox: Client) -> None:
    response = sandbox.get(_by_id("084099999999"))
    assert response.status_code == 200 and response.json() == {"sandbox": True, "person": None}


@pytest.mark.parametrize("key", [None, "", "sai-khoa", API_KEY.upper()])
def test_a_wrong_or_missing_api_key_is_refused(sandbox: Client, key: str | None) -> None:
    headers = {"X-Dean06-User": "canbo", "X-Dean06-Purpose": "verification"}
    if key is not None:
        headers["X-Api-Key"] = key
    assert Client(headers=headers).get(_by_id("084085000001")).status_code == 401


def test_an_unset_key_refuses_everyone(sandbox: Client, settings: Settings) -> None:
    settings.DEAN06_SANDBOX_POPULATION_API_KEY = ""
    assert sandbox.get(_by_id("084085000001")).status_code == 401
    assert Client(headers={"X-Api-Key": ""}).get(_by_id("084085000001")).status_code == 401


def test_switched_off_the_service_does_not_exist(sandbox: Client, settings: Settings) -> None:
    settings.DEAN06_SANDBOX = False
    person = factories.person()
    urls = [
        _by_id(person.personal_id),
        reverse("identity:population_sandbox:search") + "?full_name=a&date_of_birth=1985-05-15&commune=29263",
        reverse("identity:population_sandbox:openapi-json"),
    ]
    for url in urls:
        assert sandbox.get(url).status_code == 404, url
    verify = reverse("identity:population_sandbox:verify")
    assert (
        sandbox.post(verify, {"personal_id": person.personal_id, "attributes": {}}, "application/json").status_code
        == 404
    )


def test_the_protocol_is_published_as_openapi(sandbox: Client) -> None:
    schema = sandbox.get(reverse("identity:population_sandbox:openapi-json")).json()
    assert set(schema["paths"]) == {
        "/sandbox/population/persons/by-id/{personal_id}",
        "/sandbox/population/persons/by-old-id/{old_id}",
        "/sandbox/population/persons/search",
        "/sandbox/population/persons/verify",
    }


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Api-Key": API_KEY},
        {"X-Api-Key": API_KEY, "X-Dean06-User": "canbo"},
        {"X-Api-Key": API_KEY, "X-Dean06-User": "canbo", "X-Dean06-Purpose": "curiosity"},
    ],
)
def test_the_caller_must_name_user_and_purpose(sandbox: Client, headers: dict[str, str]) -> None:
    response = Client(headers=headers).get(_by_id("084085000001"))
    assert response.status_code == 400 and "X-Dean06-Purpose" in response.json()["detail"]
    assert not AuditEvent.objects.exists()


def test_the_service_audits_the_acting_user_and_purpose(sandbox: Client) -> None:
    person = factories.person(old_id="331234567")
    client = Client(
        headers={"X-Api-Key": API_KEY, "X-Dean06-User": "c%C3%A1n.b%E1%BB%99", "X-Dean06-Purpose": "welfare"}
    )
    client.get(reverse("identity:population_sandbox:by_old_id", args=["331234567"]))
    body = {"personal_id": person.personal_id, "attributes": {"gender": "Nam", "full_name": "Sai Tên"}}
    client.post(reverse("identity:population_sandbox:verify"), body, "application/json")
    lookup = AuditEvent.objects.get(action="population_sandbox.lookup")
    assert (lookup.actor_label, lookup.purpose) == (SYSTEM_ACTOR, "welfare")
    assert lookup.details == {
        "by": "old_id",
        "query": "331234567",
        "answered": [person.personal_id],
        "acting_user": "cán.bộ",
    }
    verified = AuditEvent.objects.get(action="population_sandbox.verify")
    assert verified.object_id == person.personal_id and verified.details["acting_user"] == "cán.bộ"
    assert verified.details["outcomes"] == {
        "full_name": "no_match",
        "date_of_birth": "not_provided",
        "gender": "match",
        "old_id": "not_provided",
    }
    assert "Sai Tên" not in json.dumps(verified.details, ensure_ascii=False)


def test_ambiguous_old_id_is_a_409(sandbox: Client) -> None:
    factories.person(old_id="331111111")
    factories.person(old_id="331111111")
    response = sandbox.get(reverse("identity:population_sandbox:by_old_id", args=["331111111"]))
    assert response.status_code == 409 and "CMND" in response.json()["detail"]


# The HTTP client against services that misbehave.

Handler = Callable[[BaseHTTPRequestHandler], None]


@pytest.fixture
def stub() -> Iterator[tuple[str, list[Handler], list[dict[str, str]]]]:
    """A tiny HTTP server on loopback: answers with the first handler of the list, records request headers."""
    answers: list[Handler] = []
    seen: list[dict[str, str]] = []

    class _Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(dict(self.headers))
            answers[0](self)

        do_POST = do_GET  # noqa: N815  the name http.server looks for

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/population", answers, seen
    server.shutdown()
    server.server_close()


def _reply(status: int, body: bytes, content_type: str = "application/json") -> Handler:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_service_is_a_503_in_vietnamese(officer: User) -> None:
    client = HttpPopulationRegistry(f"http://127.0.0.1:{_closed_port()}/population", API_KEY, timeout=2)
    with pytest.raises(AdapterUnavailable) as unavailable:
        client.by_personal_id("084085000001", actor=officer, purpose=PURPOSE)
    assert unavailable.value.status_code == 503
    assert "Không kết nối được Cơ sở dữ liệu quốc gia về dân cư" in unavailable.value.message


def test_a_service_that_does_not_answer_in_time(officer: User) -> None:
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        client = HttpPopulationRegistry(f"http://127.0.0.1:{silent.getsockname()[1]}", API_KEY, timeout=0.3)
        with pytest.raises(AdapterUnavailable) as unavailable:
            client.verify("084085000001", VerifyRequest(), actor=officer, purpose=PURPOSE)
    assert "không trả lời trong 0.3 giây" in unavailable.value.message


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (_reply(500, b'{"detail": "boom"}'), "HTTP 500"),
        (_reply(404, b"<html>Not Found</html>", "text/html"), "HTTP 404"),
        (_reply(200, b"<html>portal login</html>", "text/html"), "HTTP 200"),
        (_reply(200, b'{"person": {"personal_id": "084085000001"}}'), "HTTP 200"),
        (_reply(401, b'{"detail": "Unauthorized"}'), "khóa API"),
    ],
)
def test_bad_answers_are_a_503(
    stub: tuple[str, list[Handler], list[dict[str, str]]], officer: User, answer: Handler, expected: str
) -> None:
    url, answers, _ = stub
    answers.append(answer)
    client = HttpPopulationRegistry(url, API_KEY, timeout=5)
    with pytest.raises(AdapterUnavailable) as unavailable:
        client.by_personal_id("084085000001", actor=officer, purpose=PURPOSE)
    assert unavailable.value.status_code == 503 and expected in unavailable.value.message


def test_the_client_names_key_user_purpose_and_request(
    stub: tuple[str, list[Handler], list[dict[str, str]]],
) -> None:
    url, answers, seen = stub
    answers.append(_reply(200, b'{"person": null}'))
    officer = factories.user_with_role(Role.ONE_STOP_OFFICER, factories.LONG_DUC, username="cán.bộ")
    token = context.request_id.set("req-123")
    try:
        found = HttpPopulationRegistry(url, API_KEY, timeout=5).by_old_id("331234567", actor=officer, purpose=PURPOSE)
    finally:
        context.request_id.reset(token)
    assert found is None
    assert seen[0]["X-Api-Key"] == API_KEY and seen[0]["X-Dean06-Purpose"] == "verification"
    assert seen[0]["X-Dean06-User"] == "c%C3%A1n.b%E1%BB%99" and seen[0]["X-Request-ID"] == "req-123"


def test_the_api_reports_an_unreachable_service(settings: Settings) -> None:
    settings.DEAN06_POPULATION_BACKEND = "http"
    settings.DEAN06_POPULATION_URL = f"http://127.0.0.1:{_closed_port()}"
    person = factories.person()
    client = login(Client(), factories.user_with_role(Role.COMMUNE_POLICE, factories.LONG_DUC))
    response = client.get(reverse("api:population_by_id", args=[person.personal_id]), {"purpose": "verification"})
    assert response.status_code == 503
    assert response.json()["detail"].startswith("Không kết nối được Cơ sở dữ liệu quốc gia về dân cư")


def test_the_backend_is_chosen_by_settings(settings: Settings) -> None:
    assert isinstance(get_population_registry(), LocalPopulationRegistry)
    settings.DEAN06_POPULATION_BACKEND = "http"
    settings.DEAN06_POPULATION_URL = "https://gateway.example.gov.vn/population/"
    settings.DEAN06_POPULATION_API_KEY = "k"
    registry = get_population_registry()
    assert (
        isinstance(registry, HttpPopulationRegistry)
        and registry.base_url == "https://gateway.example.gov.vn/population"
    )
    settings.DEAN06_POPULATION_URL = ""
    with pytest.raises(ImproperlyConfigured, match="DEAN06_POPULATION_URL"):
        get_population_registry()
    settings.DEAN06_POPULATION_BACKEND = "ftp"
    with pytest.raises(ImproperlyConfigured, match="local or http"):
        get_population_registry()
