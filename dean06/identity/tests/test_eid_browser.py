"""Citizen e-ID login in a real browser (Debian Chromium through Playwright), against the SANDBOX provider.

dean06 (the relying party) and the SANDBOX provider run in the same live server; the relying party fetches
discovery, JWKS and tokens from the provider over real HTTP on the loopback interface.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dean06.core.models import AuditEvent, User
from dean06.testing import factories
from dean06.testing.eid import sandbox_login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("units_reloaded")]

SCREENSHOTS = Path("test-results")
VNEID_BUTTON = "Đăng nhập bằng tài khoản định danh điện tử (VNeID)"


def _screenshot_on_failure(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_e_id_login_at_level_1_then_level_2(page: Page, sandbox_provider: str) -> None:
    base = sandbox_provider
    person = factories.person(full_name="Thạch Thị Sa Rây", date_of_birth=date(1991, 7, 9))
    factories.person(full_name="Nguyễn Văn Bên")
    try:
        page.goto(f"{base}/dang-nhap/")
        expect(page.locator(".sandbox-banner")).to_have_text(
            "SANDBOX — môi trường thử nghiệm, dữ liệu giả lập / test environment, synthetic data"
        )
        page.get_by_role("button", name=VNEID_BUTTON).click()

        # The provider's login page, reached through discovery and the authorization endpoint.
        expect(page).to_have_url(re.compile(r"/sandbox/eid/dang-nhap/\?next="))
        expect(page.get_by_label(re.compile(r"Mức độ 1 —"))).to_be_checked()  # the login asked for LoA1
        sandbox_login(page, person, level=1)

        expect(page).to_have_url(f"{base}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Thạch Thị Sa Rây")
        expect(page.locator(".sandbox-banner")).to_be_visible()

        # Level 1 is refused on the level-2 page, with the way to level 2 explained.
        page.goto(f"{base}/cong-dan/thu-tuc-muc-2/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Cần tài khoản định danh điện tử mức độ 2")
        expect(page.get_by_text("Mức độ 1 (ảnh chân dung)")).to_be_visible()
        expect(page.get_by_text(re.compile("Công an cấp xã"))).to_be_visible()

        # Logging in again at level 2 (the provider is asked for LoA2) comes back to the page, now admitted.
        page.get_by_role("link", name="Đăng nhập lại bằng VNeID mức độ 2").click()
        expect(page.get_by_label(re.compile(r"Mức độ 2 —"))).to_be_checked()
        sandbox_login(page, person, level=2)
        expect(page).to_have_url(f"{base}/cong-dan/thu-tuc-muc-2/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Trang yêu cầu định danh mức độ 2")

        # "My data": the record, the level, and an (empty) access history.
        page.goto(f"{base}/")
        page.get_by_role("link", name=re.compile("Dữ liệu của tôi")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Dữ liệu của tôi")
        expect(page.get_by_text(person.personal_id)).to_be_visible()
        expect(page.get_by_text("Mức độ 2 (ảnh chân dung và vân tay, tương đương thẻ căn cước)")).to_be_visible()
        expect(page.get_by_text("Chưa có cán bộ nào truy cập hồ sơ của bạn.")).to_be_visible()
    except Exception:
        _screenshot_on_failure(page, "eid-login-levels")
        raise

    user = User.objects.get(person=person)
    assert user.kind == User.Kind.CITIZEN and user.username == person.personal_id
    levels = [e.details["level"] for e in AuditEvent.objects.filter(action="eid.login").order_by("seq")]
    assert levels == [1, 2]


def test_cancelling_at_the_provider(page: Page, sandbox_provider: str) -> None:
    factories.person()
    try:
        page.goto(f"{sandbox_provider}/dang-nhap/")
        page.get_by_role("button", name=VNEID_BUTTON).click()
        page.get_by_role("button", name="Hủy, quay lại ứng dụng").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Không đăng nhập được bằng VNeID")
        expect(page.get_by_role("alert")).to_contain_text("Bạn đã hủy đăng nhập")
        expect(page.locator(".sandbox-banner")).to_be_visible()
    except Exception:
        _screenshot_on_failure(page, "eid-cancel")
        raise
