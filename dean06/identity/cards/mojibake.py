"""Undo a QR decoder reading the card's UTF-8 bytes in the wrong character set (no Django here).

zbar, pyzbar and some scanner SDKs read them as Shift-JIS ("N盻ｯ" for "Nữ"; pyzbar#14, zbar#212), others as
Windows-1252 or Latin-1 ("Nguyá»…n" for "Nguyễn"). Encoding the text back to those bytes and decoding them as
UTF-8 restores it. The repair is kept only when that works strictly and yields Vietnamese, so correct text is
never changed: real Vietnamese cannot be encoded in Shift-JIS, and in Windows-1252 its letters are never
followed by the symbols that UTF-8 continuation bytes become.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Final

_LOWER: Final = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_LETTERS: Final = frozenset(_LOWER + _LOWER.upper())
_PUNCTUATION: Final = frozenset("\u00a0–—‘’“”…·")  # non-ASCII marks an address may contain


def _sloppy_windows_1252(text: str) -> bytes:
    """Windows-1252 bytes, the 5 bytes it leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) and all Latin-1
    control characters passed through as Latin-1, as browsers and most decoders do."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                raise
            out.append(ord(ch))
    return bytes(out)


_WRONG_DECODINGS: Final[tuple[Callable[[str], bytes], ...]] = (
    lambda text: text.encode("shift_jis"),
    lambda text: text.encode("cp932"),  # Microsoft's Shift-JIS, used by Windows scanner drivers
    _sloppy_windows_1252,
)


def _is_vietnamese(text: str) -> bool:
    others = {ch for ch in unicodedata.normalize("NFC", text) if not ch.isascii()}
    return bool(others & _LETTERS) and others <= _LETTERS | _PUNCTUATION


def repair_mojibake(text: str) -> str | None:
    """The text as it was before a wrong decoding, or None if it does not look like one."""
    if text.isascii():
        return None
    for to_bytes in _WRONG_DECODINGS:
        try:
            candidate = to_bytes(text).decode("utf-8")
        except UnicodeError:
            continue
        if candidate != text and _is_vietnamese(candidate):
            return candidate
    return None
