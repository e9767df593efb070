"""Parsing the text of an ID card's QR code (issue #3, point 2); samples from vietnam-facts §1.3."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dean06.identity.cards.mojibake import repair_mojibake
from dean06.identity.cards.qr_payload import CardPayload, PayloadParse, parse_payload

TODAY = date(2026, 6, 1)
SAMPLES = [
    "001098012345||NGUYỄN VĂN B|01012000|Nữ|Hà Nội|01012022",
    "001099012345||Nguyễn Văn An|15052002|Nam|Xã Quảng Phú, Huyện Cư M'gar, Đắk Lắk|20042021",
    "038095012345||Nguyễn Văn An|15051995|Nam|Số 12, Tổ 3, Phường Ninh Phú, Thị xã Ninh Hòa, Tỉnh Khánh Hòa|20052021",
    "079198000123||NGUYỄN VĂN A|15101998|Nam|123 Nguyễn Trãi, P.2, Q.5, TP.HCM|20102021",
    "001090123456|012345678|NGUYEN VAN A|01011990|Nam|Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh|15042021",
    "001095012345||Nguyễn Văn Thử|12071995|Nam|Số 1 Ngõ Test, Hà Nội|01012022",
]
# A card of this deployment's province, consistent in every field.
TRA_VINH = "084185000001||Thạch Thị Sa Rây|15051985|Nữ|Ấp Phú Hòa, Xã Long Đức, TP Trà Vinh, Trà Vinh|20042021"
TRA_VINH_CARD = CardPayload(
    personal_id="084185000001",
    old_id=None,
    full_name="Thạch Thị Sa Rây",
    date_of_birth=date(1985, 5, 15),
    gender="Nữ",
    address="Ấp Phú Hòa, Xã Long Đức, TP Trà Vinh, Trà Vinh",
    issue_date=date(2021, 4, 20),
)


def _parse(text: str) -> PayloadParse:
    return parse_payload(text, today=TODAY)


def _codes(parsed: PayloadParse) -> tuple[list[str], list[str]]:
    return [p.code for p in parsed.errors], [p.code for p in parsed.warnings]


def test_a_consistent_card() -> None:
    parsed = _parse(TRA_VINH)
    assert parsed.ok and parsed.card == TRA_VINH_CARD
    assert _codes(parsed) == ([], [])


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_public_sample_parses(sample: str) -> None:
    parsed = _parse(sample)
    assert parsed.ok and parsed.card is not None and not parsed.errors
    assert parsed.card.personal_id == sample[:12]
    assert parsed.card.full_name == sample.split("|")[2]


def test_samples_1_and_2_have_ids_that_disagree_with_their_fields() -> None:
    assert _codes(_parse(SAMPLES[0]))[1] == ["birth_year_mismatch", "gender_mismatch"]
    assert _codes(_parse(SAMPLES[1]))[1] == ["birth_year_mismatch"]
    assert _codes(_parse(SAMPLES[2])) == ([], [])


def test_sample_4_warns_that_the_id_says_female() -> None:
    parsed = _parse(SAMPLES[3])
    assert parsed.ok and parsed.card is not None and parsed.card.gender == "Nam"
    assert _codes(parsed) == ([], ["gender_mismatch"])
    assert parsed.warnings[0].message_vi == "Chữ số thứ 4 “1” là của giới tính Nữ, nhưng giới tính ghi là Nam."


def test_sample_5_has_the_old_cmnd() -> None:
    card = _parse(SAMPLES[4]).card
    assert card is not None
    assert (card.old_id, card.date_of_birth, card.issue_date) == ("012345678", date(1990, 1, 1), date(2021, 4, 15))
    assert card.address == "Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh"


def test_an_empty_old_id_is_none() -> None:
    assert _parse(SAMPLES[0]).card.old_id is None  # type: ignore[union-attr]


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n", "  ", "\r\r\n"])
def test_usb_scanner_line_endings_are_dropped(ending: str) -> None:
    assert _parse(TRA_VINH + ending).card == TRA_VINH_CARD


def test_a_byte_order_mark_is_dropped() -> None:
    assert _parse("\ufeff" + TRA_VINH + "\r").card == TRA_VINH_CARD


def test_nfd_text_becomes_nfc() -> None:
    parsed = _parse(unicodedata.normalize("NFD", TRA_VINH))
    assert parsed.card == TRA_VINH_CARD and parsed.warnings == ()


def test_six_fields_without_the_old_id() -> None:
    fields = TRA_VINH.split("|")
    del fields[1]
    parsed = _parse("|".join(fields))
    assert parsed.card == TRA_VINH_CARD
    assert _codes(parsed) == ([], ["six_fields"])


def test_an_eighth_field_is_ignored_with_a_warning() -> None:
    parsed = _parse(TRA_VINH + "|20042046")
    assert parsed.card == TRA_VINH_CARD
    assert _codes(parsed) == ([], ["extra_field"])
    assert "“20042046”" in parsed.warnings[0].message_vi


def test_shift_jis_mojibake_is_repaired() -> None:
    original = "084085000002||Phạm Minh Đức|01011985|Nam|Xã Quảng Phú, Huyện Cư M'gar, Đắk Lắk|20042021"
    garbled = original.encode("utf-8").decode("cp932")  # what zbar-style decoders produce
    assert "Ph蘯｡m" in garbled
    parsed = _parse(garbled)
    assert parsed.card is not None and parsed.card.full_name == "Phạm Minh Đức"
    assert parsed.card.address == "Xã Quảng Phú, Huyện Cư M'gar, Đắk Lắk"
    assert _codes(parsed) == ([], ["encoding_repaired"])


def _windows_1252(data: bytes) -> str:
    """As browsers decode it: the 5 bytes Windows-1252 leaves undefined become control characters."""
    return "".join(bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in data)


@pytest.mark.parametrize("wrong", [_windows_1252, lambda data: data.decode("latin-1")])
def test_windows_1252_and_latin_1_mojibake_is_repaired(wrong: Callable[[bytes], str]) -> None:
    original = "084085000001||Nguyễn Văn Đức|15051985|Nam|Ấp Phú Hòa, Xã Long Đức, TP Trà Vinh, Trà Vinh|20042021"
    garbled = wrong(original.encode("utf-8"))
    assert "Nguyá»" in garbled
    parsed = _parse(garbled)
    assert parsed.card is not None and parsed.card.full_name == "Nguyễn Văn Đức"
    assert _codes(parsed) == ([], ["encoding_repaired"])


def test_the_repair_leaves_correct_text_alone() -> None:
    for sample in [*SAMPLES, TRA_VINH, "Bà Rịa – Vũng Tàu", "Nguyễn Thị Ánh"]:
        assert repair_mojibake(sample) is None


VIETNAMESE = st.text(
    alphabet="aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ ĐẤỨ|,0-9",
    max_size=60,
)


@given(VIETNAMESE)
def test_no_vietnamese_text_is_taken_for_mojibake(text: str) -> None:
    assert repair_mojibake(text) is None


@pytest.mark.parametrize(
    ("birth", "code", "vi"),
    [
        ("31022000", "date_of_birth_impossible", "Ngày sinh “31022000” không có trên lịch (ngày 31/02/2000)."),
        ("29022001", "date_of_birth_impossible", "không có trên lịch"),
        ("00011990", "date_of_birth_impossible", "không có trên lịch"),
        ("15131990", "date_of_birth_impossible", "không có trên lịch"),
        ("15/05/1985", "date_of_birth_format", "ddmmyyyy"),
        ("1505198", "date_of_birth_format", "ddmmyyyy"),
        ("", "date_of_birth_format", "ddmmyyyy"),
        ("01012030", "date_of_birth_future", "Ngày sinh 01/01/2030 ở sau ngày hôm nay."),
    ],
)
def test_bad_dates_of_birth_are_rejected_never_rolled_over(birth: str, code: str, vi: str) -> None:
    fields = TRA_VINH.split("|")
    fields[3] = birth
    parsed = _parse("|".join(fields))
    assert not parsed.ok and parsed.card is None
    assert _codes(parsed)[0] == [code]
    assert vi in parsed.errors[0].message_vi


def test_a_leap_day_is_a_real_date() -> None:
    parsed = _parse(TRA_VINH.replace("|15051985|", "|29021984|").replace("084185", "084184"))
    assert parsed.ok and parsed.card is not None and parsed.card.date_of_birth == date(1984, 2, 29)


def test_an_impossible_issue_date_and_one_before_birth() -> None:
    assert _codes(_parse(TRA_VINH.replace("|20042021", "|31042021")))[0] == ["issue_date_impossible"]
    assert _codes(_parse(TRA_VINH.replace("|20042021", "|20041980")))[0] == ["issue_before_birth"]


@pytest.mark.parametrize(
    ("index", "value", "code"),
    [
        (0, "08418500000", "personal_id_format"),
        (0, "084185000001x", "personal_id_format"),
        (0, "０８４１８５０００００１", "personal_id_format"),
        (1, "12345", "old_id_format"),
        (2, " ", "full_name_empty"),
        (4, "Male", "gender_unknown"),
        (5, "", "address_empty"),
    ],
)
def test_malformed_fields_are_errors(index: int, value: str, code: str) -> None:
    fields = TRA_VINH.split("|")
    fields[index] = value
    parsed = _parse("|".join(fields))
    assert not parsed.ok and _codes(parsed)[0] == [code]


def test_several_problems_are_reported_together() -> None:
    parsed = _parse("12|x||31022000|?||")
    assert _codes(parsed)[0] == [
        "personal_id_format",
        "old_id_format",
        "full_name_empty",
        "date_of_birth_impossible",
        "gender_unknown",
        "address_empty",
        "issue_date_format",
    ]


@pytest.mark.parametrize("gender", ["NỮ", "nữ", "Nu"])
def test_gender_in_any_case(gender: str) -> None:
    assert _parse(TRA_VINH.replace("|Nữ|", f"|{gender}|")).card == TRA_VINH_CARD


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("\r\n", "empty"),
        ("https://dichvucong.gov.vn", "field_count"),
        ("CCCD:084185000001|CMND:|Thạch Thị Sa Rây", "field_count"),
        (TRA_VINH + "|a|b", "field_count"),
    ],
)
def test_text_that_is_not_a_card(text: str, code: str) -> None:
    parsed = _parse(text)
    assert not parsed.ok and _codes(parsed)[0] == [code]


def test_an_id_rule_broken_on_a_card_is_only_a_warning() -> None:
    parsed = _parse(TRA_VINH.replace("084185", "099185"))
    assert parsed.ok and _codes(parsed) == ([], ["province_code_unknown"])


@given(st.text(st.characters(exclude_categories=())))  # lone surrogates included (JSON "\\ud800" escapes)
def test_no_text_makes_parse_raise(text: str) -> None:
    parsed = parse_payload(text)
    assert parsed.ok == (parsed.card is not None) and parsed.ok == (not parsed.errors)
    shown = [str(parsed.card), *(p.message_vi + p.message_en for p in (*parsed.errors, *parsed.warnings))]
    "".join(shown).encode("utf-8")  # raises on a lone surrogate


def test_lone_surrogates_become_replacement_characters() -> None:
    card = _parse(TRA_VINH.replace("Sa Rây", "Sa R\ud800y")).card
    assert card is not None and card.full_name == "Thạch Thị Sa R\ufffdy"


FIELD = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", "Nam", "Nữ", "084185000001", "012345678", "31022000", "15051985", "Ấp Phú Hòa"]),
    st.integers(0, 10**12).map(str),
)


@given(st.lists(FIELD, max_size=10))
def test_no_fields_make_parse_raise(fields: list[str]) -> None:
    parsed = parse_payload("|".join(fields))
    if parsed.card is not None:
        assert len(parsed.card.personal_id) == 12 and parsed.card.date_of_birth <= parsed.card.issue_date
