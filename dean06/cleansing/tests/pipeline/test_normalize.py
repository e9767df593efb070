"""Normalising raw sector values (pure: no database, no Django)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dean06.cleansing.pipeline.normalize import (
    OLD_MOBILE_PREFIXES,
    AddressParts,
    Quality,
    from_excel_serial,
    normalize_address,
    normalize_date,
    normalize_frame,
    normalize_gender,
    normalize_name,
    normalize_personal_id,
    normalize_phone,
    split_address,
    year_column,
)
from dean06.cleansing.pipeline.schema import Field, normalized, quality

TODAY = date(2026, 11, 27)
Q = Quality

# --- names -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "read"),
    [
        ("Nguyễn Văn An", "Nguyễn Văn An", Q.EXACT),
        ("NGUYỄN văn AN", "Nguyễn Văn An", Q.FORM),
        ("  Nguyễn   Văn  An ", "Nguyễn Văn An", Q.FORM),
        ("Nguye\u0302\u0303n Va\u0306n An", "Nguyễn Văn An", Q.FORM),  # NFD
        ("Lê Thị Hoà", "Lê Thị Hòa", Q.FORM),
        ("Lê Thị Hòa", "Lê Thị Hòa", Q.EXACT),
        ("Trần Thị Thuỷ", "Trần Thị Thủy", Q.FORM),
        ("Trần Thị Thủy", "Trần Thị Thủy", Q.EXACT),
        ("ĐỖ THỊ NGỌC", "Đỗ Thị Ngọc", Q.FORM),
        ("1. Phạm Văn Bình;", "Phạm Văn Bình", Q.FORM),
        ("- Võ Thị Lan.", "Võ Thị Lan", Q.FORM),
        ("Nguyen Van An", "Nguyen Van An", Q.PARTIAL),
        ("NGUYEN VAN AN", "Nguyen Van An", Q.PARTIAL),
        ("", None, Q.MISSING),
        ("   ", None, Q.MISSING),
        (None, None, Q.MISSING),
        ("123", None, Q.INVALID),
        ("--", None, Q.INVALID),
    ],
)
def test_normalize_name(raw: str | None, value: str | None, read: Quality) -> None:
    found = normalize_name(raw)
    assert (found.value, found.quality) == (value, read)


def test_names_in_both_tone_styles_agree() -> None:
    assert normalize_name("Hoà").value == normalize_name("Hòa").value
    assert normalize_name("Thuỷ").value == normalize_name("Thủy").value
    assert normalize_name("KHOẺ").value == normalize_name("khỏe").value


_SYLLABLES = ["hoà", "hòa", "thuỷ", "thủy", "khoẻ", "khỏe", "nguyễn", "văn", "an", "lê", "thị", "xoá", "xóa", "tuỳ"]


@given(st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=4))
def test_tone_styles_normalise_to_one_name(words: list[str]) -> None:
    old = " ".join(words)
    new = old.replace("hoà", "hòa").replace("thuỷ", "thủy").replace("khoẻ", "khỏe").replace("xoá", "xóa")
    assert normalize_name(old).value == normalize_name(new.replace("tuỳ", "tùy")).value


@given(st.text())
def test_normalize_name_is_idempotent(text: str) -> None:
    first = normalize_name(text)
    if first.value is not None:
        again = normalize_name(first.value)
        assert again.value == first.value
        assert again.quality == (Q.PARTIAL if first.quality is Q.PARTIAL else Q.EXACT)


# --- dates -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "read"),
    [
        ("15/05/1990", date(1990, 5, 15), Q.EXACT),
        ("1990-05-15", date(1990, 5, 15), Q.EXACT),
        (date(1990, 5, 15), date(1990, 5, 15), Q.EXACT),
        (datetime(1990, 5, 15), date(1990, 5, 15), Q.FORM),  # noqa: DTZ001 — a cell value has no zone
        ("5/5/1990", date(1990, 5, 5), Q.FORM),
        ("15-05-1990", date(1990, 5, 15), Q.FORM),
        ("15.05.1990", date(1990, 5, 15), Q.FORM),
        ("15/5/1990", date(1990, 5, 15), Q.FORM),
        ("15051990", date(1990, 5, 15), Q.FORM),
        ("1990-5-15", date(1990, 5, 15), Q.FORM),
        ("1990-05-15 00:00:00", date(1990, 5, 15), Q.FORM),
        (" 15/05/1990 ", date(1990, 5, 15), Q.FORM),
        (33008, date(1990, 5, 15), Q.FORM),
        (33008.75, date(1990, 5, 15), Q.FORM),
        ("33008", date(1990, 5, 15), Q.FORM),
        ("33008.0", date(1990, 5, 15), Q.FORM),
        ("05/25/1990", date(1990, 5, 25), Q.SWAPPED),
        ("12/31/1999", date(1999, 12, 31), Q.SWAPPED),
        ("05/25/90", date(1990, 5, 25), Q.SWAPPED),
        ("15/05/90", date(1990, 5, 15), Q.PARTIAL),
        ("1/5/26", date(2026, 5, 1), Q.PARTIAL),
        ("01/12/26", date(2026, 1, 12), Q.SWAPPED),  # 1 December 2026 is still to come  # 26 ≤ today's 26: this century
        ("1/5/27", date(1927, 5, 1), Q.PARTIAL),
        ("03/04/90", date(1990, 4, 3), Q.PARTIAL),  # two-digit year wins over the ambiguity
        ("1990", None, Q.PARTIAL),
        ("1990.0", None, Q.PARTIAL),
        (1990, None, Q.PARTIAL),
        (1990.0, None, Q.PARTIAL),
        ("31/02/2000", None, Q.INVALID),
        ("29/02/2001", None, Q.INVALID),
        ("29/02/2000", date(2000, 2, 29), Q.EXACT),
        ("28/11/2026", None, Q.INVALID),  # tomorrow
        ("2027", None, Q.INVALID),
        ("1899", None, Q.INVALID),
        (date(2030, 1, 1), None, Q.INVALID),
        (date(1899, 12, 31), None, Q.INVALID),
        (datetime(2030, 1, 1), None, Q.INVALID),  # noqa: DTZ001
        ("13/13/1990", None, Q.INVALID),
        ("32/01/1990", None, Q.INVALID),
        (9999, None, Q.INVALID),  # below the serial range
        (60001, None, Q.INVALID),
        (True, None, Q.INVALID),
        (float("nan"), None, Q.INVALID),
        (float("inf"), None, Q.INVALID),
        ("ngày 15", None, Q.INVALID),
        ("", None, Q.MISSING),
        (None, None, Q.MISSING),
    ],
)
def test_normalize_date(raw: str | float | date | None, value: date | None, read: Quality) -> None:
    found = normalize_date(raw, today=TODAY)
    assert (found.value, found.quality) == (value, read)


def test_year_only_keeps_the_year() -> None:
    found = normalize_date("1990", today=TODAY)
    assert (found.value, found.year, found.quality) == (None, 1990, Q.PARTIAL)


def test_two_digit_year_keeps_the_swap_too() -> None:
    found = normalize_date("03/04/90", today=TODAY)
    assert (found.value, found.alternative, found.quality) == (date(1990, 4, 3), date(1990, 3, 4), Q.PARTIAL)


def test_ambiguous_date_is_read_day_first_and_keeps_the_swap() -> None:
    found = normalize_date("05/03/1990", today=TODAY)
    assert (found.value, found.alternative, found.quality) == (date(1990, 3, 5), date(1990, 5, 3), Q.AMBIGUOUS_DATE)
    same = normalize_date("05/05/1990", today=TODAY)  # day = month: no other reading
    assert (same.quality, same.alternative) == (Q.EXACT, None)


def test_a_swap_in_the_future_is_no_reading() -> None:
    today = date(2026, 2, 1)
    past = normalize_date("12/01/2026", today=today)  # month-first would be 1 December 2026
    assert (past.value, past.quality, past.alternative) == (date(2026, 1, 12), Q.EXACT, None)
    swapped = normalize_date("01/12/2026", today=today)  # only month-first is in the past
    assert (swapped.value, swapped.quality) == (date(2026, 1, 12), Q.SWAPPED)


@pytest.mark.parametrize(
    ("serial", "value"),
    [
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (60, None),  # Lotus's 29 February 1900
        (61, date(1900, 3, 1)),
        (0, None),
        (45000, date(2023, 3, 15)),
        (10000, date(1927, 5, 18)),
        (60000, date(2064, 4, 8)),
    ],
)
def test_from_excel_serial(serial: int, value: date | None) -> None:
    assert from_excel_serial(serial) == value


_BIRTH_DATES = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d%m%Y"]


@given(_BIRTH_DATES, st.sampled_from(_FORMATS))
def test_dates_round_trip_through_every_format(day: date, form: str) -> None:
    found = normalize_date(day.strftime(form), today=TODAY)
    assert day in (found.value, found.alternative)
    assert found.quality in (Q.EXACT, Q.FORM, Q.AMBIGUOUS_DATE)


@given(st.dates(min_value=date(1927, 5, 18), max_value=TODAY))
def test_dates_round_trip_through_excel_serials(day: date) -> None:
    serial = (day - date(1899, 12, 30)).days
    assert normalize_date(serial, today=TODAY).value == day
    assert normalize_date(str(serial), today=TODAY).value == day


@given(_BIRTH_DATES)
def test_unpadded_day_first_dates_round_trip(day: date) -> None:
    found = normalize_date(f"{day.day}/{day.month}/{day.year}", today=TODAY)
    assert found.value == day


@given(st.one_of(st.text(), st.integers(), st.floats(), st.dates(), st.none()))
def test_normalize_date_never_raises_and_is_idempotent(raw: str | float | date | None) -> None:
    found = normalize_date(raw, today=TODAY)
    if found.value is not None:
        assert found.value <= TODAY
        again = normalize_date(found.value, today=TODAY)
        assert (again.value, again.quality) == (found.value, Q.EXACT)


# --- gender ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "read"),
    [
        ("Nam", "Nam", Q.EXACT),
        ("Nữ", "Nữ", Q.EXACT),
        ("nam", "Nam", Q.FORM),
        ("NAM", "Nam", Q.FORM),
        (" Nam ", "Nam", Q.FORM),
        ("nữ", "Nữ", Q.FORM),
        ("NỮ", "Nữ", Q.FORM),
        ("nu", "Nữ", Q.FORM),
        ("Nu", "Nữ", Q.FORM),
        ("Nu\u031b\u0303", "Nữ", Q.FORM),  # NFD
        ("Nam giới", "Nam", Q.FORM),
        ("nữ giới", "Nữ", Q.FORM),
        ("Trai", "Nam", Q.FORM),
        ("gái", "Nữ", Q.FORM),
        ("M", "Nam", Q.FORM),
        ("male", "Nam", Q.FORM),
        ("F", "Nữ", Q.FORM),
        ("Female", "Nữ", Q.FORM),
        ("1", None, Q.INVALID),  # 1/0 and 1/2 both occur: a digit says nothing for sure
        ("0", None, Q.INVALID),
        ("x", None, Q.INVALID),
        ("", None, Q.MISSING),
        (None, None, Q.MISSING),
    ],
)
def test_normalize_gender(raw: str | None, value: str | None, read: Quality) -> None:
    found = normalize_gender(raw)
    assert (found.value, found.quality) == (value, read)


# --- ID numbers ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "kind", "read"),
    [
        ("084085000123", "084085000123", "personal_id", Q.EXACT),
        ("084 085 000 123", "084085000123", "personal_id", Q.FORM),
        ("084.085.000.123", "084085000123", "personal_id", Q.FORM),
        ("84085000123", "084085000123", "personal_id", Q.FORM),  # leading zero lost in Excel
        ("０８４０８５０００１２３", "084085000123", "personal_id", Q.FORM),
        ("334123456", "334123456", "old_id_9", Q.EXACT),
        ("34123456", "034123456", "old_id_9", Q.FORM),
        ("08408500012", None, None, Q.INVALID),  # a digit missing, and no zero to restore
        ("08408500012A", None, None, Q.INVALID),
        ("", None, None, Q.MISSING),
        (None, None, None, Q.MISSING),
    ],
)
def test_normalize_personal_id(raw: str | None, value: str | None, kind: str | None, read: Quality) -> None:
    found = normalize_personal_id(raw)
    assert (found.value, found.kind, found.quality) == (value, kind, read)


@given(st.text())
def test_normalize_personal_id_is_idempotent(text: str) -> None:
    first = normalize_personal_id(text)
    if first.value is not None:
        again = normalize_personal_id(first.value)
        assert (again.value, again.kind, again.quality) == (first.value, first.kind, Q.EXACT)


# --- phone numbers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "read"),
    [
        ("0912345678", "0912345678", Q.EXACT),
        ("0912 345 678", "0912345678", Q.FORM),
        ("0912.345.678", "0912345678", Q.FORM),
        ("0912-345-678", "0912345678", Q.FORM),
        ("+84 912 345 678", "0912345678", Q.FORM),
        ("+84912345678", "0912345678", Q.FORM),
        ("84912345678", "0912345678", Q.FORM),
        ("0084912345678", "0912345678", Q.FORM),
        ("912345678", "0912345678", Q.FORM),  # Excel lost the zero
        ("01623456789", "0323456789", Q.FORM),
        ("0169 345 6789", "0393456789", Q.FORM),
        ("+84 1623456789", "0323456789", Q.FORM),
        ("01203456789", "0703456789", Q.FORM),
        ("01993456789", "0593456789", Q.FORM),
        ("02943855555", "02943855555", Q.EXACT),  # landline, Trà Vinh
        ("(0294) 3855 555", "02943855555", Q.FORM),
        ("2943855555", "02943855555", Q.FORM),
        ("0112345678", None, Q.INVALID),
        ("02848123456", "02848123456", Q.EXACT),  # Hồ Chí Minh City landline: its "84" is no country code
        ("091234567", None, Q.INVALID),
        ("01303456789", None, Q.INVALID),  # not an old mobile prefix
        ("không có", None, Q.INVALID),
        ("", None, Q.MISSING),
        (None, None, Q.MISSING),
    ],
)
def test_normalize_phone(raw: str | None, value: str | None, read: Quality) -> None:
    found = normalize_phone(raw)
    assert (found.value, found.quality) == (value, read)


@pytest.mark.parametrize(("old", "new"), OLD_MOBILE_PREFIXES.items())
def test_every_old_mobile_prefix_converts(old: str, new: str) -> None:
    assert normalize_phone(old + "3456789").value == new + "3456789"


def test_old_mobile_prefix_table_is_the_official_one() -> None:
    assert len(OLD_MOBILE_PREFIXES) == 21
    assert OLD_MOBILE_PREFIXES["0162"] == "032"
    assert OLD_MOBILE_PREFIXES["0169"] == "039"
    assert OLD_MOBILE_PREFIXES["0186"] == "056"


@given(st.text())
def test_normalize_phone_is_idempotent(text: str) -> None:
    first = normalize_phone(text)
    if first.value is not None:
        assert normalize_phone(first.value) == type(first)(first.value, Q.EXACT)


# --- addresses -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "parts"),
    [
        (
            "Ấp Phú Hòa, X. Long Đức, TP. Trà Vinh, T. Trà Vinh",
            AddressParts("Ấp Phú Hòa", "Xã Long Đức", "Thành phố Trà Vinh", "Tỉnh Trà Vinh"),
        ),
        (
            "Khóm 3, P.5, TX. Duyên Hải, Trà Vinh",
            AddressParts("Khóm 3", "Phường 5", "Thị xã Duyên Hải", None, ("Trà Vinh",)),
        ),
        ("Tổ 12, TT. Càng Long, H. Càng Long", AddressParts("Tổ 12", "Thị trấn Càng Long", "Huyện Càng Long")),
        ("Thôn Đông, xã Hoà Lợi, tỉnh Vĩnh Long", AddressParts("Thôn Đông", "xã Hòa Lợi", None, "tỉnh Vĩnh Long")),
        (
            "Khu phố 2, Phường Sài Gòn, TP. Hồ Chí Minh",
            AddressParts("Khu phố 2", "Phường Sài Gòn", None, "Thành phố Hồ Chí Minh"),
        ),
        ("KP.4, Q. 1", AddressParts("Khu phố 4", None, "Quận 1")),
        ("12 Nguyễn Huệ - P. 1 - Q. 1", AddressParts(None, "Phường 1", "Quận 1", None, ("12 Nguyễn Huệ",))),
        ("Ấp A, Ấp B", AddressParts("Ấp A", rest=("Ấp B",))),
        ("", AddressParts()),
        (None, AddressParts()),
    ],
)
def test_split_address(raw: str | None, parts: AddressParts) -> None:
    assert split_address(raw) == parts


@pytest.mark.parametrize(
    ("raw", "value", "read"),
    [
        ("Ấp Phú Hòa, Xã Long Đức", "Ấp Phú Hòa, Xã Long Đức", Q.EXACT),
        ("Ấp Phú Hoà,X. Long Đức", "Ấp Phú Hòa, Xã Long Đức", Q.FORM),
        ("", None, Q.MISSING),
    ],
)
def test_normalize_address(raw: str, value: str | None, read: Quality) -> None:
    found = normalize_address(raw)
    assert (found.value, found.quality) == (value, read)


@given(st.text())
def test_address_rules_never_raise_and_are_idempotent(text: str) -> None:
    split_address(text)
    first = normalize_address(text)
    if first.value is not None:
        assert normalize_address(first.value) == type(first)(first.value, Q.EXACT)


@given(st.text())
def test_gender_never_raises(text: str) -> None:
    normalize_gender(text)


# --- frames ----------------------------------------------------------------------------------------------------


def test_normalize_frame_adds_columns_for_present_fields() -> None:
    frame = pl.DataFrame(
        {
            "row": [1, 2, 3],
            Field.FULL_NAME: ["NGUYỄN văn AN", "Lê Thị Hoà", None],
            Field.DATE_OF_BIRTH: ["15/05/1990", "1990", "31/02/2000"],
            Field.PERSONAL_ID: ["84085000123", "084085000123", ""],
            Field.PHONE: ["0162 345 6789", None, "x"],
        }
    )
    out = normalize_frame(frame, today=TODAY)
    assert out[normalized(Field.FULL_NAME)].to_list() == ["Nguyễn Văn An", "Lê Thị Hòa", None]
    assert out[quality(Field.FULL_NAME)].to_list() == ["form", "form", "missing"]
    assert out[normalized(Field.DATE_OF_BIRTH)].to_list() == [date(1990, 5, 15), None, None]
    assert out[quality(Field.DATE_OF_BIRTH)].to_list() == ["exact", "partial", "invalid"]
    assert out[year_column(Field.DATE_OF_BIRTH)].to_list() == [1990, 1990, None]
    assert out[normalized(Field.PERSONAL_ID)].to_list() == ["084085000123", "084085000123", None]
    assert out[quality(Field.PHONE)].to_list() == ["form", "missing", "invalid"]
    assert normalized(Field.GENDER) not in out.columns
    assert out.schema[normalized(Field.DATE_OF_BIRTH)] == pl.Date
    assert isinstance(out.schema[quality(Field.PHONE)], pl.Enum)


def test_normalize_frame_reads_excel_cells_of_any_type() -> None:
    frame = pl.DataFrame({Field.DATE_OF_BIRTH: [33008.0, 1990.0, None], Field.PERSONAL_ID: [84085000123, None, 1]})
    out = normalize_frame(frame, today=TODAY)
    assert out[normalized(Field.DATE_OF_BIRTH)].to_list() == [date(1990, 5, 15), None, None]
    assert out[normalized(Field.PERSONAL_ID)].to_list() == ["084085000123", None, None]


def test_normalize_frame_of_an_empty_frame() -> None:
    out = normalize_frame(pl.DataFrame({Field.GENDER: []}, schema={Field.GENDER: pl.String}), today=TODAY)
    assert out.columns == [Field.GENDER, normalized(Field.GENDER), quality(Field.GENDER)]
    assert out.height == 0 and out[normalized(Field.GENDER)].dtype == pl.String


def test_tomorrow_is_in_the_future() -> None:
    assert normalize_date(TODAY + timedelta(days=1), today=TODAY).quality is Q.INVALID
