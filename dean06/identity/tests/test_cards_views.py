"""The card scan page /quet-ma-qr/ and the JSON API under /api/identity/ (issue #3, points 3–4)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dean06.core.models import AuditEvent
from dean06.core.roles import Role
from dean06.identity.tests.test_qr_image import card_qr, encoded, on_card
from dean06.identity.tests.test_qr_payload import SAMPLES, TRA_VINH
from dean06.testing import factories
from dean06.testing.auth import login
from dean06.testing.http import body_of

pytestmark = pytest.mark.django_db
HTMX = {"hx-request": "true"}


def _client(role: Role = Role.COMMUNE_POLICE) -> Client:
    return login(Client(), factories.user_with_role(role, factories.LONG_DUC))


def _jpeg(name: str = "the.jpg", payload: str = TRA_VINH) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, encoded(on_card(card_qr(payload)), "JPEG", quality=80), "image/jpeg")


def _scans() -> list[tuple[str, str, dict[str, object]]]:
    return list(AuditEvent.objects.filter(action="card.scan").values_list("actor_label", "object_id", "details"))


# The page


def test_the_page_offers_scanner_photo_and_camera() -> None:
    response = _client().get(reverse("identity:qr_scan"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_payload">Nội dung mã QR</label>' in body
    assert '<label for="id_image">Ảnh chụp mặt thẻ có mã QR</label>' in body
    assert 'type="file" name="image" accept="image/*" capture="environment"' in body
    assert 'hx-post="/quet-ma-qr/"' in body and 'data-frame-url="/quet-ma-qr/khung-hinh/"' in body
    assert '<script src="/static/identity/qr_scan.js" defer></script>' in body
    assert "<script>" not in body and "style=" not in body  # the CSP allows neither
    assert "Content-Security-Policy" in response.headers


def test_the_camera_script_and_style_are_served() -> None:
    for path in ("/static/identity/qr_scan.js", "/static/identity/qr_scan.css"):
        response = Client().get(path)
        assert response.status_code == 200
        body_of(response)


def test_anonymous_visitors_are_sent_to_login() -> None:
    response = Client().get(reverse("identity:qr_scan"))
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/?next=/quet-ma-qr/"
    assert Client().post(reverse("identity:qr_scan_frame"))["Location"].startswith("/dang-nhap/")


def test_an_anonymous_htmx_post_is_redirected_by_htmx() -> None:
    response = Client().post(reverse("identity:qr_scan"), {"payload": TRA_VINH}, headers=HTMX)
    assert response["HX-Redirect"].startswith("/dang-nhap/")


def test_roles_that_may_not_look_up_persons_get_403() -> None:
    client = _client(Role.CLINIC_RECEPTIONIST)
    assert client.get(reverse("identity:qr_scan")).status_code == 403
    assert client.post(reverse("identity:qr_scan"), {"payload": TRA_VINH}).status_code == 403
    assert client.post(reverse("identity:qr_scan_frame"), {"frame": _jpeg()}).status_code == 403
    assert _scans() == []


def test_a_usb_scan_posted_by_htmx_shows_the_card_and_is_audited() -> None:
    client = _client()
    response = client.post(reverse("identity:qr_scan"), {"payload": TRA_VINH + "\r"}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body  # the result panel only
    for shown in ("Thạch Thị Sa Rây", "084185000001", "15/05/1985", "Nữ", "20/04/2021", "Ấp Phú Hòa, Xã Long Đức"):
        assert shown in body
    assert "Phường Long Đức (29263)" in body and "đã xác định" in body
    user = response.wsgi_request.user.get_username()
    assert _scans() == [(user, "084185000001", {"source": "usb"})]
    assert AuditEvent.objects.get(action="card.scan").object_type == "identity.card"


def test_warnings_and_the_old_id_are_shown() -> None:
    body = _client().post(reverse("identity:qr_scan"), {"payload": SAMPLES[4]}, headers=HTMX).content.decode()
    assert "012345678" in body and "Cần lưu ý" not in body
    body = _client().post(reverse("identity:qr_scan"), {"payload": SAMPLES[3]}, headers=HTMX).content.decode()
    assert "Cần lưu ý" in body and "Chữ số thứ 4 “1” là của giới tính Nữ, nhưng giới tính ghi là Nam." in body


def test_a_bad_payload_shows_the_errors_and_is_not_audited() -> None:
    payload = TRA_VINH.replace("15051985", "31022000")
    body = _client().post(reverse("identity:qr_scan"), {"payload": payload}, headers=HTMX).content.decode()
    assert "Không đọc được thẻ" in body and "“31022000” không có trên lịch" in body
    assert "Thạch Thị Sa Rây" not in body
    assert _scans() == []


def test_without_htmx_the_whole_page_comes_back_with_the_result() -> None:
    response = _client().post(reverse("identity:qr_scan"), {"payload": TRA_VINH})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body and "Thạch Thị Sa Rây" in body
    assert 'id="id_payload"' in body and f'value="{TRA_VINH}"' not in body  # an empty form for the next card


def test_an_empty_submission_asks_for_a_scan() -> None:
    body = _client().post(reverse("identity:qr_scan"), {"payload": " "}, headers=HTMX).content.decode()
    assert "Hãy quét mã QR bằng máy quét USB, chọn ảnh chụp thẻ, hoặc bật camera." in body


def test_a_photo_upload_is_decoded_and_audited() -> None:
    client = _client()
    response = client.post(reverse("identity:qr_scan"), {"image": _jpeg()}, headers=HTMX)
    assert "Thạch Thị Sa Rây" in response.content.decode()
    assert [(object_id, details) for _, object_id, details in _scans()] == [("084185000001", {"source": "photo"})]


def test_a_photo_without_a_code_says_so() -> None:
    blank = SimpleUploadedFile("blank.png", encoded(on_card(card_qr().point(lambda _: 255))), "image/png")
    body = _client().post(reverse("identity:qr_scan"), {"image": blank}, headers=HTMX).content.decode()
    assert "Không tìm thấy mã QR trong ảnh" in body


def test_the_page_in_english() -> None:
    client = _client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.post(reverse("identity:qr_scan"), {"payload": SAMPLES[3]}, headers=HTMX).content.decode()
    assert "The 4th digit “1” means female, but the gender given is male (Nam)." in body


# Camera frames


def test_a_camera_frame_without_a_code_is_204() -> None:
    frame = SimpleUploadedFile("frame.jpg", encoded(on_card(card_qr().point(lambda _: 255)), "JPEG"), "image/jpeg")
    response = _client().post(reverse("identity:qr_scan_frame"), {"frame": frame})
    assert response.status_code == 204 and _scans() == []


def test_a_camera_frame_with_the_card_fills_the_result_and_stops_the_camera() -> None:
    response = _client().post(reverse("identity:qr_scan_frame"), {"frame": _jpeg("frame.jpg")})
    assert response.status_code == 200 and response["X-Card-Found"] == "true"
    assert "Thạch Thị Sa Rây" in response.content.decode()
    assert [details for *_, details in _scans()] == [{"source": "camera"}]


def test_a_camera_frame_with_another_code_keeps_scanning() -> None:
    response = _client().post(reverse("identity:qr_scan_frame"), {"frame": _jpeg(payload="https://vneid.gov.vn")})
    assert response.status_code == 200 and response["X-Card-Found"] == "false"
    assert "Mã QR có 1 trường" in response.content.decode()


def test_a_frame_post_without_a_frame_is_400() -> None:
    assert _client().post(reverse("identity:qr_scan_frame")).status_code == 400


# API


def test_api_id_check() -> None:
    response = _client(Role.CLINIC_RECEPTIONIST).get(
        reverse("api:id_check"), {"number": "084085000001", "dob": "1985-05-15", "gender": "Nam"}
    )
    assert response.status_code == 200
    result = response.json()
    assert (result["valid"], result["province_name"], result["century"]) == (True, "Trà Vinh", 1900)
    mismatch = _client().get(reverse("api:id_check"), {"number": "084085000001", "gender": "Nữ"}).json()
    (error,) = mismatch["errors"]
    assert error["code"] == "gender_mismatch" and "giới tính ghi là Nữ" in error["message"]


def test_api_id_check_rejects_bad_parameters_and_anonymous_callers() -> None:
    client = _client()
    assert client.get(reverse("api:id_check"), {"number": "1", "gender": "Male"}).status_code == 422
    assert client.get(reverse("api:id_check"), {"number": "1", "dob": "15/05/1985"}).status_code == 422
    assert client.get(reverse("api:id_check")).status_code == 422
    assert Client().get(reverse("api:id_check"), {"number": "1"}).status_code == 401


def _parse(client: Client, payload: str) -> tuple[int, dict[str, object]]:
    response = client.post(reverse("api:qr_parse"), json.dumps({"payload": payload}), content_type="application/json")
    return response.status_code, response.json()


def test_api_qr_parse() -> None:
    status, result = _parse(_client(), SAMPLES[3])
    assert status == 200 and result["ok"] is True and result["personal_id"] == "079198000123"
    assert result["commune"] == {
        "status": "ok",
        "communes": [{"code": "27301", "name": "Phường Chợ Quán", "province_code": "79"}],
        "message": "Đơn vị hiện nay: Phường Chợ Quán (27301), Thành phố Hồ Chí Minh.",
    }
    assert [w["code"] for w in result["warnings"]] == ["gender_mismatch"]  # type: ignore[attr-defined]
    assert [details for *_, details in _scans()] == [{"source": "api"}]


def test_api_qr_parse_permissions() -> None:
    status, result = _parse(_client(Role.CLINIC_RECEPTIONIST), TRA_VINH)
    assert status == 403 and "không có quyền" in str(result["detail"])
    assert _parse(Client(), TRA_VINH)[0] == 401
    assert _parse(_client(), "x" * 2001)[0] == 422
    assert _scans() == []


def test_api_qr_parse_refuses_lone_surrogates() -> None:
    assert _parse(_client(), TRA_VINH.replace("Sa Rây", "Sa R\ud800y"))[0] == 422  # not a server error


def test_api_qr_decode() -> None:
    client = _client()
    response = client.post(reverse("api:qr_decode"), {"image": _jpeg()})
    assert response.status_code == 200
    result = response.json()
    assert (result["ok"], result["decoded"], result["full_name"]) == (True, True, "Thạch Thị Sa Rây")
    blank = io.BytesIO(encoded(card_qr().point(lambda _: 255)))
    result = client.post(reverse("api:qr_decode"), {"image": blank}).json()
    assert (result["ok"], result["decoded"], result["errors"][0]["code"]) == (False, False, "no_qr_code")
    assert _client(Role.CLINIC_RECEPTIONIST).post(reverse("api:qr_decode"), {"image": _jpeg()}).status_code == 403
    assert Client().post(reverse("api:qr_decode"), {"image": _jpeg()}).status_code == 401
