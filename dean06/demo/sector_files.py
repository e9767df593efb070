"""Sector lists typed the way offices type them, with a catalogue of injected errors and a truth file (pure Python).

Two layouts, both read by `dean06.cleansing.pipeline.reading`:

- a welfare list (XLSX, "Danh sách đối tượng bảo trợ xã hội"): title rows above the header, STT, Họ và tên,
  Ngày sinh (a date cell, a bare serial number or text), Giới tính, Số CCCD/CMND, Địa chỉ thường trú, Ấp/Khóm,
  Đối tượng, Mức trợ cấp, and a "Tổng cộng" row at the end. Written with xlsxwriter in constant-memory mode, so a
  million rows take no more memory than a hundred;
- an insurance list (CSV, UTF-8 with a BOM, Windows-1258 or TCVN3): a title line, then Mã số BHXH, Họ tên,
  Ngày sinh, Giới tính, Số định danh, Số điện thoại, Địa chỉ, Hạn thẻ BHYT.

Each row is a registry person (or someone the registry does not know) typed with errors drawn from `CATALOGUE`.
An error is *form* (the row stays exact once normalised: Hoà/Hòa, capitals, ID separators, a lost leading zero,
another full date format, unit abbreviations) or *content* (the row is fixable: docs/cleansing.md "Definitions").
The truth file (Parquet) gives, per data row, the expected person, the expected class and the errors applied.

Every row draws from its own random stream, seeded by (seed, source, variant): an exact repeat of a row is the
same source drawn again, so nothing has to be kept to write it twice.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from random import Random
from typing import Final, Literal

import polars as pl
import xlsxwriter  # type: ignore[import-untyped]

from dean06.demo.names import NEW_TONE_STYLE
from dean06.demo.population import AS_OF, DECEASED, FEMALE, MALE, Geography, HouseholdRow
from dean06.text import strip_diacritics

Kind = Literal["welfare", "insurance"]
Encoding = Literal["utf-8-sig", "cp1258", "tcvn3"]

NOT_FOUND_SHARE: Final = 0.03  # people the registry does not know
REPEAT_SHARE: Final = 0.02  # a person typed twice (half the time a copy of the row, half the time retyped)
CLEAN_SHARE: Final = 0.40  # rows typed without any error, form or content
EXCEL_EPOCH: Final = date(1899, 12, 30)  # serial 0 in the 1900 system (after the fictitious 29 February 1900)


@dataclass(frozen=True, slots=True)
class Resident:
    """What an office knows of a person: the registry's values and where they live, in both eras' units."""

    person_id: int | None  # the registry key; None for someone the registry does not know
    personal_id: str
    old_id: str  # 9-digit CMND or ""
    full_name: str
    date_of_birth: date
    gender: str  # "Nam" | "Nữ"
    deceased: bool
    phone: str
    street: str  # "Số 12" or ""
    hamlet: str  # "Ấp Phú Hòa", "Khóm 3" or ""
    commune: str  # 2025 commune: "Phường Long Đức"
    province: str  # 2025 province: "Tỉnh Vĩnh Long"
    old_commune: str  # "Xã Long Đức"
    old_district: str  # "Thành phố Trà Vinh"
    old_province: str  # "Tỉnh Trà Vinh"


def address_spots(address: str) -> tuple[str, str]:
    """(street, hamlet) at the head of a generated address ("Số 12, Khóm 3, Phường …" → ("Số 12", "Khóm 3"))."""
    parts = address.split(", ")
    street = parts[0] if parts and parts[0].startswith("Số ") else ""
    rest = parts[1:] if street else parts
    hamlet = rest[0] if rest and rest[0].startswith(("Ấp ", "Khóm ", "Tổ ", "Thôn ")) else ""
    return street, hamlet


def residents(
    households: Iterable[HouseholdRow], geography: Geography, *, first_id: int | None = 1
) -> Iterator[Resident]:
    """Generated persons as residents; `first_id` numbers them as the registry would (None: not in the registry)."""
    old = {c.id: c for c in geography.communes}
    new = {s.id: s.name for c in geography.communes for s in c.successors}
    number = 0
    for household in households:
        street, hamlet = address_spots(household.address)
        for p in household.members:
            commune = old[p.legacy_commune_id]
            yield Resident(
                person_id=None if first_id is None else first_id + number,
                personal_id=p.personal_id,
                old_id=p.old_id,
                full_name=p.full_name,
                date_of_birth=p.date_of_birth,
                gender=p.gender,
                deceased=p.status == DECEASED,
                phone=p.phone,
                street=street,
                hamlet=hamlet,
                commune=new[p.commune_id],
                province=geography.province,
                old_commune=commune.name,
                old_district=commune.district,
                old_province=commune.province,
            )
            number += 1


# --- a row as typed ------------------------------------------------------------------------------------------------

Cell = str | int | float | date | None


@dataclass(slots=True)
class Typed:
    """One person's cells as an officer typed them; errors change them in place."""

    person: Resident
    name: str
    dob: Cell  # text, an Excel date (date), a bare serial or a year (int)
    personal_id: Cell  # text, or an int when the cell became a number (lost leading zero)
    gender: str | None
    units: Literal["2025", "pre2025"] = "2025"
    abbreviate: bool = False
    address_missing: bool = False
    touched: set[str] = field(default_factory=set)  # fields whose form already changed: one date, ID, gender form


