"""The Vietnamese text rules shared by every layer."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from dean06.text import canonical_tone, fold, name_sort_key, nfc, sort_key

VIETNAMESE = st.text(
    alphabet="aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ AĂÂĐEÊOÔƠUƯY",
    max_size=40,
)


def test_both_tone_styles_are_equal() -> None:
    pairs = [("Hoà", "Hòa"), ("Thuỷ", "Thủy"), ("Khoẻ", "Khỏe"), ("Nguyễn Thị Thuý", "Nguyễn Thị Thúy"), ("HOÀ", "HÒA")]
    for new_style, old_style in pairs:
        assert canonical_tone(new_style) == canonical_tone(old_style) == old_style


def test_closed_syllables_and_qu_keep_their_only_placement() -> None:
    for word in ["Hoàn", "Huỳnh", "Toàn", "Quý", "Quỳnh", "Thuyết"]:
        assert canonical_tone(word) == word


def test_nfd_input_becomes_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Trà  Vinh ")
    assert nfc(decomposed) == "Trà Vinh"
    assert canonical_tone(decomposed) == "Trà Vinh"


def test_fold() -> None:
    assert fold("Nguyễn  Thị Thuỷ") == "nguyen thi thuy"
    assert fold("ĐẶNG Văn Đức") == "dang van duc"


@given(VIETNAMESE)
def test_canonical_tone_is_idempotent_and_keeps_the_letters(text: str) -> None:
    once = canonical_tone(text)
    assert canonical_tone(once) == once
    assert fold(once) == fold(text)


def test_vietnamese_alphabetical_order() -> None:
    words = ["Đức", "Dung", "Ánh", "An", "Ăn", "Bình", "Ân", "Yến", "Ơn", "Ông", "Uyên", "Ưng"]
    assert sorted(words, key=sort_key) == [
        "An",
        "Ánh",
        "Ăn",
        "Ân",
        "Bình",
        "Dung",
        "Đức",
        "Ông",
        "Ơn",
        "Uyên",
        "Ưng",
        "Yến",
    ]


def test_names_sort_by_given_name_first() -> None:
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn An", "Thạch Sa Rây"]
    assert sorted(names, key=name_sort_key) == ["Lê Văn An", "Nguyễn Thị An", "Trần Văn Bình", "Thạch Sa Rây"]
