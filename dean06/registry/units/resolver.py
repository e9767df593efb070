"""Resolve an old (or new) address or unit code to today's commune(s), era-aware and without guessing.

A code means nothing without its era (29263 was "Xã Long Đức" and is now "Phường Long Đức"), and a ward
name means nothing without its district ("Phường 2" exists in many towns). So the resolver:

1. splits the text into segments ("Ấp Phú Hòa, X. Long Đức, TP Trà Vinh") and reads their prefixes;
2. tries every reading of the segments as commune < district < province, with the commune as far left as
   possible; every named level must contain the commune (a district implies the pre-2025 era; an old
   province name also means the new province it went into, at a small cost);
3. without a named province, prefers readings inside the home province;
4. keeps the readings with the fewest approximations (spelling without diacritics, a different unit type);
5. maps old communes through the official table: one reading with several new communes is "split", readings
   that disagree are "ambiguous", none is "not_found" — with a message saying why.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypedDict

from django.conf import settings

from dean06.registry.models.units import Era, Level, UnitSuccession
from dean06.registry.units.index import Unit, UnitIndex, unit_index
from dean06.registry.units.parse import Segment, parse_address
from dean06.text import nfc

Status = Literal["ok", "ambiguous", "split", "not_found"]
EraName = Literal["pre2025", "2025"]
SNAPSHOT: Final = "04/01/2025"
_CODE_RE: Final = re.compile(r"\d{1,5}")
_LEVEL_RANK: Final = {Level.DISTRICT: 0, Level.PROVINCE: 1}
_MAX_OUTER: Final = 3  # district + old province + new province
_CODE_LEVELS: Final = {
    1: (Level.PROVINCE, 2),
    2: (Level.PROVINCE, 2),
    3: (Level.DISTRICT, 3),
    4: (Level.COMMUNE, 5),
    5: (Level.COMMUNE, 5),
}
_LEVEL_VI: Final = {Level.PROVINCE: "tỉnh", Level.DISTRICT: "huyện", Level.COMMUNE: "xã"}


class UnitRefDict(TypedDict):
    code: str | None
    name: str


class CommuneDict(TypedDict):
    code: str
    name: str
    province_code: str


class RetiredDict(TypedDict):
    merged_into: UnitRefDict
    effective: str
    source: str


class MatchDict(TypedDict):
    era: str
    commune: UnitRefDict | None
    district: UnitRefDict | None
    province: UnitRefDict | None
    merge: str | None
    new_codes: list[str]
    retired: RetiredDict | None


class LegacyDict(TypedDict):
    eras: list[str]
    matches: list[MatchDict]
    street: list[str]
    unrecognised: list[str]
    home_province_assumed: str | None


class ResolutionDict(TypedDict):
    status: Status
    communes: list[CommuneDict]
    legacy: LegacyDict
    message_vi: str
    message_en: str


@dataclass(frozen=True)
class NewCommune:
    code: str
    name: str
    province_code: str


@dataclass(frozen=True)
class UnitRef:
    code: str | None  # None: a commune retired before the NSO snapshot (its code is not in the data)
    name: str

    def as_dict(self) -> UnitRefDict:
        return {"code": self.code, "name": self.name}


@dataclass(frozen=True)
class Retired:
    merged_into: UnitRef
    effective: str
    source: str


@dataclass(frozen=True)
class LegacyMatch:
    """One recognised reading: the unit found (with its own district and province) and where it went."""

    era: str
    commune: UnitRef | None
    district: UnitRef | None
    province: UnitRef | None
    merge: str | None  # "whole"/"partial" for an old commune; None for a 2025 unit
    new_codes: tuple[str, ...]
    retired: Retired | None = None

    def as_dict(self) -> MatchDict:
        retired: RetiredDict | None = None
        if self.retired:
            merged = self.retired.merged_into.as_dict()
            retired = {"merged_into": merged, "effective": self.retired.effective, "source": self.retired.source}
        return {
            "era": self.era,
            "commune": self.commune.as_dict() if self.commune else None,
            "district": self.district.as_dict() if self.district else None,
            "province": self.province.as_dict() if self.province else None,
            "merge": self.merge,
            "new_codes": list(self.new_codes),
            "retired": retired,
        }


@dataclass(frozen=True)
class Legacy:
    matches: tuple[LegacyMatch, ...] = ()
    street: tuple[str, ...] = ()
    unrecognised: tuple[str, ...] = ()
    home_province_assumed: str | None = None

    @property
    def eras(self) -> tuple[str, ...]:
        return tuple(era for era in (Era.PRE2025, Era.Y2025) if any(m.era == era for m in self.matches))

    def as_dict(self) -> LegacyDict:
        return {
            "eras": list(self.eras),
            "matches": [m.as_dict() for m in self.matches],
            "street": list(self.street),
            "unrecognised": list(self.unrecognised),
            "home_province_assumed": self.home_province_assumed,
        }


@dataclass(frozen=True)
class Resolution:
    status: Status
    communes: tuple[NewCommune, ...]
    legacy: Legacy
    message_vi: str
    message_en: str

    def as_dict(self) -> ResolutionDict:
        return {
            "status": self.status,
            "communes": [{"code": c.code, "name": c.name, "province_code": c.province_code} for c in self.communes],
            "legacy": self.legacy.as_dict(),
            "message_vi": self.message_vi,
            "message_en": self.message_en,
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=indent)


@dataclass(frozen=True, slots=True)
class _Reading:
    """The most specific unit found (commune, else district, else province) and its approximation cost."""

    unit: Unit
    score: int
    named_province: bool


@dataclass(frozen=True)
class _Found:
    readings: list[_Reading]
    street: tuple[str, ...]
    home_assumed: str | None = None


# --- matching -------------------------------------------------------------------------------------------


def _strict_kinds(index: UnitIndex, segment: Segment) -> bool:
    """A prefix restricts the unit type only if some unit of that name has that type: "Huyện Duyên Hải" must
    not match Thị xã Duyên Hải, but "TX Vĩnh Long" (a city since 2009) may match Thành phố Vĩnh Long."""
    if segment.prefix is None:
        return False
    return any(
        unit.kind in segment.prefix.kinds
        for level in segment.prefix.levels
        for unit in index.by_name.get((level, segment.fold_key), ())
    )


def _candidates(index: UnitIndex, segment: Segment, level: str, era: str | None) -> list[tuple[Unit, int]]:
    """Units the segment may name at `level`, each with its cost: +1 spelt differently (when the text has
    diacritics), +1 another unit type."""
    found: list[tuple[Unit, int]] = []
    strict = level != Level.COMMUNE and _strict_kinds(index, segment)
    spelt = segment.accented  # text without any diacritics cannot prefer "Thanh" over "Thành"
    for unit in index.by_name.get((level, segment.fold_key), ()):
        if level == Level.COMMUNE and era is not None and unit.era != era:
            continue
        other_kind = segment.prefix is not None and unit.kind not in segment.prefix.kinds
        if other_kind and strict:
            continue
        found.append((unit, int(spelt and unit.key != segment.key) + int(other_kind)))
    return found


def _fit(index: UnitIndex, inner: Unit, outer: Unit) -> int | None:
    """Extra cost of `outer` containing `inner`, or None if it does not."""
    if outer.level == Level.DISTRICT:
        return 0 if inner.district_id == outer.id else None  # 2025 communes have no district: a district means pre-2025
    if inner.era == outer.era:
        return 0 if inner.province_id == outer.id else None
    if inner.era == Era.PRE2025:  # old unit under a new province name ("…, TP Trà Vinh, Vĩnh Long")
        return 1 if outer.id in index.new_provinces.get(inner.id, ()) else None
    return 1 if outer.id in index.old_provinces.get(inner.id, ()) else None  # "Phường Long Đức, Trà Vinh"


def _outer_levels(segments: Sequence[Segment]) -> Iterator[tuple[str, ...]]:
    """Ways to read the segments after the commune: at most one district, then provinces."""
    if len(segments) > _MAX_OUTER:
        return
    options = [[lv for lv in (Level.DISTRICT, Level.PROVINCE) if lv in s.levels] for s in segments]
    for levels in itertools.product(*options):
        ranks = [_LEVEL_RANK[lv] for lv in levels]
        if ranks == sorted(ranks) and levels.count(Level.DISTRICT) <= 1:
            yield levels


def _best_fit(index: UnitIndex, inner: Unit, options: list[tuple[Unit, int]]) -> tuple[Unit, int] | None:
    fits = [(unit, cost + extra) for unit, cost in options if (extra := _fit(index, inner, unit)) is not None]
    return min(fits, key=lambda fit: fit[1], default=None)


def _read(
    index: UnitIndex, inner: list[tuple[Unit, int]], outer: Sequence[Segment], era: str | None
) -> dict[int, _Reading]:
    """Readings of the `inner` candidates (the most specific segment) that every outer segment contains."""
    readings: dict[int, _Reading] = {}
    for levels in _outer_levels(outer):
        options = [_candidates(index, s, lv, era) for s, lv in zip(outer, levels, strict=True)]
        for unit, cost in inner:
            fits = [_best_fit(index, unit, level_options) for level_options in options]
            if any(fit is None for fit in fits):
                continue
            total = cost + sum(fit[1] for fit in fits if fit is not None)
            if unit.id not in readings or total < readings[unit.id].score:
                readings[unit.id] = _Reading(unit, total, Level.PROVINCE in levels)
    return readings


def _inner(index: UnitIndex, segment: Segment, era: str | None, with_commune: bool) -> list[tuple[Unit, int]]:
    levels = (Level.COMMUNE,) if with_commune else (Level.DISTRICT, Level.PROVINCE)
    return [found for level in levels if level in segment.levels for found in _candidates(index, segment, level, era)]


def _find(index: UnitIndex, segments: list[Segment], era: str | None) -> _Found:
    """Readings with the commune as far left as possible; if none, readings that stop at a district/province."""
    for with_commune in (True, False):
        for start, segment in enumerate(segments):
            if start and segments[start - 1].prefix is not None:
                break  # a segment naming a unit type cannot be skipped as street detail
            outer = segments[start + 1 :]
            readings = _read(index, _inner(index, segment, era, with_commune), outer, era)
            if readings and with_commune and not outer and segment.prefix is None:
                # a lone bare name ("Trà Vinh") may be the province or district as much as the ward
                readings |= _read(index, _inner(index, segment, era, False), outer, era)
            if readings:
                ordered = sorted(readings.values(), key=lambda r: (r.unit.era, r.unit.code, r.unit.id))
                return _Found(ordered, tuple(s.text for s in segments[:start]))
    return _Found([], ())


def _in_home(index: UnitIndex, unit: Unit, home: Unit) -> bool:
    if unit.era == Era.Y2025:
        return unit.province_id == home.id
    return home.id in index.new_provinces.get(unit.id, ())


def _prefer_home(index: UnitIndex, found: _Found, home_code: str) -> _Found:
    """With no province named, readings inside the home province win (the deployment's own residents)."""
    home = index.by_code.get((Era.Y2025, home_code))
    if home is None or any(r.named_province for r in found.readings):
        return found
    local = [r for r in found.readings if _in_home(index, r.unit, home)]
    if not local or len(local) == len(found.readings):
        return found
    return _Found(local, found.street, home_code)


def _prefer_two_tier(found: _Found) -> _Found:
    """A 2025 commune read straight under its province means no district was written (a three-tier reading of
    the same words would have needed one to fit a 2025 unit): such an address is written in today's units, so the
    old commune of the same name ("Xã Tân Phú, Tỉnh Vĩnh Long") is not a second reading."""
    today = [
        r for r in found.readings if r.unit.era == Era.Y2025 and r.unit.level == Level.COMMUNE and r.named_province
    ]
    others = [r for r in found.readings if r not in today]
    if not today or not others or any(r.unit.level != Level.COMMUNE for r in others):
        return found
    return _Found(today, found.street, found.home_assumed)


def _cheapest(readings: list[_Reading]) -> list[_Reading]:
    best = min(r.score for r in readings)
    return [r for r in readings if r.score == best]


# --- outcome --------------------------------------------------------------------------------------------


def _targets(index: UnitIndex, unit: Unit) -> tuple[Unit, ...]:
    """Today's communes of a commune reading (none for a district or province reading)."""
    if unit.level != Level.COMMUNE:
        return ()
    if unit.era == Era.Y2025:
        return (unit,)
    return tuple(s.unit for s in index.successors.get(unit.id, ()))


def _ref(unit: Unit | None) -> UnitRef | None:
    return UnitRef(unit.code or None, unit.name) if unit else None


def _merge(index: UnitIndex, unit: Unit) -> str | None:
    """How an old commune went into its successors: "partial" if any part was split off, else "whole"."""
    successors = index.successors.get(unit.id, ())
    if unit.era != Era.PRE2025 or unit.level != Level.COMMUNE or not successors:
        return None
    partial = any(s.merge == UnitSuccession.Merge.PARTIAL for s in successors)
    return str(UnitSuccession.Merge.PARTIAL if partial else UnitSuccession.Merge.WHOLE)


def _retired(index: UnitIndex, unit: Unit) -> Retired | None:
    row = index.retired.get(unit.id)
    if row is None:
        return None
    absorber = index.by_code[(Era.PRE2025, row.merged_into)]
    return Retired(UnitRef(absorber.code, absorber.name), row.effective.isoformat(), row.source)


def _match(index: UnitIndex, unit: Unit) -> LegacyMatch:
    district_id = unit.id if unit.level == Level.DISTRICT else unit.district_id
    district = index.units[district_id] if district_id is not None else None
    commune = unit if unit.level == Level.COMMUNE else None
    province = index.units[unit.province_id]
    new_codes = tuple(t.code for t in _targets(index, unit))
    return LegacyMatch(
        unit.era, _ref(commune), _ref(district), _ref(province), _merge(index, unit), new_codes, _retired(index, unit)
    )


def _commune(index: UnitIndex, unit: Unit) -> NewCommune:
    return NewCommune(unit.code, unit.name, index.units[unit.province_id].code)


_ERA_TAG: Final[dict[str, dict[str, str]]] = {
    "vi": {Era.PRE2025: "danh mục trước 2025", Era.Y2025: "danh mục 2025"},
    "en": {Era.PRE2025: "pre-2025 list", Era.Y2025: "2025 list"},
}


def _describe(index: UnitIndex, unit: Unit, lang: str | None = None) -> str:
    """ "Phường Long Đức (29263), Tỉnh Vĩnh Long"; with `lang`, the era is named too (codes repeat across eras)."""
    tags = [unit.code] if unit.code else []
    if lang:
        tags.append(_ERA_TAG[lang][unit.era])
    where = [unit.name + (f" ({', '.join(tags)})" if tags else "")]
    if unit.district_id is not None:
        where.append(index.units[unit.district_id].name)
    if unit.level != Level.PROVINCE:
        where.append(index.units[unit.province_id].name)
    return ", ".join(where)


def _list(index: UnitIndex, units: Sequence[Unit], lang: str | None = None) -> str:
    return "; ".join(_describe(index, u, lang) for u in units)


def _notes(index: UnitIndex, matches: Sequence[LegacyMatch], home_assumed: str | None) -> tuple[str, str]:
    vi: list[str] = []
    en: list[str] = []
    if home_assumed:
        home = index.by_code[(Era.Y2025, home_assumed)].name
        vi.append(f"Địa chỉ không ghi tỉnh: đã ưu tiên đơn vị thuộc {home}.")
        en.append(f"No province given: units in {home} (the home province) were preferred.")
    for m in matches:
        if m.retired and m.commune and m.district:
            into, when = m.retired.merged_into.name, m.retired.effective
            vi.append(f"{m.commune.name} ({m.district.name}) đã nhập vào {into} từ {when} ({m.retired.source}).")
            en.append(f"{m.commune.name} ({m.district.name}) was merged into {into} on {when} ({m.retired.source}).")
    return "".join(f" {n}" for n in vi), "".join(f" {n}" for n in en)


def _outcome(index: UnitIndex, readings: list[_Reading], legacy: Legacy) -> Resolution:
    outcomes = {r.unit.id: _targets(index, r.unit) for r in readings}
    distinct = {frozenset(t.id for t in targets) for targets in outcomes.values()}
    units = sorted({t for targets in outcomes.values() for t in targets}, key=lambda u: u.code)
    communes = tuple(_commune(index, u) for u in units)
    note_vi, note_en = _notes(index, legacy.matches, legacy.home_province_assumed)
    found = [r.unit for r in readings]
    found_vi, found_en = _list(index, found, "vi"), _list(index, found, "en")
    if len(distinct) > 1:
        return Resolution(
            "ambiguous",
            communes,
            legacy,
            f"Địa chỉ có {len(readings)} cách hiểu dẫn tới kết quả khác nhau: {found_vi}. "
            f"Cần ghi rõ xã/huyện/tỉnh.{note_vi}",
            f"The address has {len(readings)} readings with different results: {found_en}. "
            f"Name the commune/district/province.{note_en}",
        )
    if not units:
        return Resolution(
            "not_found",
            (),
            legacy,
            f"{found_vi} có trong danh mục cũ nhưng không có trong bảng chuyển đổi chính thức.{note_vi}",
            f"{found_en} is in the old list but not in the official conversion table.{note_en}",
        )
    if len(units) > 1:
        return Resolution(
            "split",
            communes,
            legacy,
            f"{found_vi} đã được chia cho {len(units)} đơn vị mới: {_list(index, units)}. "
            f"Cần thêm chi tiết (ấp, khóm, số nhà) để chọn.{note_vi}",
            f"{found_en} was split between {len(units)} new units: {_list(index, units)}. "
            f"More detail (hamlet, house number) is needed to choose.{note_en}",
        )
    return Resolution(
        "ok",
        communes,
        legacy,
        f"Đơn vị hiện nay: {_describe(index, units[0])}.{note_vi}",
        f"Today's unit: {_describe(index, units[0])}.{note_en}",
    )


def _not_found(message_vi: str, message_en: str, legacy: Legacy | None = None) -> Resolution:
    return Resolution("not_found", (), legacy or Legacy(), message_vi, message_en)


def _above_commune(index: UnitIndex, readings: list[_Reading], legacy: Legacy) -> Resolution:
    units = [r.unit for r in readings]
    return _not_found(
        f"Chỉ xác định được {_list(index, units, 'vi')}; cần tên hoặc mã xã/phường/thị trấn.",
        f"Only {_list(index, units, 'en')} could be identified; a commune name or code is needed.",
        legacy,
    )


def _explain_missing(index: UnitIndex, segments: list[Segment], era: str | None) -> Resolution:
    """Say what was not recognised: an unknown name, or a known name outside the units named around it."""
    unknown = tuple(s.text for s in segments if s.prefix and not any(_candidates(index, s, lv, era) for lv in s.levels))
    if unknown:
        listed = ", ".join(f"“{t}”" for t in unknown)
        return _not_found(
            f"Không tìm thấy {listed} trong danh mục đơn vị hành chính (NSO {SNAPSHOT} và danh mục 2025).",
            f"{listed} is not in the unit lists (NSO list of {SNAPSHOT} and the 2025 list).",
            Legacy(unrecognised=unknown),
        )
    for start, segment in enumerate(segments):
        if Level.COMMUNE in segment.levels and _candidates(index, segment, Level.COMMUNE, era):
            context = ", ".join(s.text for s in segments[start + 1 :]) or "?"
            return _not_found(
                f"Không có “{segment.text}” thuộc “{context}” trong danh mục NSO ngày {SNAPSHOT} hay danh mục 2025. "
                f"Đơn vị này có thể đã được sáp nhập trước ngày {SNAPSHOT}; hệ thống không đoán.",
                f"There is no “{segment.text}” in “{context}” in the NSO list of {SNAPSHOT} or the 2025 list. "
                f"It may have been merged before {SNAPSHOT}; the resolver does not guess.",
                Legacy(unrecognised=(segment.text,)),
            )
    return _not_found(
        "Không nhận ra đơn vị hành chính nào trong địa chỉ.",
        "No administrative unit was recognised in the address.",
        Legacy(unrecognised=tuple(s.text for s in segments)),
    )


def _legacy(index: UnitIndex, readings: list[_Reading], street: tuple[str, ...], home: str | None) -> Legacy:
    return Legacy(tuple(_match(index, r.unit) for r in readings), street, (), home)


def _resolve_found(index: UnitIndex, found: _Found) -> Resolution:
    legacy = _legacy(index, found.readings, found.street, found.home_assumed)
    if all(r.unit.level != Level.COMMUNE for r in found.readings):
        return _above_commune(index, found.readings, legacy)
    return _outcome(index, found.readings, legacy)


def _resolve_code(index: UnitIndex, digits: str, era: str | None) -> Resolution:
    """A bare code: 4 or 5 digits a commune (leading zeros may have been lost), 3 a district, 1 or 2 a province."""
    level, width = _CODE_LEVELS[len(digits)]
    code = digits.zfill(width)
    eras = [era] if era else [Era.PRE2025, Era.Y2025]
    units = [u for e in eras if (u := index.by_code.get((e, code))) is not None and u.level == level]
    if not units:
        return _not_found(
            f"Không có đơn vị cấp {_LEVEL_VI[level]} nào mang mã {code}.",
            f"No {level} has the code {code}.",
        )
    return _resolve_found(index, _Found([_Reading(u, 0, False) for u in units], ()))


def resolve_address(text: str, *, home_province: str | None = None, era: EraName | None = None) -> Resolution:
    """Today's commune(s) for an address or unit code of either era.

    `home_province` is the 2025 code of the deployment's province (None: `settings.DEAN06_HOME_PROVINCE`;
    "": no preference). `era` restricts the commune (or code) to one list; by default both are tried.
    """
    if era not in (None, Era.PRE2025, Era.Y2025):
        raise ValueError(f"era must be 'pre2025' or '2025', not {era!r}")
    index = unit_index()
    if not index.units:
        return _not_found(
            "Chưa nạp danh mục đơn vị hành chính (chạy `dean06 units load`).",
            "The unit lists are not loaded (run `dean06 units load`).",
        )
    text = nfc(text)
    if _CODE_RE.fullmatch(text):
        return _resolve_code(index, text, era)
    segments = parse_address(text, index.has_name)
    if not segments:
        return _not_found("Địa chỉ trống.", "The address is empty.")
    found = _find(index, segments, era)
    if not found.readings:
        return _explain_missing(index, segments, era)
    home = settings.DEAN06_HOME_PROVINCE if home_province is None else home_province
    if home:
        found = _prefer_home(index, found, str(home))
    found = _prefer_two_tier(_Found(_cheapest(found.readings), found.street, found.home_assumed))
    return _resolve_found(index, found)