@dataclass(frozen=True, slots=True)
class Error:
    name: str
    field: str
    weight: float
    content: bool  # True: the registry would correct this (fixable); False: form only (the row stays exact)
    description: str
    apply: Callable[[Typed, Random, Kind], bool]  # False when it does not apply to this row


_LETTERS: Final = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_OLD_TONE_STYLE: Final = {new: old for old, new in NEW_TONE_STYLE.items()}


def _tone_style(t: Typed, rng: Random, kind: Kind) -> bool:
    words = t.name.split(" ")
    swapped = [NEW_TONE_STYLE.get(w, _OLD_TONE_STYLE.get(w, w)) for w in words]
    t.name = " ".join(swapped)
    return swapped != words


def _caps_spaces(t: Typed, rng: Random, kind: Kind) -> bool:
    roll = rng.random()
    name = t.name.upper() if roll < 0.6 else t.name
    if roll >= 0.3:  # a doubled space between two words, or a space left at either end
        words = name.split(" ")
        i = rng.randrange(len(words))
        words[i] = f" {words[i]}" if i else f"{words[i]} "
        name = " ".join(words) + (" " if rng.random() < 0.5 else "")
    changed = name != t.name
    t.name = name
    return changed


def _no_diacritics(t: Typed, rng: Random, kind: Kind) -> bool:
    plain = strip_diacritics(t.name)
    changed = plain != t.name
    t.name = plain
    return changed


def _given_first(t: Typed, rng: Random, kind: Kind) -> bool:
    words = t.name.split()
    if len(words) < 2:
        return False
    t.name = " ".join([words[-1], *words[:-1]])
    return True


def _wrong_letter(t: Typed, rng: Random, kind: Kind) -> bool:
    spots = [i for i, ch in enumerate(t.name) if ch.isalpha() and ch.islower()]
    if not spots:
        return False
    i = rng.choice(spots)
    t.name = t.name[:i] + rng.choice([c for c in _LETTERS if c != t.name[i]]) + t.name[i + 1 :]
    return True


def _run_together(t: Typed, rng: Random, kind: Kind) -> bool:
    words = t.name.split()
    if len(words) < 3:
        return False
    i = rng.randrange(1, len(words) - 1)
    t.name = " ".join([*words[:i], words[i] + words[i + 1].lower(), *words[i + 2 :]])
    return True


def _once(t: Typed, name: str) -> bool:
    """Each of date, ID and gender is typed one way: a second error on the same field does not apply."""
    if name in t.touched:
        return False
    t.touched.add(name)
    return True


def _dob_text(render: Callable[[date], str | None]) -> Callable[[Typed, Random, Kind], bool]:
    def apply(t: Typed, rng: Random, kind: Kind) -> bool:
        text = render(t.person.date_of_birth)
        if text is None or not _once(t, "dob"):
            return False
        t.dob = text
        return True

    return apply


