"""Legacy Vietnamese font encodings (TCVN3/ABC and VNI-Windows) → Unicode NFC, with detection.

Both are font hacks, not real encodings: the bytes are ordinary 8-bit text that only looks Vietnamese in the
matching font. A CSV in them decodes as Windows-1252 (Excel cells already hold the same code points), so the
conversion works on `str`: each code point stands for the byte of the same value.

- TCVN3 (.VnTime): one code point per letter. The font only has lower-case toned letters (plus Ă Â Ê Ô Ơ Ư Đ);
  upper-case toned letters live in the separate ".VnTimeH" font at the *same* codes, so once the font is lost
  "Ấp" reads back as "ấp". Conversion therefore yields lower case there; nothing in the bytes tells them apart.
- VNI-Windows: a base ASCII letter followed by one mark code ("Nguyeãn" → "Nguyễn"; "ñ" → "đ"); a few letters
  (ơ ư đ ì í ỉ ĩ ị ỵ) are a single code. Upper-case letters use upper-case marks ("AÁp" → "Ấp"); lower-case marks
  after an upper-case base are accepted too, as real files mix them.

Detection scores the share of words that are valid Vietnamese syllables as-is and after each conversion and
only picks a legacy encoding when it is strictly better.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, Literal

from dean06.text import nfc

Legacy = Literal["unicode", "tcvn3", "vni"]
DETECTION_SAMPLE: Final = 200_000  # characters scored; a whole file is in one encoding

# TCVN 5712:1993 VN3 layout (.VnTime), by byte value.
_TCVN3_CODES: Final = {
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
}  # fmt: skip
_FROM_TCVN3: Final = str.maketrans({chr(code): letter for letter, code in _TCVN3_CODES.items()})

# VNI-Windows: lower-case spelling of each letter (upper case below swaps base and marks to upper case).
_VNI_MARKS: Final = {  # tone → (plain, circumflex, breve) mark codes
    "": ("", "â", "ê"),
    "\u0300": ("ø", "à", "è"),
    "\u0301": ("ù", "á", "é"),
    "\u0309": ("û", "å", "ú"),
    "\u0303": ("õ", "ã", "ü"),
    "\u0323": ("ï", "ä", "ë"),
}
_VNI_SINGLE: Final = {"ơ": "ô", "ư": "ö", "đ": "ñ", "ì": "ì", "í": "í", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î"}


def _vni_lower_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for tone, (plain, circumflex, breve) in _VNI_MARKS.items():
        for base in "aeouy":
            table.setdefault(unicodedata.normalize("NFC", base + tone), base + plain)
        for base in "aeo":
            table[unicodedata.normalize("NFC", base + "\u0302" + tone)] = base + circumflex
        table[unicodedata.normalize("NFC", "a\u0306" + tone)] = "a" + breve
        for letter, code in (("ơ", "ô"), ("ư", "ö")):
            table[unicodedata.normalize("NFC", letter + tone)] = code + plain
    table.update(_VNI_SINGLE)  # toned i and ỵ are single codes, not base + mark
    # Plain vowels (and ì í, the same code points in both) map to themselves and need no entry.
    return {letter: code for letter, code in table.items() if letter != code}


_VNI_LOWER: Final = _vni_lower_table()
_VNI: Final = _VNI_LOWER | {letter.upper(): code.upper() for letter, code in _VNI_LOWER.items()}
# Decoding also accepts lower-case marks after an upper-case base ("Aù"), as real files do.
_FROM_VNI: Final = {code: letter for letter, code in _VNI.items()} | {
    code[0].upper() + code[1:]: letter.upper() for letter, code in _VNI_LOWER.items() if len(code) == 2
}
_VNI_PATTERN: Final = re.compile("|".join(re.escape(code) for code in sorted(_FROM_VNI, key=len, reverse=True)))


def from_tcvn3(text: str) -> str:
    """TCVN3 text (read as Windows-1252) → Unicode NFC."""
    return unicodedata.normalize("NFC", text.translate(_FROM_TCVN3))


def from_vni(text: str) -> str:
    """VNI-Windows text (read as Windows-1252) → Unicode NFC."""
    return unicodedata.normalize("NFC", _VNI_PATTERN.sub(lambda m: _FROM_VNI[m.group(0)], text))


def to_tcvn3(text: str) -> str:
    """Unicode → TCVN3 (as Windows-1252 text). Upper-case toned letters become their lower-case codes (.VnTime)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        code = _TCVN3_CODES.get(ch, _TCVN3_CODES.get(ch.lower()))
        out.append(ch if code is None else chr(code))
    return "".join(out)


def to_vni(text: str) -> str:
    """Unicode → VNI-Windows (as Windows-1252 text)."""
    return "".join(_VNI.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


_TONE_MARKS: Final = frozenset("\u0300\u0301\u0303\u0309\u0323")
_ONSET = "ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx]"
_NUCLEUS = (
    "uyê|uya|uyu|uây|uôi|ươi|ươu|oai|oay|oeo|yêu|iêu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|"
    "[aăâeêioôơuưy]"
)
_SYLLABLE: Final = re.compile(rf"(?:{_ONSET})?(?:{_NUCLEUS})(?:ch|ng|nh|[cmnpt])?")
_TOKEN: Final = re.compile(r"[^\s\d.,;:()\[\]\"'/\\|_\-–]+")
# Code points a legacy-font text read as Windows-1252 cannot contain: proper Unicode Vietnamese letters.
_UNICODE_ONLY: Final = re.compile("[ăĂơƠưƯđĐĩĨũŨ\u1ea0-\u1ef9]")


def _is_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(c in _TONE_MARKS for c in decomposed) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return _SYLLABLE.fullmatch(base) is not None


def vietnamese_score(text: str) -> int:
    """Valid minus invalid Vietnamese syllables among the words holding a non-ASCII character."""
    score = 0
    for token in _TOKEN.findall(text):
        if not token.isascii():
            score += 1 if _is_syllable(token) else -1
    return score


def detect_legacy(text: str) -> Legacy:
    """Which font encoding `text` is in; "unicode" unless a conversion yields clearly more Vietnamese words."""
    text = unicodedata.normalize("NFC", text)
    if _UNICODE_ONLY.search(text):
        return "unicode"
    text = text[:DETECTION_SAMPLE]
    as_is = vietnamese_score(text)
    candidates: list[tuple[int, Legacy]] = [
        (vietnamese_score(from_tcvn3(text)), "tcvn3"),
        (vietnamese_score(from_vni(text)), "vni"),
    ]
    best_score, best = max(candidates)
    margin = max(1, sum(not t.isascii() for t in _TOKEN.findall(text)) // 20)  # 5 % of the non-ASCII words
    return best if best_score >= as_is + margin else "unicode"


def convert(text: str, legacy: Legacy) -> str:
    """`text` in `legacy` → Unicode NFC (whitespace as given, unlike `nfc`)."""
    if legacy == "tcvn3":
        return from_tcvn3(text)
    if legacy == "vni":
        return from_vni(text)
    return unicodedata.normalize("NFC", text)


def to_unicode(text: str) -> tuple[str, Legacy]:
    """Detect and convert in one step; the result is NFC with whitespace collapsed."""
    legacy = detect_legacy(text)
    return nfc(convert(text, legacy)), legacy
