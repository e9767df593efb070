"""The shell in a real browser (Debian Chromium through Playwright): every demo role through the password and
second-factor steps, enrolment on a phone, English."""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from dean06.core.roles import Role
from dean06.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount, demo_accounts_create
from dean06.identity.staff_auth.selectors import SECOND_FACTOR_ROLES
from dean06.testing import factories

pytestmark = pytest.mark.browser

SCREENSHOTS = Path("test-results")
PHONE = ViewportSize(width=360, height=740)

QR = "Quét mã QR căn cước"  # identity:qr_scan, for person.view holders

# What each role finds in the menu beyond "Trang chủ" (the permission catalogue, as a user sees it).
CLEANSING = "Làm sạch dữ liệu"
QUALITY = "Đúng, đủ, sạch, sống"
MONITORING = "Theo dõi Đề án 06"
REPORTS = "Báo cáo tháng"
SERVICES = "Dịch vụ công"
QUEUE = "Hồ sơ một cửa"
PETITIONS = "Trả lời phản ánh"
MENU_ITEMS: dict[str | None, list[str]] = {
    Role.SYSTEM_ADMIN: [
        SERVICES,
        QUEUE,
        PETITIONS,
        "Tra cứu công dân",
        QR,
        CLEANSING,
        QUALITY,
        MONITORING,
        REPORTS,
        "Xuất danh sách",
        "Nhật ký truy cập",
        "Quản trị hệ thống",
    ],
    Role.WORKING_GROUP: [
        SERVICES,
        "Tra cứu công dân",
        QR,
        CLEANSING,
        QUALITY,
        MONITORING,
        REPORTS,
        "Xuất danh sách",
        "Nhật ký truy cập",
    ],
    Role.DEPARTMENT_OFFICER: [SERVICES, QUEUE, PETITIONS, "Tra cứu công dân", QR, MONITORING, REPORTS],
    Role.ONE_STOP_OFFICER: [SERVICES, QUEUE, PETITIONS, "Tra cứu công dân", QR, MONITORING, REPORTS],
    Role.COMMUNE_POLICE: [SERVICES, "Tra cứu công dân", QR, CLEANSING, QUALITY, MONITORING, REPORTS, "Xuất danh sách"],
    Role.LABOUR_OFFICER: [SERVICES, "Tra cứu công dân", QR, CLEANSING, QUALITY, "Xuất danh sách"],
    Role.CLINIC_RECEPTIONIST: [SERVICES],
    None: [SERVICES, "Hồ sơ của tôi", "Phản ánh, kiến nghị"],  # the citizen
}


def _log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()


def _pass_second_factor(page: Page) -> None:
    """Type the code the SANDBOX hint shows, as a demo user without an authenticator app would."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực 2 bước")
    hint = page.get_by_role("note").filter(has_text="mã hiện tại là")
    expect(hint).to_contain_text("SANDBOX: mã hiện tại là")
    code = re.search(r"mã hiện tại là (\d{6})", hint.inner_text())
    assert code is not None
    page.get_by_label("Mã xác thực").fill(code.group(1))
    page.get_by_role("button", name="Xác thực").click()


def _check_landing_page(page: Page, base_url: str, account: DemoAccount, full_name: str) -> None:
    _log_in(page, base_url, account.username, DEMO_PASSWORD)
    if account.role in SECOND_FACTOR_ROLES:
        _pass_second_factor(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Xin chào, {full_name}")
    menu = page.get_by_role("navigation", name="Chức năng").get_by_role("link")
    expect(menu).to_have_text(["Trang chủ", *MENU_ITEMS[account.role]])
    if account.role is None:
        expect(page.get_by_role("heading", name="Thông tin của tôi")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/dang-nhap/$"))


@pytest.mark.usefixtures("units_reloaded")  # the live server's flush empties the unit tables
def test_every_demo_account_logs_in_and_sees_its_menu(page: Page, live_server: LiveServer) -> None:
    for n in range(3):
        factories.person(full_name=f"Nguyễn Thị Mẫu {n}")
    names = {account.username: user.full_name for account, user in demo_accounts_create()}
    SCREENSHOTS.mkdir(exist_ok=True)
    for account in DEMO_ACCOUNTS:
        try:
            _check_landing_page(page, live_server.url, account, names[account.username])
        except Exception:
            page.screenshot(path=SCREENSHOTS / f"{account.username}.png", full_page=True)
            raise


@pytest.mark.usefixtures("units_reloaded")
def test_an_officer_past_the_password_only_cannot_open_the_person_list(page: Page, live_server: LiveServer) -> None:
    factories.person(full_name="Thạch Thị Sa Rây")
    demo_accounts_create()
    _log_in(page, live_server.url, "congan.longduc", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cong-dan/")
    expect(page).to_have_url(re.compile(r"/xac-thuc-2-buoc/\?next=%2Fcong-dan%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực 2 bước")
    expect(page.get_by_text("Thạch Thị Sa Rây")).to_have_count(0)
    _pass_second_factor(page)
    expect(page).to_have_url(re.compile(r"/cong-dan/$"))
    expect(page.get_by_role("link", name="Thạch Thị Sa Rây")).to_be_visible()


@pytest.mark.usefixtures("units_reloaded")
def test_person_search_on_a_phone(page: Page, live_server: LiveServer) -> None:
    target = factories.person(full_name="Thạch Thị Sa Rây", address="Khóm 3, đường Nguyễn Thị Minh Khai rất dài")
    for n in range(5):
        factories.person(full_name=f"Nguyễn Văn Số {n}")
    factories.user_with_role(Role.COMMUNE_POLICE, username="congan.dienthoai")
    page.set_viewport_size(PHONE)
    _log_in(page, live_server.url, "congan.dienthoai", "mat-khau-thu-nghiem")

    # First sign-in: enrol an authenticator (the test computes the code the app would show), keep the codes.
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký xác thực 2 bước")
    expect(page.get_by_role("img", name="Mã QR chứa khóa bí mật")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Mã xác thực").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("list", name="Mã dự phòng").get_by_role("listitem")).to_have_count(10)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()

    page.get_by_role("link", name="Tra cứu công dân").first.click()
    expect(page.get_by_role("status")).to_have_text("Tìm thấy 6 công dân.")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_label("Họ tên, số định danh cá nhân hoặc số CMND").fill("sa ray")  # htmx searches as one types
    expect(page.get_by_role("status")).to_have_text("Tìm thấy 1 công dân.")
    expect(page.get_by_role("link", name="Thạch Thị Sa Rây")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?q=sa(\+|%20)ray$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("link", name="Thạch Thị Sa Rây").click()
    page.get_by_label("Xác minh, đối chiếu thông tin").check()
    page.get_by_role("button", name="Xem hồ sơ").click()
    expect(page.get_by_text(target.personal_id)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_login_page_switches_to_english_and_back(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/dang-nhap/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_label("Username")).to_be_visible()
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