def _swapped(born: date) -> str | None:
    return None if born.day == born.month else f"{born.month:02d}/{born.day:02d}/{born.year}"


def _year_only(t: Typed, rng: Random, kind: Kind) -> bool:
    if not _once(t, "dob"):
        return False
    year = t.person.date_of_birth.year
    t.dob = year if kind == "welfare" and rng.random() < 0.7 else str(year)  # a number cell, or text
    return True


def _id_form(render: Callable[[str, Random, Kind], Cell]) -> Callable[[Typed, Random, Kind], bool]:
    def apply(t: Typed, rng: Random, kind: Kind) -> bool:
        if not _once(t, "id"):
            return False
        t.personal_id = render(t.person.personal_id, rng, kind)
        return True

    return apply


def _separated(digits: str, rng: Random, kind: Kind) -> str:
    mark = rng.choice((" ", ".", "-"))
    return mark.join(digits[i : i + 3] for i in range(0, 12, 3))


def _zero_lost(digits: str, rng: Random, kind: Kind) -> Cell:
    return int(digits) if kind == "welfare" else digits.lstrip("0")  # Excel turned the cell into a number


def _wrong_digit(digits: str, rng: Random, kind: Kind) -> str:
    i = rng.randrange(3, 12)
    return digits[:i] + rng.choice([d for d in "0123456789" if d != digits[i]]) + digits[i + 1 :]


def _transposed(digits: str, rng: Random, kind: Kind) -> str:
    spots = [i for i in range(3, 11) if digits[i] != digits[i + 1]]
    if not spots:  # ten equal digits in a row: a wrong digit instead, still one typing slip
        return _wrong_digit(digits, rng, kind)
    i = rng.choice(spots)
    return digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]


def _missing_digit(digits: str, rng: Random, kind: Kind) -> str:
    i = rng.randrange(3, 12)
    return digits[:i] + digits[i + 1 :]


def _old_id(t: Typed, rng: Random, kind: Kind) -> bool:
    if not t.person.old_id or not _once(t, "id"):
        return False
    t.personal_id = t.person.old_id
    return True


def _no_id(t: Typed, rng: Random, kind: Kind) -> bool:
    if not _once(t, "id"):
        return False
    t.personal_id = None
    return True


def _gender_case(t: Typed, rng: Random, kind: Kind) -> bool:
    if not _once(t, "gender"):
        return False
    t.gender = rng.choice((str.lower, str.upper))(t.person.gender)
    return True


def _gender_set(value: Callable[[str], str | None]) -> Callable[[Typed, Random, Kind], bool]:
    def apply(t: Typed, rng: Random, kind: Kind) -> bool:
        if not _once(t, "gender"):
            return False
        t.gender = value(t.person.gender)
        return True

    return apply


def _abbreviated(t: Typed, rng: Random, kind: Kind) -> bool:
    t.abbreviate = True
    return True


def _old_units(t: Typed, rng: Random, kind: Kind) -> bool:
    t.units = "pre2025"
    return True


def _no_address(t: Typed, rng: Random, kind: Kind) -> bool:
    t.address_missing = True
    return True


