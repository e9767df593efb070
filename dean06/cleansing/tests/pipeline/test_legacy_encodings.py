"""TCVN3 and VNI font encodings: round trips through the tables, detection, and Unicode left alone."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dean06.cleansing.pipeline.legacy_encodings import (
    convert,
    detect_legacy,
    from_tcvn3,
    from_vni,
    to_tcvn3,
    to_unicode,
    to_vni,
)

CORPUS = [
    "Nguyễn Thị Thủy",
    "Thạch Thị Sa Rây",
    "Ấp Phú Hòa, Xã Long Đức, Thành phố Trà Vinh",
    "Huỳnh Văn Đức",
    "Trần Quốc Toản",
    "Lê Thị Ngọc Hường",
    "Phạm Ưng Khuyến",
    "Khóm 4, Phường 7, Thị xã Duyên Hải",
    "Đặng Ngọc Bảo Quỳnh",
    "Sơn Thị Mỹ Duyên",
    "Ấp Ô Răng, Xã Ngũ Lạc, Huyện Duyên Hải",
    "Ông Văn Ẩn",
]
LETTERS = "aăâeêioôơuưyđ"
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


def _all_letters() -> list[str]:
    letters = {unicodedata.normalize("NFC", base + tone) for base in LETTERS for tone in TONES if base != "đ"}
    letters.add("đ")
    return sorted(letters | {c.upper() for c in letters})


def test_every_vietnamese_letter_survives_vni() -> None:
    for letter in _all_letters():
        assert from_vni(to_vni(letter)) == letter, letter


def test_every_lower_case_letter_survives_tcvn3() -> None:
    for letter in _all_letters():
        if letter.islower() or letter in "ĂÂÊÔƠƯĐ":
            assert from_tcvn3(to_tcvn3(letter)) == letter, letter


def test_tcvn3_codes_are_single_bytes() -> None:
    encoded = to_tcvn3("Nguyễn Thị Thủy").encode("cp1252")
    assert encoded == b"Nguy\xd4n Th\xde Th\xf1y"
    assert to_tcvn3("đ Đ á à") == "\xae \xa7 \xb8 \xb5"


def test_vni_spelling() -> None:
    assert to_vni("Nguyễn") == "Nguyeãn"
    assert to_vni("Đức") == "Ñöùc"
    assert from_vni("AÙp") == from_vni("Aùp") == "Áp"  # upper or lower mark after an upper-case base


@pytest.mark.parametrize("text", CORPUS)
def test_round_trip_vni(text: str) -> None:
    encoded = to_vni(text)
    encoded.encode("cp1252")  # representable as the 8-bit file it would be
    assert detect_legacy(encoded) == "vni"
    assert to_unicode(encoded) == (text, "vni")


@pytest.mark.parametrize("text", CORPUS)
def test_round_trip_tcvn3(text: str) -> None:
    encoded = to_tcvn3(text)
    encoded.encode("cp1252")
    assert detect_legacy(encoded) == "tcvn3"
    converted, legacy = to_unicode(encoded)
    assert legacy == "tcvn3"
    # .VnTime has no upper-case toned letters (they are in .VnTimeH at the same codes): those come back lower case.
    expected = "".join(c.lower() if c.isupper() and c not in "ĂÂÊÔƠƯĐ" and not c.isascii() else c for c in text)
    assert converted == expected


@pytest.mark.parametrize("text", CORPUS)
def test_unicode_is_left_alone(text: str) -> None:
    assert detect_legacy(text) == "unicode"
    assert to_unicode(text) == (text, "unicode")
    assert convert(text, "unicode") == text


def test_decomposed_unicode_is_recomposed() -> None:
    assert to_unicode(unicodedata.normalize("NFD", "Nguyễn Thị Thủy")) == ("Nguyễn Thị Thủy", "unicode")


def test_ascii_is_left_alone() -> None:
    assert to_unicode("Nguyen Van A, 12 Tran Phu") == ("Nguyen Van A, 12 Tran Phu", "unicode")


_ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "s",
           "t", "th", "tr", "v", "x"]  # fmt: skip
_NUCLEI = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "uy", "ươ", "iê", "ai", "ao", "ưa"]
_CODAS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]


@st.composite
def _syllable(draw: st.DrawFn) -> str:
    nucleus = draw(st.sampled_from(_NUCLEI))
    tone = draw(st.sampled_from(TONES))
    at = draw(st.integers(0, len(nucleus) - 1))
    word = draw(st.sampled_from(_ONSETS)) + nucleus[:at] + nucleus[at] + tone + nucleus[at + 1 :]
    word += draw(st.sampled_from(_CODAS))
    word = unicodedata.normalize("NFC", word)
    return word.capitalize() if draw(st.booleans()) else word


@given(st.lists(_syllable(), min_size=1, max_size=12).map(" ".join))
def test_ordinary_unicode_text_never_changes(text: str) -> None:
    assert detect_legacy(text) == "unicode"
    assert to_unicode(text) == (text, "unicode")


@given(st.lists(_syllable(), min_size=1, max_size=12).map(" ".join))
def test_vni_table_round_trips_any_text(text: str) -> None:
    assert from_vni(to_vni(text)) == text
