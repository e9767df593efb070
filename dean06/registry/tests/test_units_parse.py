"""Address segmentation and prefix reading (pure, no database)."""

from __future__ import annotations

import pytest

from dean06.registry.units.parse import COMMUNE, DISTRICT, PROVINCE, Segment, name_keys, parse_address, split_prefix


def parse(text: str, names: frozenset[str] = frozenset()) -> list[Segment]:
    return parse_address(text, names.__contains__)


@pytest.mark.parametrize("text", ["Phường 2", "P.2", "P2", "p 2", "Phường 02", "phuong 2", "PHƯỜNG 2", "P. 02"])
def test_numbered_ward_spellings_agree(text: str) -> None:
    (segment,) = parse(text)
    assert segment.prefix is not None and segment.prefix.label == "Phường"
    assert (segment.key, segment.fold_key) == ("2", "2")


@pytest.mark.parametrize(("text", "label", "levels"), [
    ("Xã Long Đức", "Xã", {COMMUNE}),
    ("X. Long Đức", "Xã", {COMMUNE}),
    ("xa Long Duc", "Xã", {COMMUNE}),
    ("TT. Càng Long", "Thị trấn", {COMMUNE}),
    ("Thị trấn Càng Long", "Thị trấn", {COMMUNE}),
    ("Đặc khu Phú Quốc", "Đặc khu", {COMMUNE}),
    ("H. Càng Long", "Huyện", {DISTRICT}),
    ("Q.1", "Quận", {DISTRICT}),
    ("TX Duyên Hải", "Thị xã", {DISTRICT}),
    ("TP.Trà Vinh", "Thành phố", {DISTRICT, PROVINCE}),
    ("Tp Trà Vinh", "Thành phố", {DISTRICT, PROVINCE}),
    ("T.P Trà Vinh", "Thành phố", {DISTRICT, PROVINCE}),
    ("T. Trà Vinh", "Tỉnh", {PROVINCE}),
    ("Tỉnh Trà Vinh", "Tỉnh", {PROVINCE}),
])  # fmt: skip
def test_prefixes_and_abbreviations(text: str, label: str, levels: set[str]) -> None:
    (segment,) = parse(text)
    assert segment.prefix is not None
    assert (segment.prefix.label, set(segment.prefix.levels)) == (label, levels)


@pytest.mark.parametrize("text", ["Xá Lợi", "Trà Vinh", "Tân Bình", "Quân Chu"])
def test_names_that_only_look_like_prefixes_have_none(text: str) -> None:
    (segment,) = parse(text)
    assert segment.prefix is None


def test_tone_placement_and_diacritics_in_keys() -> None:
    assert name_keys("Hoà Thuận") == name_keys("Hòa Thuận") == ("hòa thuận", "hoa thuan")
    assert name_keys("Ia H' Drai") == ("ia h'drai", "ia h'drai")
    assert split_prefix("Thành Phố Bắc Kạn")[1] == "Bắc Kạn"


@pytest.mark.parametrize("text", ["Ấp Phú Hòa", "Khóm 3", "Tổ 5", "Số 12", "123 Nguyễn Đáng", "KP 2", "Sóc Ruộng"])
def test_street_parts_are_labelled(text: str) -> None:
    (segment,) = parse(text)
    assert segment.street and segment.prefix is None


def test_commas_and_dashes_separate_but_official_dashed_names_stay_whole() -> None:
    known = frozenset({"ba ria-vung tau"})
    assert [s.text for s in parse("Ấp 3 - Xã Long Đức - TP Trà Vinh")] == ["Ấp 3", "Xã Long Đức", "TP Trà Vinh"]
    assert [s.text for s in parse("P2-TP Trà Vinh")] == ["P2", "TP Trà Vinh"]
    assert [s.text for s in parse("Phường 1, Tỉnh Bà Rịa - Vũng Tàu", known)] == ["Phường 1", "Tỉnh Bà Rịa - Vũng Tàu"]
    assert [s.text for s in parse("12-14 Lê Lợi; P.1,, TP Vĩnh Long.")] == ["12-14 Lê Lợi", "P.1", "TP Vĩnh Long"]


def test_text_is_nfc_normalised() -> None:
    decomposed = "Xa\u0303 Long \u0110u\u031b\u0301c"  # "Xã Long Đức" with combining marks
    (segment,) = parse(decomposed)
    assert segment.text == "Xã Long Đức" and segment.key == "long đức"