# Weights are relative draws among the rows that get errors (60 % of rows get one to three).
CATALOGUE: Final[tuple[Error, ...]] = (
    Error("name_tone_style", "name", 4, False, "Hoà ↔ Hòa, Thuỷ ↔ Thủy: the other tone-mark placement", _tone_style),
    Error("name_caps_spaces", "name", 5, False, "ALL CAPS, doubled or trailing spaces", _caps_spaces),
    Error("name_no_diacritics", "name", 8, True, "typed without diacritics (Nguyen Van An)", _no_diacritics),
    Error("name_given_first", "name", 3, True, "given name first (An Nguyễn Văn)", _given_first),
    Error("name_wrong_letter", "name", 5, True, "one wrong letter", _wrong_letter),
    Error("name_run_together", "name", 3, True, "two words run together (Văn Thịnh → Vănthịnh)", _run_together),
    Error("dob_d_m_yyyy", "dob", 4, False, "d/m/yyyy without zeros (5/3/1985)",
          _dob_text(lambda d: f"{d.day}/{d.month}/{d.year}")),
    Error("dob_iso", "dob", 2, False, "yyyy-mm-dd", _dob_text(date.isoformat)),
    Error("dob_year_only", "dob", 5, True, "the year only (1985, text or a number cell)", _year_only),
    Error("dob_two_digit_year", "dob", 3, True, "a two-digit year (05/03/85)",
          _dob_text(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}")),
    Error("dob_day_month_swapped", "dob", 4, True, "month first (03/25/1985 for 25 March)", _dob_text(_swapped)),
    Error("id_separators", "id", 4, False, "ID in groups of three with spaces, dots or dashes", _id_form(_separated)),
    Error("id_lost_zero", "id", 4, False, "leading zero lost (a number cell in Excel)", _id_form(_zero_lost)),
    Error("id_wrong_digit", "id", 3, True, "one wrong ID digit", _id_form(_wrong_digit)),
    Error("id_transposed", "id", 3, True, "two neighbouring ID digits swapped", _id_form(_transposed)),
    Error("id_missing_digit", "id", 3, True, "one ID digit left out", _id_form(_missing_digit)),
    Error("id_old_cmnd", "id", 5, True, "the old 9-digit CMND instead of the 12-digit ID", _old_id),
    Error("id_missing", "id", 10, True, "no ID", _no_id),
    Error("gender_case", "gender", 4, False, "nam, NAM, nữ, NỮ", _gender_case),
    Error("gender_missing", "gender", 4, True, "gender left blank", _gender_set(lambda g: None)),
    Error("gender_wrong", "gender", 2, True, "the other gender", _gender_set(lambda g: FEMALE if g == MALE else MALE)),
    Error("gender_digit", "gender", 2, True, "1/0 for Nam/Nữ (unreadable: lists use 1/0 and 1/2)",
          _gender_set(lambda g: "1" if g == MALE else "0")),
    Error("address_abbreviated", "address", 8, False, "X., P., TT., H., TX., TP., T. for the unit words", _abbreviated),
    Error("address_old_units", "address", 10, True, "pre-2025 units: commune, district, old province", _old_units),
    Error("address_missing", "address", 2, True, "no address (no commune to compare)", _no_address),
)  # fmt: skip
ERRORS: Final = {e.name: e for e in CATALOGUE}

_ABBREVIATIONS: Final = (
    ("Thị trấn ", "TT."), ("Thị xã ", "TX."), ("Thành phố ", "TP."), ("Xã ", "X."), ("Phường ", "P."),
    ("Huyện ", "H."), ("Tỉnh ", "T."),
)  # fmt: skip


def _abbreviate(unit: str, rng: Random) -> str:
    for word, short in _ABBREVIATIONS:
        if unit.startswith(word):
            return short + ("" if rng.random() < 0.3 else " ") + unit[len(word) :]
    return unit


# --- rows ----------------------------------------------------------------------------------------------------------

HamletPlace = Literal["column", "address", "both", "none"]


@dataclass(frozen=True, slots=True)
class Truth:
    person_id: int | None
    personal_id: str | None
    row_class: str  # exact | fixable | deceased | not_found | duplicate
    errors: tuple[str, ...]
    hamlet: HamletPlace  # where the hamlet was typed (the welfare list has its own Ấp/Khóm column)


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    truth: Truth


def _base_dob(born: date, rng: Random, kind: Kind) -> Cell:
    if kind == "welfare":
        roll = rng.random()
        if roll < 0.6:
            return born  # a date cell
        serial = (born - EXCEL_EPOCH).days
        if roll < 0.7 and serial >= 10_000:  # the date's serial, its format lost (4 digits would read as a year)
            return serial
    return f"{born.day:02d}/{born.month:02d}/{born.year}"


_NAMES: Final = [e.name for e in CATALOGUE]
_WEIGHTS: Final = [e.weight for e in CATALOGUE]


def _typed(person: Resident, rng: Random, kind: Kind) -> tuple[Typed, list[str]]:
    typed = Typed(
        person, person.full_name, _base_dob(person.date_of_birth, rng, kind), person.personal_id, person.gender
    )
    applied: list[str] = []
    if rng.random() >= CLEAN_SHARE:
        for name in rng.choices(_NAMES, _WEIGHTS, k=rng.choice((1, 1, 1, 2, 2, 3))):
            if name not in applied and ERRORS[name].apply(typed, rng, kind):
                applied.append(name)
    return typed, applied


def _units(t: Typed, rng: Random) -> list[str]:
    p = t.person
    units = [p.commune, p.province] if t.units == "2025" else [p.old_commune, p.old_district, p.old_province]
    return [_abbreviate(u, rng) for u in units] if t.abbreviate else units


def _welfare_cells(t: Typed, rng: Random, serial: int) -> tuple[tuple[Cell, ...], HamletPlace]:
    p = t.person
    place: HamletPlace = "none" if not p.hamlet else rng.choices(("column", "address", "both"), (7, 2, 1))[0]
    units = _units(t, rng)
    head = [p.street] if p.street else []
    if place in ("address", "both"):
        head.append(p.hamlet)
    address = None if t.address_missing else ", ".join([*head, *units])
    hamlet = p.hamlet if place in ("column", "both") and not t.address_missing else None
    group, amount = rng.choice(_WELFARE_GROUPS)
    cells = (serial, t.name, t.dob, t.gender, t.personal_id, address, hamlet, group, amount)
    return cells, place if not t.address_missing else "none"


_WELFARE_GROUPS: Final = (
    ("Người cao tuổi", 500_000), ("Người khuyết tật nặng", 750_000), ("Người khuyết tật đặc biệt nặng", 1_000_000),
    ("Trẻ em mồ côi", 1_000_000), ("Người đơn thân nghèo nuôi con", 500_000),
)  # fmt: skip


def _insurance_cells(t: Typed, rng: Random, serial: int) -> tuple[tuple[Cell, ...], HamletPlace]:
    p = t.person
    head = [s for s in (p.street, p.hamlet) if s]
    address = None if t.address_missing else ", ".join([*head, *_units(t, rng)])
    social_no = f"86{rng.randrange(10**8):08d}"
    card_end = f"31/12/{AS_OF.year + rng.choice((0, 0, 1))}"
    cells = (serial, social_no, t.name, t.dob, t.gender, t.personal_id, p.phone or None, address, card_end)
    return cells, "address" if p.hamlet and not t.address_missing else "none"


def _row_class(person: Resident, applied: Sequence[str]) -> str:
    if person.person_id is None:
        return "not_found"
    if person.deceased:
        return "deceased"
    return "fixable" if any(ERRORS[e].content for e in applied) else "exact"


def sector_rows(
    registered: Sequence[Resident],
    absent: Sequence[Resident],
    *,
    kind: Kind,
    rows: int,
    seed: int,
    deceased_share: float | None = None,
) -> Iterator[Row]:
    """`rows` rows in file order: registry persons (each at most once, but for the repeats), `NOT_FOUND_SHARE`
    of `absent` people, `REPEAT_SHARE` repeats. `deceased_share`: that share of the first copies are deceased
    persons (a welfare list still paying the dead); None takes persons as they come."""
    rng = Random(seed)  # synthetic data, not secrets
    missing = min(round(rows * NOT_FOUND_SHARE), len(absent))
    repeats = round(rows * REPEAT_SHARE)
    listed = rows - missing - repeats
    if listed > len(registered) or listed < 1:
        raise ValueError(f"{rows} rows need {listed} distinct registry persons; {len(registered)} given")
    if deceased_share is None:
        chosen = rng.sample(range(len(registered)), listed)
    else:
        dead = [i for i, r in enumerate(registered) if r.deceased]
        alive = [i for i, r in enumerate(registered) if not r.deceased]
        k = min(len(dead), round(listed * deceased_share))
        chosen = rng.sample(dead, k) + rng.sample(alive, listed - k)
    # (source, variant): sources index registered, then absent; variant 0 is the typed row, 1 a retyping.
    plan = [(i, 0) for i in chosen] + [(len(registered) + j, 0) for j in rng.sample(range(len(absent)), missing)]
    plan += [(i, rng.choice((0, 1))) for i in rng.choices(chosen, k=repeats)]
    rng.shuffle(plan)
    cells_of = _welfare_cells if kind == "welfare" else _insurance_cells
    seen: set[int] = set()
    for serial, (source, variant) in enumerate(plan, start=1):
        person = registered[source] if source < len(registered) else absent[source - len(registered)]
        row_rng = Random(seed * 7_919_113 + source * 2 + variant)  # same source + variant: the same row
        typed, applied = _typed(person, row_rng, kind)
        cells, place = cells_of(typed, row_rng, serial)
        row_class = _row_class(person, applied)
        if source in seen:
            row_class, applied = "duplicate", ["repeated_row", *applied]
        seen.add(source)
        truth = Truth(person.person_id, None if person.person_id is None else person.personal_id, row_class,
                      tuple(applied), place)  # fmt: skip
        yield Row(cells, truth)


# --- files ---------------------------------------------------------------------------------------------------------

WELFARE_HEADER: Final = (
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD/CMND", "Địa chỉ thường trú", "Ấp/Khóm", "Đối tượng",
    "Mức trợ cấp (đồng)",
)  # fmt: skip
INSURANCE_HEADER: Final = (
    "STT", "Mã số BHXH", "Họ tên", "Ngày sinh", "Giới tính", "Số định danh", "Số điện thoại", "Địa chỉ",
    "Hạn thẻ BHYT",
)  # fmt: skip
WELFARE_TITLE_ROWS: Final = 4  # three title lines and a blank line above the header
INSURANCE_TITLE_ROWS: Final = 1
TRUTH_SCHEMA: Final = pl.Schema(
    {"row": pl.Int64(), "t_person_id": pl.Int64(), "t_personal_id": pl.String(), "t_class": pl.String(),
     "t_errors": pl.String(), "t_hamlet": pl.String()}
)  # fmt: skip


@dataclass(frozen=True)
class SectorFile:
    path: Path
    truth_path: Path
    rows: int
    classes: dict[str, int]
    errors: dict[str, int]


class _TruthSink:
    """Collects the truth in columns (cheaper than a million small objects) and counts classes and errors."""

    def __init__(self) -> None:
        self.columns: dict[str, list[object]] = {name: [] for name in TRUTH_SCHEMA}
        self.classes: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()

    def add(self, truth: Truth) -> None:
        c = self.columns
        c["row"].append(len(c["row"]) + 1)
        c["t_person_id"].append(truth.person_id)
        c["t_personal_id"].append(truth.personal_id)
        c["t_class"].append(truth.row_class)
        c["t_errors"].append(",".join(truth.errors))
        c["t_hamlet"].append(truth.hamlet)
        self.classes[truth.row_class] += 1
        self.errors.update(truth.errors)

    def write(self, path: Path, sector_path: Path) -> SectorFile:
        pl.DataFrame(self.columns, schema=TRUTH_SCHEMA).write_parquet(path)
        rows = len(self.columns["row"])
        return SectorFile(sector_path, path, rows, dict(self.classes), dict(self.errors))


def truth_path_for(path: Path) -> Path:
    return path.with_name(f"{path.stem}.truth.parquet")


def _welfare_write(path: Path, rows: Iterable[Row], sink: _TruthSink) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        sheet = book.add_worksheet("Danh sách")
        bold = book.add_format({"bold": True, "align": "center"})
        day = book.add_format({"num_format": "dd/mm/yyyy"})
        money = book.add_format({"num_format": "#,##0"})
        last = len(WELFARE_HEADER) - 1
        sheet.merge_range(0, 0, 0, last, "ỦY BAN NHÂN DÂN TỈNH VĨNH LONG", bold)
        sheet.merge_range(1, 0, 1, last, "DANH SÁCH ĐỐI TƯỢNG BẢO TRỢ XÃ HỘI HƯỞNG TRỢ CẤP XÃ HỘI HẰNG THÁNG", bold)
        sheet.merge_range(2, 0, 2, last, f"Tháng {AS_OF.month} năm {AS_OF.year}", bold)
        sheet.write_row(WELFARE_TITLE_ROWS, 0, WELFARE_HEADER, bold)
        line = WELFARE_TITLE_ROWS
        total = 0
        for row in rows:
            line += 1
            for col, value in enumerate(row.cells):
                # The typed writers, not `write`: its type sniffing is a third of the time at a million rows.
                if isinstance(value, str):
                    sheet.write_string(line, col, value)
                elif isinstance(value, date):
                    sheet.write_datetime(line, col, value, day)  # xlsxwriter takes a date
                elif value is not None:  # a number cell: a serial, a year, an ID that lost its zero, money
                    sheet.write_number(line, col, value, money if col == last else None)
            amount = row.cells[last]
            total += amount if isinstance(amount, int) else 0
            sink.add(row.truth)
        sheet.merge_range(line + 1, 0, line + 1, 1, "Tổng cộng", bold)
        sheet.write_string(line + 1, 2, f"{line - WELFARE_TITLE_ROWS} người")
        sheet.write_number(line + 1, last, total, money)
    finally:
        book.close()


_TONE_MARKS: Final = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _cp1258_char(ch: str) -> str:
    """Windows-1258 has ă â ê ô ơ ư đ precomposed but the five tones only as combining marks."""
    parts = unicodedata.normalize("NFD", ch)
    tones = "".join(c for c in parts if c in _TONE_MARKS)
    return unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS)) + tones


