"""The cleansing flow in a real browser (Debian Chromium through Playwright): upload a list, read the results per
commune, download a commune's work list, decide an ambiguous row in the review queue, open the dashboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer
from python_calamine import CalamineWorkbook

from dean06.cleansing.models import RowVerdict
from dean06.cleansing.tests.conftest import SECTOR_CSV_HEADER, sector_list
from dean06.core.models import AuditEvent
from dean06.core.roles import Role
from dean06.registry.models import Person
from dean06.testing import factories
from dean06.testing.auth import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("units_reloaded")]
SCREENSHOTS = Path("test-results")


def _signed_in_page(browser: Browser, live_server: LiveServer) -> Page:
    client = login(Client(), factories.user_with_role(Role.COMMUNE_POLICE, factories.LONG_DUC))
    context = browser.new_context(locale="vi-VN", accept_downloads=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def test_upload_results_work_list_and_a_decided_review_item(
    browser: Browser, live_server: LiveServer, persons: dict[str, Person], tmp_path: Path
) -> None:
    listing = tmp_path / "danh-sach-bao-tro.csv"
    listing.write_text(SECTOR_CSV_HEADER + sector_list(persons), encoding="utf-8")
    page = _signed_in_page(browser, live_server)
    page.goto(f"{live_server.url}/lam-sach/")

    page.get_by_label("Tệp danh sách (CSV, XLSX, XLS)").set_input_files(listing)
    page.get_by_label("Lĩnh vực").select_option("welfare")
    page.get_by_role("button", name="Tải lên và đối chiếu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("danh-sach-bao-tro.csv")
    expect(page.get_by_role("status").first).to_contain_text("Hoàn thành: 5 dòng.")
    by_commune = page.get_by_role("table").first
    expect(by_commune).to_contain_text("Phường Long Đức (29263)")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "cleansing-run.png", full_page=True)

    with page.expect_download() as download_info:
        by_commune.get_by_role("link", name="XLSX (4 dòng)").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.name == "29263-phuong-long-duc.xlsx"
    sheet = CalamineWorkbook.from_path(str(saved))
    rows = [r for name in sheet.sheet_names for r in sheet.get_sheet_by_name(name).to_python()[1:]]
    assert sorted(str(r[1]) for r in rows) == ["Hồ Không Có", "Le Van Binh", "Trần Thị Lan", "Trần Thị Thủy"]

    page.get_by_role("link", name="Duyệt các dòng cần xác định").first.click()
    card = page.locator("section.card").filter(has_text="Trần Thị Lan")
    expect(card.get_by_role("columnheader", name="Người 2 trong CSDL dân cư", exact=False)).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "cleansing-review.png", full_page=True)
    card.get_by_role("button", name="Đúng là người 1").click()
    expect(card.get_by_role("status")).to_contain_text("Đã quyết định: công dân có số định danh")
    decided = RowVerdict.objects.get(row=4)
    assert decided.decision in {persons["lan1"].personal_id, persons["lan2"].personal_id}
    assert AuditEvent.objects.filter(action="cleansing.decide", object_id=str(decided.pk)).exists()

    page.goto(f"{live_server.url}/lam-sach/tong-hop/")
    expect(page.get_by_role("img", name="Diễn biến theo ngày")).to_be_visible()
    expect(page.get_by_role("table").last).to_contain_text("Phường Long Đức")
    page.screenshot(path=SCREENSHOTS / "cleansing-dashboard.png", full_page=True)
