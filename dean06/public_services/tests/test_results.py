"""Results: an approved dossier's result signed as PDF, downloaded by its holder, verified (pages and command),
broken by one flipped byte, and reused by a later dossier without an upload."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from dean06.core.models import User
from dean06.core.roles import Role
from dean06.public_services.choices import DossierStatus
from dean06.public_services.models import CitizenDocument, Dossier
from dean06.public_services.tests import factories as ps
from dean06.testing import factories
from dean06.testing.auth import login, login_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def isolated(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DEAN06_SIGNING_DIR = str(tmp_path / "signing")


def _approved() -> Dossier:
    return ps.dossier(
        procedure=ps.birth_procedure(),
        status=DossierStatus.APPROVED,
        form_data={
            "full_name": "Trần Thị Hoà",
            "child_name": "Nguyễn Trần Minh Khôi",
            "child_birth_date": "20/11/2026",
        },
    )


def _verify(path: Path) -> tuple[int, dict[str, object]]:
    out = io.StringIO()
    code = 0
    with redirect_stdout(out):
        try:
            call_command("pdf", "verify", str(path))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, json.loads(out.getvalue())


def test_a_signed_result_is_issued_downloaded_and_verified(tmp_path: Path) -> None:
    dossier = _approved()
    officer = login(Client(), factories.user_with_role(Role.ONE_STOP_OFFICER, factories.LONG_DUC))
    response = officer.post(reverse("public_services:result_issue", args=[dossier.pk]), {"version": dossier.version})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RESULT_ISSUED and dossier.electronic_result
    document = CitizenDocument.objects.get(source_dossier=dossier)
    assert document.kind == "birth_certificate" and document.signed and document.person == dossier.applicant

    citizen = login_citizen(Client(), User.objects.get(person=dossier.applicant))
    download = citizen.get(reverse("public_services:result_download", args=[document.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    signed = tmp_path / "ket-qua.pdf"
    signed.write_bytes(download.content)
    code, verdict = _verify(signed)
    assert code == 0 and verdict["signed"] and verdict["intact"] and verdict["valid"] and verdict["trusted"]

    flipped = bytearray(download.content)
    flipped[len(flipped) // 3] ^= 0x01
    broken = tmp_path / "sua.pdf"
    broken.write_bytes(bytes(flipped))
    code, verdict = _verify(broken)
    assert code != 0 and not (verdict["intact"] and verdict["trusted"])

    page = Client().get(reverse("public_services:result_verify_code", args=[dossier.code])).content.decode()
    assert "Chữ ký số hợp lệ" in page and dossier.applicant.full_name not in page

    outsider = login(Client(), factories.user_with_role(Role.ONE_STOP_OFFICER, factories.TRA_VINH))
    assert outsider.get(reverse("public_services:result_download", args=[document.pk])).status_code == 404
    assert login_citizen(Client(), ps.citizen()).get(download.request["PATH_INFO"]).status_code == 404
    again = outsider.post(reverse("public_services:result_issue", args=[dossier.pk]), {"version": dossier.version})
    assert again.status_code == 404


def test_a_later_dossier_reuses_the_result_without_an_upload() -> None:
    dossier = _approved()
    officer = login(Client(), factories.user_with_role(Role.ONE_STOP_OFFICER, factories.LONG_DUC))
    officer.post(reverse("public_services:result_issue", args=[dossier.pk]), {"version": dossier.version})
    result = CitizenDocument.objects.get(source_dossier=dossier)
    insurance = ps.procedure(
        name="Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
        eid_level=2,
        documents=[
            {"key": "giay_khai_sinh", "name": "Giấy khai sinh", "required": True, "store_kind": "birth_certificate"}
        ],
    )
    citizen = login_citizen(Client(), User.objects.get(person=dossier.applicant))
    citizen.post(reverse("public_services:dossier_start", args=[insurance.code]))
    later = Dossier.objects.get(procedure=insurance)
    page = citizen.get(reverse("public_services:dossier_form", args=[later.pk])).content.decode()
    assert f'name="reuse" value="{result.pk}"' in page
    response = citizen.post(
        reverse("public_services:dossier_form", args=[later.pk]),
        {"version": later.version, "intent": "submit", "reuse": [str(result.pk)]},
    )
    assert response.status_code == 302, response.content.decode()
    later.refresh_from_db()
    assert later.status == DossierStatus.RECEIVED and later.components_reused == 1
    assert later.attachments.get().reused == result


def test_an_unsigned_or_unreadable_file_is_a_clear_no(tmp_path: Path) -> None:
    page = (
        Client()
        .post(reverse("public_services:result_verify"), {"file": io.BytesIO(b"not a pdf at all")})
        .content.decode()
    )
    assert "Không xác nhận được văn bản" in page
