"""The card scan page in a real browser: a USB scanner typing, a photo chosen, and qr_scan.js reading a card
from a (fake) camera whose video is a generated card."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image
from playwright.sync_api import Browser, BrowserType, Page, expect
from pytest_django.live_server_helper import LiveServer

from dean06.core.roles import Role
from dean06.identity.tests.test_qr_image import card_qr, encoded, on_card
from dean06.identity.tests.test_qr_payload import SAMPLES
from dean06.testing import factories
from dean06.testing.auth import login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("units_reloaded")]


def _y4m(path: Path, image: Image.Image, frames: int = 20) -> Path:
    """A still video in YUV4MPEG2, the format Chromium's fake camera plays (gray: Y only, neutral chroma)."""
    gray = image.convert("L").resize((image.width // 2 * 2, image.height // 2 * 2))
    chroma = bytes([128]) * (gray.width // 2 * gray.height // 2)
    frame = b"FRAME\n" + gray.tobytes() + chroma + chroma
    path.write_bytes(f"YUV4MPEG2 W{gray.width} H{gray.height} F10:1 Ip A1:1 C420jpeg\n".encode() + frame * frames)
    return path


@pytest.fixture
def camera_browser(
    browser_type: BrowserType, browser_type_launch_args: dict[str, object], live_server: LiveServer, tmp_path: Path
) -> Iterator[Browser]:
    """Chromium with a fake camera filming a card; closed before the live server stops (no request in flight)."""
    video = _y4m(tmp_path / "card.y4m", on_card(card_qr()).resize((640, 406)))
    fake_camera = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    args = [*browser_type_launch_args["args"], *fake_camera]  # type: ignore[misc]
    browser = browser_type.launch(**{**browser_type_launch_args, "args": args})  # type: ignore[arg-type]
    yield browser
    browser.close()


def _signed_in_page(browser: Browser, live_server: LiveServer) -> Page:
    client = login(Client(), factories.user_with_role(Role.ONE_STOP_OFFICER, factories.LONG_DUC))
    context = browser.new_context(locale="vi-VN")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/quet-ma-qr/")
    return page


def test_usb_scanner_photo_and_camera(camera_browser: Browser, live_server: LiveServer, tmp_path: Path) -> None:
    page = _signed_in_page(camera_browser, live_server)
    result = page.locator("#card-result")

    # A USB scanner types into the focused field and presses Enter.
    field = page.get_by_label("Nội dung mã QR")
    expect(field).to_be_focused()
    field.press_sequentially(SAMPLES[3])
    field.press("Enter")
    expect(result).to_contain_text("Chữ số thứ 4 “1” là của giới tính Nữ, nhưng giới tính ghi là Nam.")
    expect(result).to_contain_text("15/10/1998")
    expect(field).to_have_value("")  # ready for the next card

    # A photo is read as soon as it is chosen.
    photo = tmp_path / "card.jpg"
    photo.write_bytes(encoded(on_card(card_qr()), "JPEG", quality=80))
    page.get_by_label("Ảnh chụp mặt thẻ có mã QR").set_input_files(photo)
    expect(result).to_contain_text("Thạch Thị Sa Rây")
    expect(result).to_contain_text("Phường Long Đức (29263)")

    # The camera sends frames until the card is read, then stops.
    page.reload()
    page.get_by_role("button", name="Bật camera để quét").click()
    expect(page.locator("#camera-status")).to_have_text("Đã đọc được thẻ; camera đã tắt.", timeout=15_000)
    expect(result).to_contain_text("Thạch Thị Sa Rây")
    expect(page.get_by_role("button", name="Bật camera để quét")).to_be_visible()
    expect(page.locator("#camera-video")).to_be_hidden()
