"""Normalise one raw sector value at a time, and say how it was read (pure Python, no Django).

Every function returns a frozen result with the canonical `value` (None when missing or unreadable) and a
`Quality`, so the classifier can tell a value that differs only in form (EXACT, FORM) from one whose content is
incomplete or doubtful (PARTIAL, AMBIGUOUS_DATE, SWAPPED) or absent (MISSING, INVALID).

Decisions:
- A year-only date keeps `value=None` and the year in `NormalizedDate.year` (never a made-up 1 January);
  `normalize_frame` writes that year to the extra column `year_column(Field.DATE_OF_BIRTH)`.
- When a date is both ambiguous and incomplete, one quality wins: SWAPPED > PARTIAL > AMBIGUOUS_DATE.
- Gender digits ("0", "1", "2") are not read: lists use both 1/0 and 1/2 for Nam/Nữ, so a digit is INVALID.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import partial
from typing import Final, Literal

import polars as pl

from dean06.cleansing.pipeline.schema import Field, normalized, quality
from dean06.identity.cards.idnumbers import PERSONAL_ID_LENGTH, Gender, normalize_id, parse_gender
from dean06.text import canonical_tone, fold, nfc


class Quality(StrEnum):
    """How a raw value was read; EXACT and FORM agree with the same content written another way."""

    EXACT = "exact"  # already canonical
    FORM = "form"  # changed in form only: case, spacing, NFC, tone placement, date format, ID separators, zeros
    PARTIAL = "partial"  # content incomplete: year only, two-digit year, name without diacritics
    AMBIGUOUS_DATE = "ambiguous_date"  # day and month both ≤ 12: read day-first, the swap kept as `alternative`
    SWAPPED = "swapped"  # month/day order: only the swap is a real date (05/25/1990)
    MISSING = "missing"  # empty
    INVALID = "invalid"  # unreadable


@dataclass(frozen=True)
class Normalized[T]:
    value: T | None
    quality: Quality


_MISSING: Final[Normalized[str]] = Normalized(None, Quality.MISSING)
_INVALID: Final[Normalized[str]] = Normalized(None, Quality.INVALID)


def _text_result(raw: str, value: str, *, incomplete: bool = False) -> Normalized[str]:
    if incomplete:
        return Normalized(value, Quality.PARTIAL)
    return Normalized(value, Quality.EXACT if value == raw else Quality.FORM)


# --- names -----------------------------------------------------------------------------------------------------

# Digits, punctuation and underscores left at either end by typing or copying ("1. Nguyễn Văn An;").
_NAME_ENDS: Final = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def normalize_name(text: str | None) -> Normalized[str]:
    """Canonical full name: NFC, one tone placement, single spaces, each word capitalised ("NGUYỄN văn AN")."""
    if text is None or not nfc(text):
        return _MISSING
    stripped = _NAME_ENDS.sub("", nfc(text))
    if not stripped:
        return _INVALID
    # canonical_tone last: it re-collapses spaces and fixes the mark on the cased word.
    value = canonical_tone(" ".join(word.capitalize() for word in stripped.split(" ")))
    # Whole name in plain ASCII letters: most likely typed without marks, so its content is incomplete.
    unmarked = value.isascii() and value.replace(" ", "").isalpha()
    return _text_result(text, value, incomplete=unmarked)


# --- dates -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NormalizedDate(Normalized[date]):
    year: int | None = None  # set whenever a year was read, also for a year-only value (value is then None)
    alternative: date | None = None  # the month-first reading when it is a real date too (AMBIGUOUS_DATE, PARTIAL)


EXCEL_SERIALS: Final = range(10_000, 60_001)  # 1927-05-18 … 2064-04-08: numbers plausibly meant as dates
_EXCEL_EPOCH: Final = date(1899, 12, 31)  # serial 1 is 1900-01-01
_LOTUS_LEAP_DAY: Final = 60  # Excel counts a 29 February 1900 that never was (kept from Lotus 1-2-3)
_MIN_YEAR: Final = 1900
_ISO: Final = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")  # readers add a zero time
_DMY: Final = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})")
_DMY_PACKED: Final = re.compile(r"(\d{2})(\d{2})(\d{4})")  # ddmmyyyy typed without separators
_SERIAL: Final = re.compile(r"\d{5}(?:\.\d+)?")  # a serial read as text, maybe with the time of day
_YEAR: Final = re.compile(r"\d{4}(?:\.0+)?")  # also a year cell read as a float
_DATE_MISSING: Final = NormalizedDate(None, Quality.MISSING)
_DATE_INVALID: Final = NormalizedDate(None, Quality.INVALID)


def from_excel_serial(serial: int) -> date | None:
    """The date of a 1900-system Excel serial number; None for 60 (the fictitious 1900-02-29) and below 1."""
    if serial < 1 or serial == _LOTUS_LEAP_DAY:
        return None
    return _EXCEL_EPOCH + timedelta(days=serial - (1 if serial > _LOTUS_LEAP_DAY else 0))


def _plausible(found: date | None, today: date) -> date | None:
    """A date of birth lies between 1900 and today; any other date is no reading."""
    return found if found is not None and found.year >= _MIN_YEAR and found <= today else None


def _real_date(year: int, month: int, day: int, today: date) -> date | None:
    try:
        return _plausible(date(year, month, day), today)
    except ValueError:
        return None


def _dated(found: date | None, quality: Quality) -> NormalizedDate:
    return _DATE_INVALID if found is None else NormalizedDate(found, quality, found.year)


def _day_first(day: int, month: int, year: int, today: date, *, year_2: bool) -> NormalizedDate:
    found = _real_date(year, month, day, today)
    if found is None:
        return _dated(_real_date(year, day, month, today), Quality.SWAPPED)
    swap = _real_date(year, day, month, today) if day != month else None
    if year_2:
        return NormalizedDate(found, Quality.PARTIAL, year, swap)
    return NormalizedDate(found, Quality.FORM if swap is None else Quality.AMBIGUOUS_DATE, year, swap)


def _from_serial(serial: float, today: date) -> NormalizedDate:
    whole = math.floor(serial)  # a fraction is the time of day
    found = from_excel_serial(whole) if whole in EXCEL_SERIALS else None
    return _dated(_plausible(found, today), Quality.FORM)


def _from_number(number: float, today: date) -> NormalizedDate:
    if isinstance(number, float) and not math.isfinite(number):
        return _DATE_INVALID
    if number == int(number) and _MIN_YEAR <= number <= today.year:
        return NormalizedDate(None, Quality.PARTIAL, int(number))
    return _from_serial(number, today)


def _from_text(text: str, today: date) -> NormalizedDate:
    if (found := _ISO.fullmatch(text)) is not None:
        year, month, day = map(int, found.groups())
        value = _real_date(year, month, day, today)
        return _dated(value, Quality.EXACT if value is not None and value.isoformat() == text else Quality.FORM)
    if (found := _DMY.fullmatch(text)) is not None:
        day, month, year = int(found[1]), int(found[3]), int(found[4])
        year_2 = len(found[4]) == 2
        if year_2:  # the century that keeps the date in the past
            year += 2000 if year <= today.year % 100 else 1900
        result = _day_first(day, month, year, today, year_2=year_2)
        exact = result.quality is Quality.FORM and text == f"{day:02d}/{month:02d}/{year}"
        return replace(result, quality=Quality.EXACT) if exact else result
    if (found := _DMY_PACKED.fullmatch(text)) is not None:
        return _day_first(int(found[1]), int(found[2]), int(found[3]), today, year_2=False)
    if _YEAR.fullmatch(text) is not None:
        return _from_number(float(text), today)
    if _SERIAL.fullmatch(text) is not None:
        return _from_serial(float(text), today)
    return _DATE_INVALID


def normalize_date(value: str | float | date | None, *, today: date) -> NormalizedDate:
    """A date of birth from text, an Excel serial, a year or a date; dates after `today` are INVALID.

    Text formats: dd/mm/yyyy (also with "-" or "."), d/m/yyyy, d/m/yy (century: up to today's two-digit year
    → 2000s, else 1900s), yyyy-mm-dd, ddmmyyyy, a year (1900 … today), an Excel serial (10000 … 60000).
    """
    if value is None:
        return _DATE_MISSING
    if isinstance(value, datetime):  # a date cell read with its (zero) time of day: same date, another form
        return _dated(_plausible(value.date(), today), Quality.FORM)
    if isinstance(value, date):
        return _dated(_plausible(value, today), Quality.EXACT)
    if isinstance(value, bool):  # bool is an int: a checkbox cell is not a date
        return _DATE_INVALID
    if isinstance(value, int | float):
        return _from_number(value, today)
    text = nfc(value)
    if not text:
        return _DATE_MISSING
    found = _from_text(text, today)
    return replace(found, quality=Quality.FORM) if found.quality is Quality.EXACT and text != value else found


# --- gender ----------------------------------------------------------------------------------------------------

# Besides Nam/Nữ in any case and with or without marks (parse_gender): words and English codes seen in lists.
_GENDER_WORDS: Final[dict[str, Gender]] = {
    "nam gioi": "Nam",
    "trai": "Nam",
    "m": "Nam",
    "male": "Nam",
    "nu gioi": "Nữ",
    "gai": "Nữ",
    "f": "Nữ",
    "female": "Nữ",
}


def normalize_gender(text: str | None) -> Normalized[str]:
    """Nam or Nữ from Nam/Nữ in any case or without marks, nam giới/nữ giới, trai/gái, M/F, male/female."""
    if text is None or not nfc(text):
        return _MISSING
    found = parse_gender(text) or _GENDER_WORDS.get(fold(text))
    return _INVALID if found is None else _text_result(text, found)


# --- ID numbers ------------------------------------------------------------------------------------------------

IdKind = Literal["personal_id", "old_id_9"]


@dataclass(frozen=True)
class NormalizedId(Normalized[str]):
    kind: IdKind | None = None  # None when missing or invalid


def normalize_personal_id(text: str | None) -> NormalizedId:
    """A 12-digit personal ID or a 9-digit CMND number by the identity rules (separators removed, lost zeros
    restored: FORM). Whether an old number belongs to a person with a 12-digit ID is for the registry to say."""
    if text is not None and len(text) == PERSONAL_ID_LENGTH and text.isascii() and text.isdigit():
        return NormalizedId(text, Quality.EXACT, "personal_id")  # the common case, as `normalize_id` reads it
    if text is None or not nfc(text):
        return NormalizedId(None, Quality.MISSING)
    found = normalize_id(nfc(text))
    if found.kind == "invalid":
        return NormalizedId(None, Quality.INVALID)
    return NormalizedId(found.digits, Quality.EXACT if found.digits == text else Quality.FORM, found.kind)


# --- phone numbers ---------------------------------------------------------------------------------------------

# Ministry of Information and Communications, 2018: 11-digit mobile prefixes → 10-digit ones.
OLD_MOBILE_PREFIXES: Final[dict[str, str]] = {
    "0120": "070",
    "0121": "079",
    "0122": "077",
    "0126": "076",
    "0128": "078",
    "0123": "083",
    "0124": "084",
    "0125": "085",
    "0127": "081",
    "0129": "082",
    **{f"016{d}": f"03{d}" for d in range(2, 10)},
    "0186": "056",
    "0188": "058",
    "0199": "059",
}
_PHONE_SEPARATORS: Final = re.compile(r"[\s.\-()\u2010-\u2015\uff0d\uff0e]+")
_FULL_WIDTH_DIGITS: Final = str.maketrans({chr(0xFF10 + d): str(d) for d in range(10)})
_COUNTRY: Final = re.compile(r"^(?:\+|00)?84(?=\d{9,10}$)")
_MOBILE: Final = re.compile(r"0[35789]\d{8}")
_LANDLINE: Final = re.compile(r"02\d{9}")  # area code 02x(x) and the subscriber number: 11 digits since 2017
_ZERO_LOST: Final = re.compile(r"[35789]\d{8}|2\d{9}")  # Excel drops the leading zero of a number cell


def normalize_phone(text: str | None) -> Normalized[str]:
    """A Vietnamese number in national form: mobile 0xxxxxxxxx (10 digits), landline 02xxxxxxxxx (11 digits).

    Removes spaces, dots, dashes and brackets and the +84/84/0084 prefix, restores a lost leading zero and
    converts the pre-2018 11-digit mobile prefixes (0162 → 032 …); all of that is FORM."""
    if text is None or not nfc(text):
        return _MISSING
    digits = _COUNTRY.sub("0", _PHONE_SEPARATORS.sub("", text.translate(_FULL_WIDTH_DIGITS)), count=1)
    if _ZERO_LOST.fullmatch(digits):
        digits = "0" + digits
    if len(digits) == 11 and digits[:4] in OLD_MOBILE_PREFIXES:
        digits = OLD_MOBILE_PREFIXES[digits[:4]] + digits[4:]
    if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits):
        return _text_result(text, digits)
    return _INVALID


# --- addresses -------------------------------------------------------------------------------------------------

_ABBREVIATIONS: Final[dict[str, str]] = {
    "tt": "Thị trấn",
    "tx": "Thị xã",
    "tp": "Thành phố",
    "x": "Xã",
    "p": "Phường",
    "h": "Huyện",
    "q": "Quận",
    "t": "Tỉnh",
    "kp": "Khu phố",
}
_ABBREVIATION: Final = re.compile(r"(?i)(tt|tx|tp|kp|x|p|h|q|t)\.\s*")
_HAMLET_WORDS: Final = ("khu pho", "to dan pho", "ap", "khom", "to", "thon", "xom", "ban", "buon")
_COMMUNE_WORDS: Final = ("thi tran", "xa", "phuong", "dac khu")
_DISTRICT_WORDS: Final = ("thi xa", "huyen", "quan")
_CITY: Final = "thanh pho"  # a province-level or a district-level city: its place in the address tells
_PROVINCE: Final = "tinh"
_SEGMENT_SEPARATORS: Final = re.compile(r"\s*[,;]\s*|\s+-\s+")


@dataclass(frozen=True)
class AddressParts:
    """An address cut into units, each with its unit word written out ("X. Long Đức" → "Xã Long Đức")."""

    hamlet: str | None = None
    commune: str | None = None
    district: str | None = None
    province: str | None = None
    rest: tuple[str, ...] = ()  # segments without a unit word (house number, street), in order


def _expand(segment: str) -> str:
    found = _ABBREVIATION.match(segment)
    if found is None:
        return segment
    words = segment[found.end() :]
    return f"{_ABBREVIATIONS[found[1].lower()]} {words}" if words else segment


def _starts_with(segment: str, words: tuple[str, ...]) -> bool:
    folded = fold(segment)
    return any(folded == word or folded.startswith(word + " ") for word in words)


def split_address(text: str | None) -> AddressParts:
    """Hamlet, commune, district and province of a comma-separated address (old or 2025 units alike).

    A "Thành phố" segment is the province when it ends the address and the district otherwise; the resolver
    against the unit lists decides when that guess is wrong ("Phường 5, TP. Trà Vinh")."""
    segments = [_expand(s) for s in _SEGMENT_SEPARATORS.split(canonical_tone(text or "")) if s]
    parts: dict[str, str] = {}
    rest: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if _starts_with(segment, _HAMLET_WORDS):
            slot = "hamlet"
        elif _starts_with(segment, _COMMUNE_WORDS):
            slot = "commune"
        elif _starts_with(segment, _DISTRICT_WORDS) or (_starts_with(segment, (_CITY,)) and not last):
            slot = "district"
        elif _starts_with(segment, (_PROVINCE, _CITY)):
            slot = "province"
        else:
            rest.append(segment)
            continue
        if slot in parts:  # a second unit of one level is not understood: keep it, unread
            rest.append(segment)
        else:
            parts[slot] = segment
    return AddressParts(**parts, rest=tuple(rest))


def normalize_address(text: str | None) -> Normalized[str]:
    """The address with canonical text and unit abbreviations written out, segments joined by ", " (FORM)."""
    if text is None or not nfc(text):
        return _MISSING
    segments = [expanded for s in _SEGMENT_SEPARATORS.split(canonical_tone(text)) if (expanded := _expand(s))]
    if not segments:
        return _MISSING  # separators only, e.g. ","
    return _text_result(text, ", ".join(segments))


# --- frames ----------------------------------------------------------------------------------------------------


def year_column(field: Field) -> str:
    """Column with the year of a date field, also for year-only values whose date column stays null."""
    return f"{normalized(field)}_year"


_QUALITY_TYPE: Final = pl.Enum([q.value for q in Quality])
_TEXT_RULES: Final[dict[Field, Callable[[str | None], Normalized[str]]]] = {
    Field.FULL_NAME: normalize_name,
    Field.PERSONAL_ID: normalize_personal_id,
    Field.OLD_ID: normalize_personal_id,
    Field.GENDER: normalize_gender,
    Field.PHONE: normalize_phone,
    Field.ADDRESS: normalize_address,
    Field.COMMUNE: normalize_address,
    Field.HAMLET: normalize_address,
}


def _apply[V, R](rule: Callable[[V], R], values: list[V]) -> list[R]:
    """The rule on each value, computed once per distinct value: lists repeat genders, communes and hamlets."""
    memo: dict[V, R] = {}
    return [memo[v] if v in memo else memo.setdefault(v, rule(v)) for v in values]


def normalize_frame(frame: pl.DataFrame, *, today: date) -> pl.DataFrame:
    """Add `n_<field>` and `q_<field>` (and the year of the date of birth) for each Field column present.

    Field columns are read as text; social insurance and bank account numbers are left as they are."""
    added: list[pl.Series] = []
    for field, rule in _TEXT_RULES.items():
        if field.value in frame.columns:
            results = _apply(rule, frame[field.value].cast(pl.String).to_list())
            added.append(pl.Series(normalized(field), [r.value for r in results], dtype=pl.String))
            added.append(pl.Series(quality(field), [r.quality.value for r in results], dtype=_QUALITY_TYPE))
    field = Field.DATE_OF_BIRTH
    if field.value in frame.columns:
        dates = _apply(partial(normalize_date, today=today), frame[field.value].to_list())
        added.append(pl.Series(normalized(field), [r.value for r in dates], dtype=pl.Date))
        added.append(pl.Series(quality(field), [r.quality.value for r in dates], dtype=_QUALITY_TYPE))
        added.append(pl.Series(year_column(field), [r.year for r in dates], dtype=pl.Int32))
    return frame.with_columns(added)
