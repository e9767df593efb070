"""The web shell: login and language, menus per role, error pages, the list, detail, export and audit pages."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.template import loader
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dean06.core.models import AuditEvent, User
from dean06.core.roles import Role
from dean06.testing import factories
from dean06.testing.auth import login
from dean06.testing.http import body_of
from dean06.web.csv_export import cell

pytestmark = pytest.mark.django_db


def _client_for(user: User) -> Client:
    return login(Client(), user)


def _client_with(role: Role, unit_code: str = factories.LONG_DUC) -> Client:
    return _client_for(factories.user_with_role(role, unit_code))


def _english(client: Client) -> Client:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


# Login and language


def test_login_page_is_vietnamese_even_for_an_english_browser() -> None:
    response = Client().get(reverse("web:login"), headers={"accept-language": "en-US,en;q=0.9"})
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in body
    assert "Tên đăng nhập" in body and "Mật khẩu" in body
    assert '<label for="id_username">' in body


def test_login_page_in_english_after_switching() -> None:
    client = _english(Client())
    body = client.get(reverse("web:login")).content.decode()
    assert '<html lang="en">' in body
    assert "Username" in body and "Password" in body and "Log in" in body
    assert "Tên đăng nhập" not in body
    assert ">Tiếng Việt</button>" in body  # the switch offers the way back


def test_wrong_password_shows_a_vietnamese_error_and_no_session() -> None:
    factories.user_with_role(Role.COMMUNE_POLICE, username="canbo.sai")
    response = Client().post(reverse("web:login"), {"username": "canbo.sai", "password": "khong-dung-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_login_then_logout_by_post() -> None:
    factories.user_with_role(Role.COMMUNE_POLICE, username="canbo.dung")
    client = Client()
    response = client.post(reverse("web:login"), {"username": "canbo.dung", "password": "mat-khau-thu-nghiem"})
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    assert client.get(reverse("web:logout")).status_code == 405  # logging out is an action: POST only
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("web:login")
    assert client.get(reverse("web:home")).status_code == 302


# Dashboard and menus


def test_anonymous_dashboard_redirects_to_login() -> None:
    response = Client().get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:login") + "?next=/"


def test_anonymous_htmx_request_is_sent_to_login_by_htmx_not_swapped() -> None:
    response = Client().get(reverse("web:person_list"), headers={"hx-request": "true"})
    assert response["HX-Redirect"].startswith(reverse("web:login"))


MENUS = {
    Role.SYSTEM_ADMIN: [
        "web:home",
        "public_services:procedure_list",
        "public_services:queue",
        "public_services:petition_queue",
        "web:person_list",
        "identity:qr_scan",
        "cleansing:run_list",
        "cleansing:dashboard",
        "monitoring:dashboard",
        "monitoring:report_list",
        "web:person_export",
        "web:audit_log",
        "admin:index",
    ],
    Role.WORKING_GROUP: [
        "web:home",
        "public_services:procedure_list",
        "web:person_list",
        "identity:qr_scan",
        "cleansing:run_list",
        "cleansing:dashboard",
        "monitoring:dashboard",
        "monitoring:report_list",
        "web:person_export",
        "web:audit_log",
    ],
    Role.DEPARTMENT_OFFICER: [
        "web:home",
        "public_services:procedure_list",
        "public_services:queue",
        "public_services:petition_queue",
        "web:person_list",
        "identity:qr_scan",
        "monitoring:dashboard",
        "monitoring:report_list",
    ],
    Role.ONE_STOP_OFFICER: [
        "web:home",
        "public_services:procedure_list",
        "public_services:queue",
        "public_services:petition_queue",
        "web:person_list",
        "identity:qr_scan",
        "monitoring:dashboard",
        "monitoring:report_list",
    ],
    Role.COMMUNE_POLICE: [
        "web:home",
        "public_services:procedure_list",
        "web:person_list",
        "identity:qr_scan",
        "cleansing:run_list",
        "cleansing:dashboard",
        "monitoring:dashboard",
        "monitoring:report_list",
        "web:person_export",
    ],
    Role.LABOUR_OFFICER: [
        "web:home",
        "public_services:procedure_list",
        "web:person_list",
        "identity:qr_scan",
        "cleansing:run_list",
        "cleansing:dashboard",
        "web:person_export",
    ],
    Role.CLINIC_RECEPTIONIST: ["web:home", "public_services:procedure_list"],
}


@pytest.mark.parametrize("role", list(Role))
def test_dashboard_menu_follows_the_role_permissions(role: Role) -> None:
    response = _client_with(role).get(reverse("web:home"))
    assert response.status_code == 200
    assert [entry.item.url_name for entry in response.context["menu"]] == MENUS[role]
    nav = response.content.decode().split('<nav class="menu"', 1)[1].split("</nav>", 1)[0]
    for url_name in MENUS[role]:
        assert f'href="{reverse(url_name)}"' in nav
    assert 'aria-current="page">Trang chủ</a>' in nav


def test_dashboard_greets_with_name_role_unit_and_counts() -> None:
    factories.person(full_name="Kim Văn Hai")
    factories.person(full_name="Lâm Thị Ba", status="deceased", death_date=date(2020, 1, 2))
    factories.person(factories.TRA_VINH, full_name="Ở Nơi Khác")
    user = factories.user_with_role(Role.COMMUNE_POLICE, full_name="Sơn Văn Tài")
    response = _client_for(user).get(reverse("web:home"))
    body = response.content.decode()
    assert "Xin chào, Sơn Văn Tài" in body
    assert "Công an xã — Phường Long Đức" in body
    counts = response.context["counts"]
    assert (counts.total, counts.deceased) == (2, 1)
    assert "Ở Nơi Khác" not in body and "Kim Văn Hai" not in body  # counts only, no names


def test_receptionist_dashboard_has_no_person_data() -> None:
    factories.person()
    response = _client_with(Role.CLINIC_RECEPTIONIST).get(reverse("web:home"))
    assert response.context["counts"] is None
    body = response.content.decode()
    assert "Dịch vụ công" in body and "Tra cứu công dân" not in body


def test_citizen_sees_their_own_record_and_the_read_is_audited() -> None:
    own = factories.person(full_name="Thạch Thị Sa Rây")
    factories.person(full_name="Người Khác")
    citizen = User.objects.create_user("congdan.test", password="x", kind=User.Kind.CITIZEN, person=own)
    body = _client_for(citizen).get(reverse("web:home")).content.decode()
    assert "Thông tin của tôi" in body and own.personal_id in body and "15/05/1985" in body
    assert "Người Khác" not in body
    assert AuditEvent.objects.filter(action="person.read_own", actor_id=citizen.pk, object_id=str(own.pk)).exists()


def test_dashboard_in_english_translates_roles_and_menu() -> None:
    body = _english(_client_with(Role.COMMUNE_POLICE)).get(reverse("web:home")).content.decode()
    assert "Hello, " in body and "Commune police" in body and "Search citizens" in body


# Error pages


def test_missing_person_is_a_vietnamese_404() -> None:
    response = _client_with(Role.COMMUNE_POLICE).get(
        reverse("web:person_detail", args=[987654321]) + "?purpose=verification"
    )
    body = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="vi">' in body and "Không tìm thấy" in body


def test_unknown_url_is_a_vietnamese_404() -> None:
    response = Client().get("/khong-co-trang-nay/")
    assert response.status_code == 404 and "Không tìm thấy" in response.content.decode()


def test_forbidden_page_is_a_vietnamese_403() -> None:
    response = _client_with(Role.CLINIC_RECEPTIONIST).get(reverse("web:person_list"))
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này." in response.content.decode()


def test_expired_form_is_a_vietnamese_403() -> None:
    response = Client(enforce_csrf_checks=True).post(reverse("web:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403 and "Biểu mẫu đã hết hạn" in response.content.decode()


def test_server_error_page_needs_no_context_and_has_both_languages() -> None:
    html = loader.get_template("500.html").render()
    assert "Lỗi hệ thống" in html and "Server error" in html


# Person list


def test_person_list_orders_by_vietnamese_collation_and_shows_dates_dd_mm_yyyy() -> None:
    factories.person(full_name="Đặng Văn An", date_of_birth=date(1990, 3, 7))
    factories.person(full_name="Dương Văn An")
    factories.person(full_name="Lê Thị Ánh")
    response = _client_with(Role.ONE_STOP_OFFICER).get(reverse("web:person_list"))
    names = [p.full_name for p in response.context["persons"]]
    # Given name first (An < Ánh), then d before đ although "dang" < "duong" without accents.
    assert names == ["Dương Văn An", "Đặng Văn An", "Lê Thị Ánh"]
    assert "07/03/1990" in response.content.decode()


def test_person_list_htmx_returns_the_results_fragment_and_audits_the_page() -> None:
    shown = factories.person(full_name="Nguyễn Thị Hòa")
    factories.person(full_name="Trần Văn Bảy")
    user = factories.user_with_role(Role.ONE_STOP_OFFICER)
    response = _client_for(user).get(reverse("web:person_list") + "?q=hoa", headers={"hx-request": "true"})
    body = response.content.decode()
    assert "<html" not in body and "Nguyễn Thị Hòa" in body and "Trần Văn Bảy" not in body
    assert 'id="result-status"' in body and 'hx-swap-oob="true"' in body
    assert "HX-Request" in response["Vary"]
    event = AuditEvent.objects.get(action="person.list", actor_id=user.pk)
    assert event.details == {"query": "hoa", "count": 1, "ids": [shown.pk]}


def test_person_list_pages_keep_the_query() -> None:
    for n in range(27):
        factories.person(full_name=f"Nguyễn Văn Số {n:02d}")
    body = _client_with(Role.ONE_STOP_OFFICER).get(reverse("web:person_list") + "?q=so").content.decode()
    assert "Trang 1/2" in body and 'href="?q=so&amp;page=2"' in body


# Person detail


def test_person_detail_asks_for_a_purpose_before_showing_anything() -> None:
    target = factories.person()
    response = _client_with(Role.COMMUNE_POLICE).get(reverse("web:person_detail", args=[target.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mục đích truy cập" in body and 'name="purpose"' in body
    assert target.personal_id not in body and target.full_name not in body
    assert not AuditEvent.objects.filter(action="person.read").exists()


def test_person_detail_with_an_invalid_purpose_shows_the_error_beside_the_field() -> None:
    target = factories.person()
    response = _client_with(Role.COMMUNE_POLICE).get(reverse("web:person_detail", args=[target.pk]) + "?purpose=to-mo")
    body = response.content.decode()
    assert 'aria-describedby="id_purpose_error"' in body and 'id="id_purpose_error"' in body
    assert target.personal_id not in body


def test_person_detail_shows_the_record_and_audits_the_purpose() -> None:
    target = factories.person(date_of_birth=date(2001, 12, 9))
    user = factories.user_with_role(Role.COMMUNE_POLICE)
    response = _client_for(user).get(reverse("web:person_detail", args=[target.pk]) + "?purpose=public_service")
    body = response.content.decode()
    assert target.personal_id in body and "09/12/2001" in body
    assert "Giải quyết thủ tục hành chính" in body
    event = AuditEvent.objects.get(action="person.read", actor_id=user.pk)
    assert (event.object_id, event.purpose) == (str(target.pk), "public_service")


# Export


def test_export_asks_for_a_purpose_first_and_keeps_the_query() -> None:
    response = _client_with(Role.COMMUNE_POLICE).get(reverse("web:person_export") + "?q=sa ray")
    body = response.content.decode()
    assert response.status_code == 200 and 'name="purpose"' in body and 'value="sa ray"' in body


def test_export_is_excel_safe_csv_with_bom() -> None:
    factories.person(full_name='=HYPERLINK("http://evil.example","Bấm vào")')
    factories.person(full_name="Thạch Thị Sa Rây", date_of_birth=date(1999, 1, 31))
    user = factories.user_with_role(Role.COMMUNE_POLICE)
    response = _client_for(user).get(reverse("web:person_export") + "?purpose=data_cleansing")
    content = body_of(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="cong-dan-')
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Số định danh cá nhân", "Số CMND 9 số", "Họ và tên"]
    names = {row[2] for row in rows[1:]}
    assert names == {'\'=HYPERLINK("http://evil.example","Bấm vào")', "Thạch Thị Sa Rây"}
    assert any(row[3] == "31/01/1999" for row in rows[1:])
    event = AuditEvent.objects.get(action="person.export", actor_id=user.pk)
    assert (event.purpose, event.details["count"]) == ("data_cleansing", 2)


@pytest.mark.parametrize("dangerous", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_cells_that_a_spreadsheet_would_evaluate_get_an_apostrophe(dangerous: str) -> None:
    assert cell(dangerous) == "'" + dangerous


def test_ordinary_cells_are_unchanged() -> None:
    assert [cell("Nguyễn Văn An"), cell("084085000001"), cell(None)] == ["Nguyễn Văn An", "084085000001", ""]


# Audit log


def _events() -> None:
    reader = factories.user_with_role(Role.COMMUNE_POLICE, username="congan.a")
    target = factories.person()
    client = _client_for(reader)
    client.get(reverse("web:person_detail", args=[target.pk]) + "?purpose=verification")
    client.get(reverse("web:person_list") + "?q=an")


def test_audit_log_lists_and_filters_entries() -> None:
    _events()
    client = _client_with(Role.WORKING_GROUP, factories.PROVINCE)
    url = reverse("web:audit_log")
    assert client.get(url).context["page"].paginator.count == 2
    read = client.get(url + "?action=person.read&actor=CONGAN.A")
    assert [e.action for e in read.context["page"]] == ["person.read"]
    assert "Xác minh, đối chiếu thông tin" in read.content.decode()
    assert client.get(url + "?actor=someone-else").context["page"].paginator.count == 0
    today = timezone.localdate()
    assert (
        client.get(url + f"?date_from={today:%d/%m/%Y}&date_to={today:%d/%m/%Y}").context["page"].paginator.count == 2
    )
    tomorrow = today + timedelta(days=1)
    assert client.get(url + f"?date_from={tomorrow:%d/%m/%Y}").context["page"].paginator.count == 0


def test_audit_log_never_pages_past_the_end_and_is_read_only() -> None:
    _events()
    client = _client_with(Role.WORKING_GROUP, factories.PROVINCE)
    page = client.get(reverse("web:audit_log") + "?page=999").context["page"]
    assert page.number == 1 and len(page.object_list) == 2
    assert client.post(reverse("web:audit_log")).status_code == 405


def test_audit_log_date_errors_are_shown_beside_the_field() -> None:
    client = _client_with(Role.WORKING_GROUP, factories.PROVINCE)
    body = client.get(reverse("web:audit_log") + "?date_from=31/12/2025&date_to=01/01/2025").content.decode()
    assert 'id="id_date_to_error"' in body and 'aria-describedby="id_date_to_error"' in body


def test_audit_log_requires_audit_view() -> None:
    assert _client_with(Role.COMMUNE_POLICE).get(reverse("web:audit_log")).status_code == 403
    assert Client().get(reverse("web:audit_log")).status_code == 302
