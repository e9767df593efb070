"""The public-services API: the public catalogue; a citizen starts, submits and follows a dossier; the e-ID level,
stale versions and scope refused as the pages refuse them; the citizen's own document store."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dean06.core.models import AuditEvent
from dean06.core.roles import Role
from dean06.public_services.choices import Channel, DossierStatus
from dean06.public_services.eforms import prefill
from dean06.public_services.models import CitizenDocument, Dossier, Procedure
from dean06.public_services.services.dossiers import dossier_draft_save
from dean06.public_services.tests import factories as ps
from dean06.registry.models import Person
from dean06.testing import factories
from dean06.testing.auth import login, login_citizen

pytestmark = pytest.mark.django_db

# A birth registration whose required document the citizen's store already holds: the API reuses documents by id.
REUSABLE_DOCUMENTS = [
    {"key": "giay_ket_hon", "name": "Giấy chứng nhận kết hôn", "required": True, "store_kind": "marriage_certificate"}
]
CHILD = {"child_name": "Nguyễn Trần Minh Khôi", "child_birth_date": "20/11/2026"}


@pytest.fixture
def applicant() -> Person:
    return factories.person(full_name="Trần Thị Hoà", date_of_birth=date(1994, 7, 2), gender="Nữ", phone="0912345678")


@pytest.fixture
def procedure() -> Procedure:
    return ps.birth_procedure(documents=REUSABLE_DOCUMENTS)


def _store_document(person: Person, **overrides: Any) -> CitizenDocument:
    values: dict[str, Any] = {
        "kind": "marriage_certificate",
        "title": "Giấy chứng nhận kết hôn",
        "issued_by": "UBND Phường Long Đức",
        "file": "documents/kh.pdf",
    }
    return CitizenDocument.objects.create(person=person, **values | overrides)


def _json(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def _start(client: Client, code: str) -> dict[str, Any]:
    response = _json(client, reverse("api:dossier_start"), {"procedure": code})
    assert response.status_code == 201, response.content.decode()
    return dict(response.json())


def _submit(client: Client, dossier_id: int, **data: Any) -> Any:
    return _json(client, reverse("api:dossier_submit", args=[dossier_id]), data)


def _officer(unit: str = factories.LONG_DUC) -> Client:
    return login(Client(), factories.user_with_role(Role.ONE_STOP_OFFICER, unit))


def test_the_catalogue_is_public_and_searchable() -> None:
    birth = ps.birth_procedure(code="VL-HT-KHAISINH")
    ps.procedure(name="Đăng ký tạm trú")
    anonymous = Client()
    found = anonymous.get(reverse("api:procedure_list"), {"q": "khai sinh"}).json()
    assert [p["code"] for p in found] == ["VL-HT-KHAISINH"]

    detail = anonymous.get(reverse("api:procedure_detail", args=[birth.code])).json()
    assert detail["eid_level"] == 2 and detail["processing_days"] == birth.processing_days
    assert detail["documents"][0] == {
        "key": "giay_chung_sinh",
        "name": "Giấy chứng sinh",
        "required": True,
        "store_kind": "",
    }
    assert {"name": "full_name", "source": "registry", "locked": True}.items() <= detail["form"][0].items()
    missing = anonymous.get(reverse("api:procedure_detail", args=["VL-KHONG-CO"]))
    assert missing.status_code == 404 and missing.json()["detail"]


def test_a_citizen_starts_submits_and_follows_a_dossier(applicant: Person, procedure: Procedure) -> None:
    earlier = _store_document(applicant)
    client = login_citizen(Client(), ps.citizen(applicant))
    draft = _start(client, procedure.code)
    assert draft["status"] == "draft" and draft["channel"] == "online" and draft["version"] == 1
    fields = {f["name"]: f for f in draft["fields"]}
    assert {"value": "Trần Thị Hoà", "source": "registry", "locked": True}.items() <= fields["full_name"].items()
    assert fields["date_of_birth"]["value"] == "02/07/1994" and fields["personal_id"]["source"] == "eid"
    assert {"value": "", "source": "citizen", "locked": False, "prefilled": False}.items() <= fields[
        "child_name"
    ].items()
    assert [d["id"] for d in draft["reusable_documents"]] == [earlier.pk]

    # A locked field keeps the registry's value whatever the client sends ("only once").
    values = CHILD | {"full_name": "Người Khác"}
    response = _submit(client, draft["id"], version=draft["version"], values=values, reuse=[earlier.pk])
    assert response.status_code == 200, response.content.decode()
    submitted = response.json()
    assert submitted["status"] == "received" and submitted["due_on"] and submitted["received_at"]
    assert (
        submitted["values"]["full_name"] == "Trần Thị Hoà" and submitted["values"]["child_name"] == CHILD["child_name"]
    )
    assert submitted["attachments"] == [
        {"requirement": "giay_ket_hon", "title": earlier.title, "digitised": True, "reused_document_id": earlier.pk}
    ]
    assert [e["action"] for e in submitted["events"]] == ["submit"]

    status = client.get(reverse("api:dossier_detail", args=[draft["id"]])).json()
    assert status["status_label"] == "Đã tiếp nhận" and status["timeliness"]["late"] is False
    assert AuditEvent.objects.filter(action="dossier.read", object_id=str(draft["id"])).exists()
    mine = client.get(reverse("api:dossier_list")).json()
    assert mine["count"] == 1 and mine["items"][0]["code"] == submitted["code"]
    dossier = Dossier.objects.get(pk=draft["id"])
    assert dossier.components_reused == 1 and dossier.population_data_used


def test_an_invalid_form_or_a_missing_document_is_a_400(applicant: Person, procedure: Procedure) -> None:
    client = login_citizen(Client(), ps.citizen(applicant))
    draft = _start(client, procedure.code)
    bad_date = _submit(client, draft["id"], version=1, values=CHILD | {"child_birth_date": "31/02/2026"})
    assert bad_date.status_code == 400 and "Ngày sinh của trẻ" in bad_date.json()["detail"]
    no_document = _submit(client, draft["id"], version=1, values=CHILD)
    assert no_document.status_code == 400
    assert "Còn thiếu thành phần hồ sơ: Giấy chứng nhận kết hôn" in no_document.json()["detail"]
    assert _submit(client, draft["id"], version=1, values=CHILD, reuse=[987654]).status_code == 400
    assert Dossier.objects.get(pk=draft["id"]).status == DossierStatus.DRAFT


def test_a_level_1_login_is_refused_with_403(applicant: Person, procedure: Procedure) -> None:
    earlier = _store_document(applicant)
    client = login_citizen(Client(), ps.citizen(applicant), level=1)
    draft = _start(client, procedure.code)
    response = _submit(client, draft["id"], version=1, values=CHILD, reuse=[earlier.pk])
    assert response.status_code == 403 and "mức 2" in response.json()["detail"]
    assert Dossier.objects.get(pk=draft["id"]).status == DossierStatus.DRAFT


def test_a_stale_version_is_a_409_and_nothing_is_lost(applicant: Person, procedure: Procedure) -> None:
    earlier = _store_document(applicant)
    user = ps.citizen(applicant)
    client = login_citizen(Client(), user)
    draft = _start(client, procedure.code)
    dossier = Dossier.objects.get(pk=draft["id"])
    # Meanwhile, on another device, the draft was saved (the version moved on).
    filled = prefill(procedure.form, applicant)
    dossier_draft_save(actor=user, dossier_id=dossier.pk, version=1, values={"child_name": "Bé Na"}, prefilled=filled)
    response = _submit(client, dossier.pk, version=1, values=CHILD, reuse=[earlier.pk])
    assert response.status_code == 409 and "người khác cập nhật" in response.json()["detail"]
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT and dossier.form_data == {"child_name": "Bé Na"}
    assert not dossier.attachments.exists()  # the failed submission rolled back its attachment too
    form = client.get(reverse("api:dossier_form", args=[dossier.pk])).json()
    assert form["version"] == 2 and {f["name"]: f["value"] for f in form["fields"]}["child_name"] == "Bé Na"


def test_a_counter_officer_submits_for_the_citizen(applicant: Person, procedure: Procedure) -> None:
    earlier = _store_document(applicant)
    draft = ps.dossier(applicant=applicant, procedure=procedure, status=DossierStatus.DRAFT, channel=Channel.COUNTER)
    officer = _officer()
    form = officer.get(reverse("api:dossier_form", args=[draft.pk])).json()
    assert {f["name"]: f["value"] for f in form["fields"]}["full_name"] == "Trần Thị Hoà"
    response = _submit(officer, draft.pk, version=draft.version, values=CHILD, reuse=[earlier.pk])
    assert response.status_code == 200 and response.json()["status"] == "received"  # no e-ID level at the counter


def test_others_dossiers_are_not_found(applicant: Person, procedure: Procedure) -> None:
    dossier = ps.dossier(applicant=applicant, procedure=procedure, due_on=timezone.localdate() - timedelta(days=2))
    outsider = _officer(factories.TRA_VINH)
    stranger = login_citizen(Client(), ps.citizen())
    for client in (outsider, stranger):
        for name in ("api:dossier_detail", "api:dossier_form"):
            response = client.get(reverse(name, args=[dossier.pk]))
            assert response.status_code == 404 and applicant.full_name not in response.content.decode()
        assert _submit(client, dossier.pk, version=1, values=CHILD).status_code == 404
        assert dossier.code not in client.get(reverse("api:dossier_list")).content.decode()

    officer = _officer()
    queue = officer.get(reverse("api:dossier_list"), {"late": "true"}).json()
    assert [d["code"] for d in queue["items"]] == [dossier.code] and queue["items"][0]["timeliness"]["late"]
    assert AuditEvent.objects.filter(action="dossier.list", details__codes=[dossier.code]).exists()
    receptionist = login(Client(), factories.user_with_role(Role.CLINIC_RECEPTIONIST, factories.LONG_DUC))
    assert receptionist.get(reverse("api:dossier_list")).status_code == 403
    assert Client().get(reverse("api:dossier_list")).status_code == 401


def test_only_citizens_start_dossiers_online(procedure: Procedure) -> None:
    response = _json(_officer(), reverse("api:dossier_start"), {"procedure": procedure.code})
    assert response.status_code == 403 and "Chỉ công dân" in response.json()["detail"]
    citizen = login_citizen(Client(), ps.citizen())
    assert _json(citizen, reverse("api:dossier_start"), {"procedure": "VL-KHONG-CO"}).status_code == 404
    assert _json(Client(), reverse("api:dossier_start"), {"procedure": procedure.code}).status_code == 401


def test_the_document_store_shows_the_citizens_own_documents_only(applicant: Person) -> None:
    own = _store_document(applicant, kind="birth_certificate", title="Giấy khai sinh", signed=True)
    _store_document(factories.person(), title="Giấy của người khác")
    client = login_citizen(Client(), ps.citizen(applicant))
    listed = client.get(reverse("api:document_list")).json()
    assert [d["id"] for d in listed] == [own.pk]
    assert {"kind": "birth_certificate", "title": "Giấy khai sinh", "signed": True}.items() <= listed[0].items()
    assert listed[0]["download_url"].endswith(reverse("public_services:result_download", args=[own.pk]))
    assert _officer().get(reverse("api:document_list")).status_code == 403
    assert Client().get(reverse("api:document_list")).status_code == 401
