"""Registry API behaviour beyond scoping: audit of what was shown, purposes, bad input."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from dean06.core.models import AuditEvent
from dean06.core.roles import Role
from dean06.testing import factories
from dean06.testing.auth import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def police_client() -> Client:
    return login(Client(), factories.user_with_role(Role.COMMUNE_POLICE, factories.LONG_DUC))


def test_list_audits_the_page_shown(police_client: Client) -> None:
    persons = [factories.person(full_name=f"Nguyễn Văn Hòa {i}") for i in range(3)]
    response = police_client.get(reverse("api:person_list"), {"q": "Hoà", "limit": "2"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and len(body["items"]) == 2
    event = AuditEvent.objects.get(action="person.list")
    assert event.details["count"] == 2
    assert set(event.details["ids"]) <= {p.pk for p in persons}
    assert event.request_id == response["X-Request-ID"]


def test_search_by_id_prefix_and_tone_style(police_client: Client) -> None:
    person = factories.person(full_name="Trần Thị Thủy")
    for query in (person.personal_id, person.personal_id[:8], "thuỷ", "TRAN THI THUY"):
        items = police_client.get(reverse("api:person_list"), {"q": query}).json()["items"]
        assert [i["personal_id"] for i in items] == [person.personal_id], query


def test_detail_requires_a_purpose_and_audits_it(police_client: Client) -> None:
    person = factories.person()
    url = reverse("api:person_detail", args=[person.pk])
    assert police_client.get(url).status_code == 422
    assert police_client.get(url, {"purpose": "curiosity"}).status_code == 422
    response = police_client.get(url, {"purpose": "public_service"})
    assert response.status_code == 200 and response.json()["personal_id"] == person.personal_id
    event = AuditEvent.objects.get(action="person.read")
    assert (event.object_type, event.object_id, event.purpose) == ("registry.person", str(person.pk), "public_service")


def test_errors_are_in_vietnamese_by_default(police_client: Client) -> None:
    response = police_client.get(reverse("api:person_detail", args=[10**9]), {"purpose": "verification"})
    assert response.status_code == 404
    assert "Không tìm thấy" in response.json()["detail"]
    anonymous = Client().get(reverse("api:person_list"))
    assert anonymous.status_code == 401 and "đăng nhập" in anonymous.json()["detail"]


def test_openapi_schema_is_served_offline(police_client: Client) -> None:
    schema = police_client.get("/api/openapi.json").json()
    assert "/api/registry/persons" in schema["paths"]


def test_unit_resolve_endpoint(police_client: Client) -> None:
    response = police_client.get(reverse("api:unit_resolve"), {"q": "Xã Long Đức, TP Trà Vinh"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["communes"] == [{"code": "29263", "name": "Phường Long Đức", "province_code": "86"}]
    assert Client().get(reverse("api:unit_resolve"), {"q": "x"}).status_code == 401
