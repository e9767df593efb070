"""A monthly report in a real browser (Debian Chromium through Playwright): a commune officer fills it in on a
phone, the working group returns it once with a comment, the commune corrects it, the working group accepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from dean06.core.models import User
from dean06.core.roles import Role
from dean06.monitoring.models import MonthlyReport
from dean06.monitoring.services import plan_seed_load
from dean06.testing import factories
from dean06.testing.auth import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("units_reloaded")]
SCREENSHOTS = Path("test-results")
PHONE = ViewportSize(width=360, height=740)
PERIOD = "2026-10"


def _page_for(browser: Browser, live_server: LiveServer, user: User, *, phone: bool = False) -> Page:
    client = login(Client(), user)
    context = browser.new_context(locale="vi-VN", viewport=PHONE if phone else None)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_a_commune_reports_the_group_returns_once_and_accepts_the_resubmission(
    browser: Browser, live_server: LiveServer
) -> None:
    plan_seed_load()
    commune = _page_for(
        browser,
        live_server,
        factories.user_with_role(Role.ONE_STOP_OFFICER, factories.LONG_DUC, full_name="Kim Thị Mai"),
        phone=True,
    )
    commune.goto(f"{live_server.url}/theo-doi/bao-cao/?period={PERIOD}")
    commune.get_by_role("button", name="Lập báo cáo").click()
    expect(commune.get_by_role("heading", level=1)).to_have_text("Báo cáo tháng 2026-10 · Phường Long Đức")
    assert commune.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    commune.locator("[name=task_0_percent]").fill("120")
    commune.locator("[name=task_0_done]").fill("Tuyên truyền trên loa truyền thanh 12 ấp, khóm")
    commune.locator(".report-kpi").nth(1).locator("summary").click()  # a KPI the platform has no figure for
    commune.locator("[name=kpi_1_value]").fill("35,5")
    commune.locator("[name=kpi_1_note]").fill("Sổ theo dõi bộ phận một cửa")
    commune.get_by_role("button", name="Gửi báo cáo").click()
    expect(commune.get_by_role("alert")).to_contain_text("Báo cáo có thông tin chưa hợp lệ")
    expect(commune.locator(".has-error").first).to_contain_text("Tỷ lệ hoàn thành phải từ 0 đến 100.")
    expect(commune.locator("[name=task_0_done]")).to_have_value("Tuyên truyền trên loa truyền thanh 12 ấp, khóm")
    expect(commune.locator("[name=kpi_1_value]")).to_have_value("35,5")
    _shot(commune, "monitoring-report-errors")
    for i in range(commune.locator("[name$=_percent]").count()):
        commune.locator(f"[name=task_{i}_percent]").fill("60")
    commune.get_by_role("button", name="Gửi báo cáo").click()
    expect(commune.get_by_role("listitem").filter(has_text="Đã gửi báo cáo tháng 2026-10.")).to_be_visible()
    report = MonthlyReport.objects.get()
    assert report.status == MonthlyReport.Status.SUBMITTED

    group = _page_for(browser, live_server, factories.user_with_role(Role.WORKING_GROUP, factories.PROVINCE))
    group.goto(f"{live_server.url}/theo-doi/bao-cao/?period={PERIOD}")
    group.get_by_role("link", name="Phường Long Đức").click()
    group.get_by_label("Ý kiến (bắt buộc khi trả lại)").fill("Đề nghị bổ sung số liệu hồ sơ trực tuyến.")
    group.get_by_role("button", name="Trả lại để chỉnh sửa").click()
    expect(group.get_by_role("term").filter(has_text="Trạng thái").locator("xpath=..")).to_contain_text("Trả lại")

    commune.goto(f"{live_server.url}/theo-doi/bao-cao/{report.pk}/")
    commune.get_by_role("link", name="Sửa và gửi lại báo cáo").click()
    expect(commune.locator(".notice")).to_contain_text("Đề nghị bổ sung số liệu hồ sơ trực tuyến.")
    expect(commune.locator("[name=task_0_percent]")).to_have_value("60")  # the first version, to correct
    commune.locator("[name=kpi_1_value]").fill("41")
    commune.get_by_role("button", name="Gửi báo cáo").click()
    expect(commune.get_by_text("Lần gửi 2", exact=False).first).to_be_visible()

    group.reload()
    group.get_by_role("button", name="Tiếp nhận báo cáo").click()
    expect(group.get_by_role("listitem").filter(has_text="Đã tiếp nhận báo cáo.")).to_be_visible()
    expect(group.locator("summary").filter(has_text=re.compile(r"Lần gửi 1"))).to_contain_text("Đã trả lại")
    _shot(group, "monitoring-report-accepted")
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.ACCEPTED
    assert report.versions.count() == 2
