"""Dossiers through the pages: a citizen files online with prefilled, locked fields; officers receive, handle and
approve; a supplement loop; two officers acting at once; the counter after a QR scan; deadlines and apology."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from dean06.core.models import AuditEvent, User
from dean06.core.roles import Role
from dean06.public_services.choices import DossierStatus
from dean06.public_services.models import CitizenDocument, Dossier, DossierEvent
from dean06.public_services.receipts import apology_letter
from dean06.public_services.services.dossiers import dossier_timeliness
from dean06.public_services.tests import factories as ps
from dean06.registry.models import Person
from dean06.testing import factories
from dean06.testing.auth import login, login_citizen

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% giay chung sinh\n"


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def applicant() -> Person:
    return factories.person(full_name="Trần Thị Hoà", date_of_birth=date(1994, 7, 2), gender="Nữ", phone="0912345678")


def _file(name: str = "giay-chung-sinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _start_online(client: Client, code: str) -> Dossier:
    response = client.post(reverse("public_services:dossier_start", args=[code]))
    assert response.status_code == 302, response.content.decode()
    return Dossier.objects.latest("pk")


def _officer(role: Role = Role.ONE_STOP_OFFICER) -> Client:
    return login(Client(), factories.user_with_role(role, factories.LONG_DUC))


def _act(client: Client, dossier: Dossier, action: str, note: str = "") -> int:
    dossier.refresh_from_db()
    data = {"action": action, "version": dossier.version, "note": note}
    return client.post(reverse("public_services:dossier_act", args=[dossier.pk]), data).status_code


def test_a_citizen_files_online_with_fields_prefilled_and_locked(applicant: Person) -> None:
    procedure = ps.birth_procedure()
    client = login_citizen(Client(), ps.citizen(applicant))
    dossier = _start_online(client, procedure.code)
    page = client.get(reverse("public_services:dossier_form", args=[dossier.pk])).content.decode()
    assert 'value="Trần Thị Hoà"' in page and "02/07/1994" in page and "Lấy từ: CSDL quốc gia về dân cư" in page
    assert "không cần khai lại" in page and "disabled" in page

    data = {
        "version": dossier.version,
        "intent": "submit",
        "full_name": "Người Khác",  # a locked field: whatever the browser sends, the registry's value is kept
        "child_name": "Nguyễn Trần Minh Khôi",
        "child_birth_date": "20/11/2026",
        "doc_giay_chung_sinh": _file(),
    }
    response = client.post(reverse("public_services:dossier_form", args=[dossier.pk]), data)
    assert response.status_code == 302 and response["Location"] == reverse("public_services:receipt", args=[dossier.pk])
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RECEIVED and dossier.channel == "online"
    assert (
        dossier.form_data["full_name"] == "Trần Thị Hoà" and dossier.form_data["personal_id"] == applicant.personal_id
    )
    assert dossier.sources["full_name"] == "registry" and dossier.population_data_used
    assert dossier.components_digitised == 1 and dossier.due_on is not None and dossier.received_at is not None
    receipt = client.get(reverse("public_services:receipt", args=[dossier.pk])).content.decode()
    assert dossier.code in receipt and "<svg" in receipt and dossier.due_on.strftime("%d/%m/%Y") in receipt
    assert AuditEvent.objects.filter(action="dossier.submit", object_id=str(dossier.pk)).exists()
    tracked = Client().get(reverse("public_services:track"), {"ma": dossier.code}).content.decode()
    assert "Đã tiếp nhận" in tracked and "Trần Thị Hoà" not in tracked


def test_a_missing_required_document_or_a_level_1_login_is_refused(applicant: Person) -> None:
    procedure = ps.birth_procedure()
    client = login_citizen(Client(), ps.citizen(applicant), level=1)
    dossier = _start_online(client, procedure.code)
    data = {"version": 1, "intent": "submit", "child_name": "Bé Na", "child_birth_date": "20/11/2026"}
    page = client.post(reverse("public_services:dossier_form", args=[dossier.pk]), data)
    assert page.status_code == 403 and "mức 2" in page.content.decode()

    client = login_citizen(Client(), User.objects.get(person=applicant), level=2)
    page = client.post(reverse("public_services:dossier_form", args=[dossier.pk]), data)
    assert page.status_code == 400 and "Còn thiếu thành phần hồ sơ: Giấy chứng sinh" in page.content.decode()
    bad_date = data | {"child_birth_date": "31/02/2026", "doc_giay_chung_sinh": _file()}
    page = client.post(reverse("public_services:dossier_form", args=[dossier.pk]), bad_date)
    assert page.status_code == 400 and "errorlist" in page.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT and not dossier.attachments.exists()


def test_a_draft_is_saved_and_comes_back(applicant: Person) -> None:
    procedure = ps.birth_procedure()
    client = login_citizen(Client(), ps.citizen(applicant))
    dossier = _start_online(client, procedure.code)
    data = {"version": 1, "intent": "draft", "child_name": "Nguyễn Văn Tí"}
    client.post(reverse("public_services:dossier_form", args=[dossier.pk]), data)
    page = client.get(reverse("public_services:dossier_form", args=[dossier.pk])).content.decode()
    assert 'value="Nguyễn Văn Tí"' in page


def _received(applicant: Person) -> Dossier:
    procedure = ps.birth_procedure(processing_days=3)
    client = login_citizen(Client(), ps.citizen(applicant))
    dossier = _start_online(client, procedure.code)
    data = {"version": 1, "intent": "submit", "child_name": "Bé Na", "child_birth_date": "20/11/2026"}
    client.post(reverse("public_services:dossier_form", args=[dossier.pk]), data | {"doc_giay_chung_sinh": _file()})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RECEIVED
    return dossier


def test_officers_handle_a_dossier_with_a_supplement_and_approve_it(applicant: Person) -> None:
    dossier = _received(applicant)
    officer = _officer()
    queue = officer.get(reverse("public_services:queue")).content.decode()
    assert dossier.code in queue and "Trần Thị Hoà" in queue
    assert _act(officer, dossier, "assign") == 302
    assert _act(officer, dossier, "start") == 302
    assert _act(officer, dossier, "request_supplement") == 400  # a reason is required
    assert _act(officer, dossier, "request_supplement", "Thiếu bản sao giấy chứng nhận kết hôn") == 302
    citizen = login_citizen(Client(), User.objects.get(person=applicant))
    dossier.refresh_from_db()
    data = {"version": dossier.version, "intent": "submit", "child_name": "Bé Na", "child_birth_date": "20/11/2026"}
    response = citizen.post(reverse("public_services:dossier_form", args=[dossier.pk]), data)
    assert response.status_code == 302
    for action in ("start", "approve"):
        assert _act(officer, dossier, action) == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.APPROVED and dossier.finished_at is not None
    actions = list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True))
    assert actions == ["submit", "assign", "start", "request_supplement", "resubmit", "start", "approve"]
    detail = citizen.get(reverse("public_services:dossier_detail", args=[dossier.pk])).content.decode()
    assert "Thiếu bản sao giấy chứng nhận kết hôn" in detail


def test_two_officers_acting_on_the_same_version_lose_nothing(applicant: Person) -> None:
    dossier = _received(applicant)
    first, second = _officer(), _officer()
    version = dossier.version
    url = reverse("public_services:dossier_act", args=[dossier.pk])
    assert first.post(url, {"action": "assign", "version": version}).status_code == 302
    late = second.post(url, {"action": "refuse", "version": version, "note": "Không đủ điều kiện"})
    assert late.status_code == 409 and "người khác cập nhật" in late.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.ASSIGNED and dossier.version == version + 1


def test_an_officer_of_another_commune_cannot_reach_the_dossier(applicant: Person) -> None:
    dossier = _received(applicant)
    outsider = login(Client(), factories.user_with_role(Role.ONE_STOP_OFFICER, factories.TRA_VINH))
    assert outsider.get(reverse("public_services:dossier_detail", args=[dossier.pk])).status_code == 404
    assert dossier.code not in outsider.get(reverse("public_services:queue")).content.decode()
    assert _act(outsider, dossier, "assign") == 404
    stranger = login_citizen(Client(), ps.citizen())
    assert stranger.get(reverse("public_services:dossier_detail", args=[dossier.pk])).status_code == 404


def test_the_counter_files_for_a_citizen_after_a_qr_scan_and_reuses_their_earlier_result(applicant: Person) -> None:
    procedure = ps.birth_procedure(eid_level=2)
    earlier = CitizenDocument.objects.create(
        person=applicant, kind="marriage_certificate", title="Giấy chứng nhận kết hôn", file="documents/kh.pdf"
    )
    officer = _officer()
    payload = f"{applicant.personal_id}||Trần Thị Hoà|02071994|Nữ|Phường Long Đức, Tỉnh Vĩnh Long|01012022"
    response = officer.post(reverse("public_services:counter"), {"procedure": procedure.pk, "scanned": payload})
    assert response.status_code == 302, response.content.decode()
    dossier = Dossier.objects.get(applicant=applicant)
    page = officer.get(response["Location"]).content.decode()
    assert "Trần Thị Hoà" in page and "Dùng lại từ kho dữ liệu: Giấy chứng nhận kết hôn" in page
    data = {
        "version": dossier.version,
        "intent": "submit",
        "child_name": "Bé Na",
        "child_birth_date": "20/11/2026",
        "doc_giay_chung_sinh": _file(),
        "reuse": [str(earlier.pk)],
    }
    response = officer.post(reverse("public_services:dossier_form", args=[dossier.pk]), data)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.channel == "counter" and dossier.status == DossierStatus.RECEIVED  # no e-ID level at the counter
    assert dossier.components_reused == 1 and dossier.attachments.filter(reused=earlier).exists()
    unknown = officer.post(reverse("public_services:counter"), {"procedure": procedure.pk, "scanned": "084099999999"})
    assert unknown.status_code == 400 and "Không tìm thấy công dân" in unknown.content.decode()


def test_a_late_dossier_shows_late_and_has_its_apology_letter(applicant: Person) -> None:
    dossier = ps.dossier(applicant=applicant, received_at=timezone.now() - timedelta(days=30))
    dossier.due_on = timezone.localdate() - timedelta(days=10)
    dossier.save()
    assert dossier_timeliness(dossier).late
    officer = _officer()
    queue = officer.get(reverse("public_services:queue"), {"tre_han": "1"}).content.decode()
    assert dossier.code in queue and "Trễ hạn" in queue
    letter = officer.get(reverse("public_services:apology", args=[dossier.pk])).content.decode()
    assert "THƯ XIN LỖI" in letter and "Trần Thị Hoà" in letter
    on_time = ps.dossier(due_on=timezone.localdate() + timedelta(days=10))
    assert apology_letter(on_time) is None and not dossier_timeliness(on_time).late


def test_the_fee_is_paid_from_the_receipt_by_gateway_or_vietqr(applicant: Person) -> None:
    dossier = ps.dossier(applicant=applicant, fee_vnd=20_000, procedure=ps.birth_procedure(fee_vnd=20_000))
    citizen = login_citizen(Client(), User.objects.get(person=applicant))
    receipt = reverse("public_services:receipt", args=[dossier.pk])
    assert "Thanh toán trực tuyến" in citizen.get(receipt).content.decode()
    citizen.post(reverse("public_services:fee_pay", args=[dossier.pk]), {"method": "vietqr"})
    page = citizen.get(receipt).content.decode()
    payment = dossier.payments.get()
    assert payment.method == "vietqr" and payment.reference in page and page.count("<svg") == 2
    gateway = citizen.post(reverse("public_services:fee_pay", args=[dossier.pk]), {"method": "gateway"})
    assert gateway.status_code == 302 and "/sandbox/payments/" in gateway["Location"]
    stranger = login_citizen(Client(), ps.citizen())
    assert (
        stranger.post(reverse("public_services:fee_pay", args=[dossier.pk]), {"method": "gateway"}).status_code == 404
    )


def test_a_stale_draft_save_keeps_what_was_typed(applicant: Person) -> None:
    procedure = ps.birth_procedure()
    client = login_citizen(Client(), ps.citizen(applicant))
    dossier = _start_online(client, procedure.code)
    url = reverse("public_services:dossier_form", args=[dossier.pk])
    client.post(url, {"version": 1, "intent": "draft", "child_name": "Lần đầu"})  # another device saved first
    page = client.post(url, {"version": 1, "intent": "draft", "child_name": "Nguyễn Văn Tí"})
    assert page.status_code == 409 and 'value="Nguyễn Văn Tí"' in page.content.decode()
    assert "người khác cập nhật" in page.content.decode()
