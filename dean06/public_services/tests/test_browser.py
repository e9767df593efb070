"""Issue #5 in a real browser (Debian Chromium through Playwright): a citizen logs in with the SANDBOX e-ID at
level 2 on a 360-px phone, files birth registration from the seeded catalogue with their data prefilled; an
officer receives, handles, approves and signs; the citizen downloads the signed result; `dean06 pdf verify` says it
is intact, valid and trusted, and a flipped byte makes it fail."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Browser, Page, ViewportSize, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from dean06.core.roles import Role
from dean06.public_services.choices import DossierStatus
from dean06.public_services.models import Dossier
from dean06.public_services.services.catalogue import procedures_load
from dean06.testing import factories
from dean06.testing.auth import login
from dean06.testing.eid import sandbox_login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("units_reloaded")]
SCREENSHOTS = Path("test-results")
PHONE = ViewportSize(width=360, height=740)
BIRTH = "VL-HT-KHAISINH"


@pytest.fixture(autouse=True)
def isolated(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DEAN06_SIGNING_DIR = str(tmp_path / "signing")


def _verify(path: Path) -> tuple[int, dict[str, object]]:
    out, code = io.StringIO(), 0
    with redirect_stdout(out):
        try:
            call_command("pdf", "verify", str(path))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, json.loads(out.getvalue())


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def _officer_page(browser: Browser, live_server: LiveServer) -> Page:
    client = login(Client(), factories.user_with_role(Role.ONE_STOP_OFFICER, factories.LONG_DUC))
    context = browser.new_context(locale="vi-VN")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def test_a_citizen_files_online_and_downloads_a_signed_result(
    browser: Browser, live_server: LiveServer, sandbox_provider: str, tmp_path: Path
) -> None:
    procedures_load()
    mother = factories.person(full_name="Lâm Thị Hoà", date_of_birth=date(1996, 4, 12), gender="Nữ")
    citizen = browser.new_context(locale="vi-VN", viewport=PHONE, accept_downloads=True).new_page()
    citizen.goto(f"{sandbox_provider}/dich-vu-cong/{BIRTH}/")
    citizen.get_by_role("link", name="Đăng nhập bằng VNeID để nộp hồ sơ").click()
    sandbox_login(citizen, mother, level=2)
    citizen.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()

    expect(citizen.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    name = citizen.get_by_label("Họ, chữ đệm, tên người đi đăng ký")
    expect(name).to_have_value("Lâm Thị Hoà")
    expect(name).to_be_disabled()
    expect(citizen.get_by_text("Lấy từ: Tài khoản định danh điện tử").first).to_be_visible()
    wide = citizen.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361)"
        ".map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + e.getBoundingClientRect().right)"
    )
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 360, wide  # no sideways scrolling
    citizen.get_by_label("Quan hệ với người được khai sinh").select_option("Mẹ")
    citizen.get_by_label("Họ, chữ đệm, tên của trẻ").fill("Trần Lâm Minh Khôi")
    citizen.get_by_label("Ngày sinh của trẻ").fill("20/11/2026")
    citizen.get_by_label("Giới tính của trẻ").select_option("Nam")
    citizen.get_by_label("Nơi sinh của trẻ").fill("Bệnh viện Đa khoa tỉnh Vĩnh Long")
    citizen.get_by_label("Dân tộc của trẻ").fill("Kinh")
    citizen.get_by_label("Số định danh cá nhân của mẹ").fill(mother.personal_id)
    notice = tmp_path / "giay-chung-sinh.pdf"
    notice.write_bytes(b"%PDF-1.4\n% giay chung sinh\n")
    citizen.locator("#doc_giay_chung_sinh").set_input_files(notice)
    _shot(citizen, "public-services-form-360")
    citizen.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    dossier = Dossier.objects.get(procedure__code=BIRTH, applicant=mother)
    assert dossier.status == DossierStatus.RECEIVED and dossier.form_data["child_full_name"] == "Trần Lâm Minh Khôi"
    _shot(citizen, "public-services-receipt-360")

    officer = _officer_page(browser, live_server)
    officer.goto(f"{live_server.url}/mot-cua/ho-so/")
    officer.get_by_role("link", name=dossier.code).click()
    for step in ("Phân công xử lý", "Bắt đầu giải quyết", "Phê duyệt", "Ký và phát hành kết quả"):
        officer.get_by_role("button", name=step).click()
    expect(officer.get_by_role("definition").filter(has_text="Đã có kết quả")).to_be_visible()
    _shot(officer, "public-services-officer")

    citizen.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
    with citizen.expect_download() as download_info:
        citizen.get_by_role("link", name=f"Giấy khai sinh — {dossier.code}").click()
    signed = tmp_path / "giay-khai-sinh.pdf"
    download_info.value.save_as(signed)
    code, verdict = _verify(signed)
    assert code == 0 and verdict["intact"] is True and verdict["valid"] is True and verdict["trusted"] is True
    flipped = bytearray(signed.read_bytes())
    flipped[len(flipped) // 2] ^= 0x20
    broken = tmp_path / "da-sua.pdf"
    broken.write_bytes(bytes(flipped))
    code, verdict = _verify(broken)
    assert code != 0 and not (verdict["intact"] and verdict["trusted"])
