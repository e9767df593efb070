"""The population JSON API beyond scoping: shapes, errors, purposes, audit, OpenAPI."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from dean06.core.models import AuditEvent
from dean06.core.roles import Role
from dean06.registry.models import Person
from dean06.testing import factories
from dean06.testing.auth import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return login(Client(), factories.user_with_role(Role.ONE_STOP_OFFICER, factories.LONG_DUC))


@pytest.fixture
def citizen() -> Person:
    return factories.person(
        full_name="Trần Thị Thủy",
        old_id="331234567",
        date_of_birth=date(1972, 12, 1),
        gender="Nữ",
        status="deceased",
        death_date=date(2025, 9, 2),
        household=factories.household(code="HGD29263000009"),
    )


def test_by_id_answers_the_record_and_audits_the_purpose(client: Client, citizen: Person) -> None:
    response = client.get(reverse("api:population_by_id", args=[citizen.personal_id]), {"purpose": "welfare"})
    assert response.status_code == 200
    assert response.json() == {
        "personal_id": citizen.personal_id,
        "old_id": "331234567",
        "full_name": "Trần Thị Thủy",
        "date_of_birth": "1972-12-01",
        "gender": "Nữ",
        "commune_code": factories.LONG_DUC,
        "commune_name": "Phường Long Đức",
        "address": "Ấp Phú Hòa",
        "status": "deceased",
        "death_date": "2025-09-02",
        "household_code": "HGD29263000009",
    }
    event = AuditEvent.objects.get(action="population.lookup")
    assert (event.purpose, event.object_id, event.request_id) == (
        "welfare",
        citizen.personal_id,
        response["X-Request-ID"],
    )


def test_by_id_errors(client: Client) -> None:
    url = reverse("api:population_by_id", args=["084099999999"])
    missing = client.get(url, {"purpose": "verification"})
    assert missing.status_code == 404 and "Không tìm thấy" in missing.json()["detail"]
    assert client.get(url).status_code == 422  # no purpose
    assert client.get(url, {"purpose": "curiosity"}).status_code == 422
    malformed = client.get(reverse("api:population_by_id", args=["12345"]), {"purpose": "verification"})
    assert malformed.status_code == 400 and "12" in malformed.json()["detail"]


def test_by_old_id(client: Client, citizen: Person) -> None:
    url = reverse("api:population_by_old_id", args=["331234567"])
    assert client.get(url, {"purpose": "verification"}).json()["personal_id"] == citizen.personal_id
    factories.person(old_id="331234567")
    conflict = client.get(url, {"purpose": "verification"})
    assert conflict.status_code == 409 and "số định danh cá nhân" in conflict.json()["detail"]


def test_by_qr_takes_the_scanner_text(client: Client, citizen: Person) -> None:
    payload = f"{citizen.personal_id}|331234567|TRẦN THỊ THỦY|01121972|Nữ|Ấp Phú Hòa|10052021\r"
    url = reverse("api:population_by_qr")
    response = client.post(url, {"payload": payload, "purpose": "public_service"}, "application/json")
    assert response.status_code == 200 and response.json()["personal_id"] == citizen.personal_id
    bad = client.post(url, {"payload": "https://example.com", "purpose": "public_service"}, "application/json")
    assert bad.status_code == 400 and bad.json()["detail"]


def test_search(client: Client, citizen: Person) -> None:
    query = {"full_name": "Trần Thị Thuỷ", "date_of_birth": "1972-12-01", "commune": factories.LONG_DUC}
    url = reverse("api:population_search")
    found = client.get(url, {**query, "purpose": "verification"})
    assert [p["personal_id"] for p in found.json()] == [citizen.personal_id]
    assert client.get(url, query).status_code == 422  # no purpose
    assert client.get(url, {**query, "date_of_birth": "1972-02-30", "purpose": "verification"}).status_code == 422
    assert AuditEvent.objects.get(action="population.lookup").details["answered"] == [citizen.personal_id]


def test_verify(client: Client, citizen: Person) -> None:
    body = {
        "personal_id": citizen.personal_id,
        "attributes": {"full_name": "Trần Thị Thuỷ", "date_of_birth": "1972-12-02", "gender": "Nữ"},
        "purpose": "verification",
    }
    url = reverse("api:population_verify")
    assert client.post(url, body, "application/json").json() == {
        "found": True,
        "full_name": "match",
        "date_of_birth": "no_match",
        "gender": "match",
        "old_id": "not_provided",
    }
    unknown = client.post(url, {**body, "personal_id": "084099999999"}, "application/json")
    assert unknown.status_code == 200 and unknown.json()["found"] is False


def test_endpoints_are_in_the_openapi_schema(client: Client) -> None:
    paths = client.get(reverse("api:openapi-json")).json()["paths"]
    assert {
        "/api/population/persons/by-id/{personal_id}",
        "/api/population/persons/by-old-id/{old_id}",
        "/api/population/persons/by-qr",
        "/api/population/persons/search",
        "/api/population/persons/verify",
    } <= set(paths)
