"""Find and read the QR code of an ID card in a photo or a camera frame (zxing-cpp and Pillow; no Django here).

Strategy, cheapest first, stopping at the first QR code whose text parses as a card:
1. the image as given, in grayscale (EXIF orientation applied; zxing tries 90° rotations and inverted codes
   itself, and its QR detector reads codes skewed at any angle);
2. autocontrast, for faded prints and dim photos;
3. unsharp mask, for out-of-focus photos;
4. images under 1000 px upscaled (Lanczos, up to 4×), so each module of a small code covers several pixels;
5. the image (upscaled if small) blurred and autocontrasted, with a local and a global threshold, for noise.
A camera frame (`thorough=False`) gets steps 1–2 only: the next frame comes within half a second.

The text is taken from the code's raw bytes decoded as UTF-8 (what the card holds) when they are valid UTF-8:
zxing guesses the character set of a code without an ECI marker and may guess wrong.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

import zxingcpp
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from dean06.identity.cards.problems import Problem
from dean06.identity.cards.qr_payload import parse_payload

MAX_BYTES: Final = 10 * 1024 * 1024
MAX_PIXELS: Final = 40_000_000  # a 48-megapixel phone photo is 8000 × 6000; a card photo needs far less
_WORKING_SIDE: Final = 1600  # larger photos are reduced first: the QR covers a good part of a card photo
_SMALL_SIDE: Final = 1000  # smaller images are upscaled …
_UPSCALED_SIDE: Final = 2000  # … towards this size (at most 4×): Lanczos at 4× reads the most tiny codes
_MAX_UPSCALE: Final = 4
_QR_CODES: Final = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
_LOCAL: Final = zxingcpp.Binarizer.LocalAverage
_GLOBAL: Final = zxingcpp.Binarizer.GlobalHistogram


@dataclass(frozen=True)
class ImageDecode:
    """The text of the QR code chosen (the first that parses as a card, else the first found), or why none."""

    payload: str | None
    errors: tuple[Problem, ...] = ()


def _text(barcode: zxingcpp.Barcode) -> str:
    try:
        return bytes(barcode.bytes).decode("utf-8")
    except UnicodeDecodeError:
        return str(barcode.text)


def _variants(gray: Image.Image, thorough: bool) -> Iterator[tuple[Image.Image, zxingcpp.Binarizer]]:
    yield gray, _LOCAL
    contrast = ImageOps.autocontrast(gray, cutoff=1)
    yield contrast, _LOCAL
    if not thorough:
        return
    yield contrast.filter(ImageFilter.UnsharpMask(radius=2, percent=200, threshold=3)), _LOCAL
    factor, upscaled = 1, gray
    if max(gray.size) < _SMALL_SIDE:
        factor = min(_MAX_UPSCALE, math.ceil(_UPSCALED_SIDE / max(gray.size)))
        upscaled = gray.resize((gray.width * factor, gray.height * factor), Image.Resampling.LANCZOS)
        yield upscaled, _LOCAL
    denoised = ImageOps.autocontrast(upscaled.filter(ImageFilter.GaussianBlur(factor)), cutoff=1)
    yield denoised, _LOCAL
    yield denoised, _GLOBAL


def _open(data: bytes) -> Image.Image | None:
    """The image in grayscale, upright and at most _WORKING_SIDE pixels wide and high; None if unreadable."""
    try:
        # verify() finds a truncated file whatever Pillow's process-wide LOAD_TRUNCATED_IMAGES says (WeasyPrint,
        # imported for signed results, turns it on; a cut-off upload must still be refused, not half-decoded).
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                return None
            gray = ImageOps.exif_transpose(image).convert("L")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        return None  # verify() reports a broken PNG as SyntaxError
    gray.thumbnail((_WORKING_SIDE, _WORKING_SIDE))
    return gray


def decode_card_image(data: bytes, *, thorough: bool = True) -> ImageDecode:
    """Read the card QR code in an image file (JPEG, PNG, WebP …) of at most MAX_BYTES."""
    if len(data) > MAX_BYTES:
        return ImageDecode(
            None,
            (
                Problem(
                    "image_too_large",
                    f"Tệp ảnh lớn hơn {MAX_BYTES // 1024 // 1024} MB; hãy chụp lại hoặc gửi ảnh nhỏ hơn.",
                    f"The image file is larger than {MAX_BYTES // 1024 // 1024} MB; send a smaller one.",
                ),
            ),
        )
    gray = _open(data)
    if gray is None:
        return ImageDecode(
            None,
            (
                Problem(
                    "image_unreadable",
                    "Không đọc được tệp ảnh (tệp hỏng, quá nhiều điểm ảnh hoặc không phải ảnh JPEG, PNG, WebP).",
                    "The image file cannot be read (damaged, too many pixels, or not a JPEG, PNG or WebP image).",
                ),
            ),
        )
    first_found: str | None = None
    for variant, binarizer in _variants(gray, thorough):
        for barcode in zxingcpp.read_barcodes(variant, formats=_QR_CODES, binarizer=binarizer):
            text = _text(barcode)
            if parse_payload(text).ok:
                return ImageDecode(text)
            first_found = first_found or text
    if first_found is not None:
        return ImageDecode(first_found)
    return ImageDecode(
        None,
        (
            Problem(
                "no_qr_code",
                "Không tìm thấy mã QR trong ảnh. Hãy chụp lại mặt thẻ có mã QR: rõ nét, đủ sáng, mã QR chiếm phần "
                "lớn khung hình.",
                "No QR code was found in the image. Take the photo again of the side of the card with the QR code: "
                "in focus, well lit, the code filling most of the frame.",
            ),
        ),
    )
