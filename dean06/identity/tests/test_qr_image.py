"""Reading card QR codes from photos (issue #3, point 3): generated with segno, degraded with Pillow."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable

import pytest
import segno
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter

from dean06.identity.cards.qr_image import MAX_BYTES, decode_card_image
from dean06.identity.cards.qr_payload import parse_payload
from dean06.identity.tests.test_qr_payload import TRA_VINH

# Helpers shared with the CLI and view tests.


def card_qr(payload: str = TRA_VINH, *, scale: int = 4) -> Image.Image:
    """The QR code as a card carries it: the payload's UTF-8 bytes in byte mode, without an ECI marker."""
    buffer = io.BytesIO()
    segno.make_qr(payload.encode("utf-8"), error="m").save(buffer, kind="png", scale=scale, border=4)
    return Image.open(buffer).convert("L")


def encoded(image: Image.Image, kind: str = "PNG", **options: int) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, kind, **options)
    return buffer.getvalue()


def on_card(code: Image.Image, size: tuple[int, int] = (900, 570)) -> Image.Image:
    """The code pasted at the top right of a card-like background with a portrait and lines of text."""
    card = Image.new("RGB", size, (214, 226, 238))
    draw = ImageDraw.Draw(card)
    draw.rectangle((40, 150, 250, 420), fill=(150, 160, 170))
    for y in range(160, 520, 40):
        draw.rectangle((290, y, 560, y + 14), fill=(40, 40, 60))
    card.paste(code.convert("RGB"), (size[0] - code.width - 40, 40))
    return card


def noisy(image: Image.Image, sigma: float) -> Image.Image:
    gray = image.convert("L")
    return ImageChops.add(gray, Image.effect_noise(gray.size, sigma), offset=-128)


def rotated(image: Image.Image, angle: float) -> Image.Image:
    return image.convert("L").rotate(angle, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)


def shrunk(image: Image.Image, side: int) -> Image.Image:
    return image.resize((side, side * image.height // image.width), Image.Resampling.BILINEAR)


def low_contrast(image: Image.Image, factor: float) -> Image.Image:
    return ImageEnhance.Contrast(image.convert("L")).enhance(factor)


def photographed(qr: Image.Image) -> Image.Image:
    """Everything at once: a skewed card, grain, dim light, soft focus, a small JPEG."""
    card = low_contrast(noisy(on_card(rotated(qr, 7)), 20), 0.4).filter(ImageFilter.GaussianBlur(0.7))
    return Image.open(io.BytesIO(encoded(shrunk(card, 600), "JPEG", quality=70)))


DEGRADED: dict[str, Callable[[Image.Image], Image.Image]] = {
    "as generated": lambda qr: qr,
    "rotated 7°": lambda qr: rotated(qr, 7),
    "rotated 90°": lambda qr: rotated(qr, 90),
    "rotated 33°": lambda qr: rotated(qr, 33),
    "scaled down to 120 px": lambda qr: shrunk(qr, 120),
    "noise and blur": lambda qr: noisy(qr, 40).filter(ImageFilter.GaussianBlur(1)),
    "low contrast": lambda qr: low_contrast(qr, 0.1),
    "on a card": on_card,
    "photographed": photographed,
}


@pytest.mark.parametrize("degrade", DEGRADED.values(), ids=DEGRADED.keys())
def test_degraded_card_qr_codes_keep_their_vietnamese_text(degrade: Callable[[Image.Image], Image.Image]) -> None:
    found = decode_card_image(encoded(degrade(card_qr())))
    assert found.payload == TRA_VINH and found.errors == ()
    card = parse_payload(found.payload).card
    assert card is not None and card.full_name == "Thạch Thị Sa Rây"
    assert card.address == "Ấp Phú Hòa, Xã Long Đức, TP Trà Vinh, Trà Vinh"


HARDER: dict[str, Callable[[Image.Image], Image.Image]] = {
    "out of focus (sharpened)": lambda qr: qr.filter(ImageFilter.GaussianBlur(2)),
    "tiny on a card photo (upscaled)": lambda qr: on_card(shrunk(qr, 110)).resize((500, 316)),
    "faded and grainy (denoised)": lambda qr: noisy(low_contrast(qr, 0.2), 25),
}


@pytest.mark.parametrize("degrade", HARDER.values(), ids=HARDER.keys())
def test_photos_that_need_the_thorough_passes(degrade: Callable[[Image.Image], Image.Image]) -> None:
    data = encoded(degrade(card_qr()))
    assert decode_card_image(data, thorough=False).payload is None  # a camera frame gives up quickly
    assert decode_card_image(data).payload == TRA_VINH


def test_utf8_bytes_are_read_even_when_the_code_claims_another_charset() -> None:
    # UTF-8 bytes behind an ECI marker for ISO-8859-1: zxing's own text is mojibake, the bytes are not.
    qr = segno.make_qr(TRA_VINH.encode("utf-8").decode("latin-1"), encoding="latin-1", eci=True)
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=4)
    (barcode,) = zxingcpp.read_barcodes(Image.open(buffer))
    assert barcode.text != TRA_VINH
    assert decode_card_image(buffer.getvalue()).payload == TRA_VINH


def _side_by_side(*codes: Image.Image) -> Image.Image:
    sheet = Image.new("L", (sum(c.width for c in codes) + 40 * len(codes), max(c.height for c in codes) + 40), 255)
    x = 20
    for code in codes:
        sheet.paste(code, (x, 20))
        x += code.width + 40
    return sheet


def _url_qr() -> Image.Image:
    buffer = io.BytesIO()
    segno.make_qr("https://dichvucong.gov.vn/").save(buffer, kind="png", scale=4)
    return Image.open(buffer).convert("L")


def test_the_card_code_is_chosen_among_several() -> None:
    for sheet in (_side_by_side(_url_qr(), card_qr()), _side_by_side(card_qr(), _url_qr())):
        assert decode_card_image(encoded(sheet)).payload == TRA_VINH


def test_a_code_that_is_not_a_card_is_returned_for_its_errors() -> None:
    found = decode_card_image(encoded(_url_qr()))
    assert found.payload == "https://dichvucong.gov.vn/" and not parse_payload(found.payload).ok


def test_no_code_in_the_image() -> None:
    found = decode_card_image(encoded(on_card(Image.new("L", (200, 200), 255))))
    assert found.payload is None and [p.code for p in found.errors] == ["no_qr_code"]
    assert "Không tìm thấy mã QR trong ảnh" in found.errors[0].message_vi


def _png_header(width: int, height: int) -> bytes:
    """A PNG's signature and header only: its size is known before any pixel is read."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + header
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "image_unreadable"),
        (b"not an image", "image_unreadable"),
        (encoded(card_qr())[:200], "image_unreadable"),  # truncated
        (_png_header(8000, 6000), "image_unreadable"),  # 48 megapixels
        (b"\0" * (MAX_BYTES + 1), "image_too_large"),
    ],
    ids=["empty", "text", "truncated", "too many pixels", "too many bytes"],
)
def test_files_that_are_not_usable_images(data: bytes, code: str) -> None:
    found = decode_card_image(data)
    assert found.payload is None and [p.code for p in found.errors] == [code]


@settings(max_examples=50)
@given(st.binary(max_size=2000))
def test_no_bytes_make_decoding_raise(data: bytes) -> None:
    decode_card_image(data)


def test_a_truncated_file_is_refused_even_when_pillow_loads_truncated_images(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process when it is imported."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    found = decode_card_image(encoded(card_qr())[:200])
    assert found.payload is None and [p.code for p in found.errors] == ["image_unreadable"]