def _encoder(encoding: Encoding) -> Callable[[str], bytes]:
    if encoding == "utf-8-sig":
        return lambda text: text.encode("utf-8")
    if encoding == "tcvn3":
        from dean06.cleansing.pipeline.legacy_encodings import to_tcvn3

        return lambda text: to_tcvn3(text).encode("cp1252")
    table: dict[str, str] = {}

    def cp1258(text: str) -> bytes:
        out = []
        for ch in text:
            if ch not in table:
                table[ch] = _cp1258_char(ch)
            out.append(table[ch])
        return "".join(out).encode("cp1258")

    return cp1258


def _insurance_write(path: Path, rows: Iterable[Row], sink: _TruthSink, encoding: Encoding) -> None:
    encode = _encoder(encoding)
    with path.open("wb") as out:
        if encoding == "utf-8-sig":
            out.write(b"\xef\xbb\xbf")
        lines: list[str] = []

        class _Lines:  # csv.writer wants a file; collect the lines and encode them in batches
            def write(self, text: str) -> None:
                lines.append(text)

        writer = csv.writer(_Lines(), lineterminator="\r\n")
        writer.writerow(["DANH SÁCH NGƯỜI THAM GIA BẢO HIỂM Y TẾ"])
        writer.writerow(INSURANCE_HEADER)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row.cells])
            sink.add(row.truth)
            if len(lines) >= 10_000:
                out.write(encode("".join(lines)))
                lines.clear()
        out.write(encode("".join(lines)))


def sector_file_write(
    path: Path,
    registered: Sequence[Resident],
    absent: Sequence[Resident],
    *,
    kind: Kind,
    rows: int,
    seed: int,
    encoding: Encoding = "utf-8-sig",
    deceased_share: float | None = None,
) -> SectorFile:
    """Write the list to `path` (XLSX for welfare, CSV for insurance) and its truth to `truth_path_for(path)`.

    The truth's `row` is the data row as the reader numbers it (1 = the first line below the header)."""
    sink = _TruthSink()
    stream = sector_rows(registered, absent, kind=kind, rows=rows, seed=seed, deceased_share=deceased_share)
    if kind == "welfare":
        _welfare_write(path, stream, sink)
    else:
        _insurance_write(path, stream, sink, encoding)
    return sink.write(truth_path_for(path), path)


def catalogue_table() -> list[tuple[str, str, str, str]]:
    """(name, field, form | content, description) of each error, for documentation and reports."""
    return [(e.name, e.field, "content" if e.content else "form", e.description) for e in CATALOGUE]
