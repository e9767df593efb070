"""In-memory index of both unit lists and the old→new table, built once per process with two queries.

Resolving an address must not touch the database (bulk conversion of a million rows), so everything the
resolver needs — names by level, codes by era, successors, and which provinces each side maps into — is
precomputed here. `reset_unit_index()` drops the cache (tests, `dean06 units load`).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from dean06.registry.models import AdministrativeUnit, UnitSuccession
from dean06.registry.models.units import Era, Level
from dean06.registry.units.parse import name_keys, split_prefix
from dean06.registry.units.supplement import RETIRED_COMMUNES, RetiredCommune


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit of either era. Retired communes from the supplement have a negative id and no code."""

    id: int
    era: str
    code: str
    level: str
    name: str
    kind: str
    key: str
    fold_key: str
    district_id: int | None  # pre-2025 communes only
    province_id: int  # a province points to itself


@dataclass(frozen=True, slots=True)
class Successor:
    unit: Unit
    merge: str  # UnitSuccession.Merge value


@dataclass(frozen=True)
class UnitIndex:
    units: Mapping[int, Unit]
    by_name: Mapping[tuple[str, str], tuple[Unit, ...]]  # (level, folded bare name) → units of both eras
    by_code: Mapping[tuple[str, str], Unit]  # (era, code) → unit
    successors: Mapping[int, tuple[Successor, ...]]  # old commune id → new communes
    old_provinces: Mapping[int, frozenset[int]]  # new commune id → old provinces of its predecessors
    new_provinces: Mapping[int, frozenset[int]]  # old unit id → new provinces its communes went to
    retired: Mapping[int, RetiredCommune] = field(default_factory=dict)  # pseudo unit id → supplement row

    def has_name(self, fold_key: str) -> bool:
        return any((level, fold_key) in self.by_name for level in Level.values)


_Row = tuple[int, str, str, str, str, str, int | None]


def _rows() -> list[_Row]:
    query = AdministrativeUnit.objects.values_list("id", "era", "code", "level", "name", "kind", "parent_id")
    return [
        (int(i), str(e), str(c), str(lv), str(n), str(k), None if p is None else int(p))
        for i, e, c, lv, n, k, p in query
    ]


def _links() -> list[tuple[int, int, str]]:
    query = UnitSuccession.objects.values_list("old_unit_id", "new_unit_id", "merge")
    return [(int(old), int(new), str(merge)) for old, new, merge in query]


def _unit(row: _Row, parents: Mapping[int, int | None]) -> Unit:
    pk, era, code, level, name, kind, parent = row
    key, fold_key = name_keys(split_prefix(name)[1])
    if level == Level.PROVINCE or parent is None:
        return Unit(pk, era, code, level, name, kind, key, fold_key, None, pk)
    grandparent = parents.get(parent)
    if level == Level.COMMUNE and era == Era.PRE2025 and grandparent is not None:
        return Unit(pk, era, code, level, name, kind, key, fold_key, parent, grandparent)
    return Unit(pk, era, code, level, name, kind, key, fold_key, None, parent)


def _retired_units(
    by_code: Mapping[tuple[str, str], Unit], successors: dict[int, tuple[Successor, ...]]
) -> dict[int, tuple[Unit, RetiredCommune]]:
    """Pseudo units for the supplement; they inherit the successors of the commune that absorbed them."""
    retired: dict[int, tuple[Unit, RetiredCommune]] = {}
    for number, row in enumerate(RETIRED_COMMUNES, start=1):
        district = by_code.get((Era.PRE2025, row.district_code))
        absorber = by_code.get((Era.PRE2025, row.merged_into))
        if district is None or absorber is None:
            continue  # lists not loaded (yet)
        key, fold_key = name_keys(split_prefix(row.name)[1])
        unit = Unit(
            -number,
            Era.PRE2025,
            "",
            Level.COMMUNE,
            row.name,
            row.kind,
            key,
            fold_key,
            district.id,
            district.province_id,
        )
        successors[unit.id] = successors.get(absorber.id, ())
        retired[unit.id] = (unit, row)
    return retired


def _new_provinces(units: Iterable[Unit], successors: Mapping[int, tuple[Successor, ...]]) -> dict[int, frozenset[int]]:
    """For each old commune, district and province: the new provinces its communes were merged into."""
    found: dict[int, set[int]] = defaultdict(set)
    for unit in units:
        if unit.era != Era.PRE2025 or unit.level != Level.COMMUNE:
            continue
        targets = {s.unit.province_id for s in successors.get(unit.id, ())}
        for owner in (unit.id, unit.district_id, unit.province_id):
            if owner is not None:
                found[owner] |= targets
    return {owner: frozenset(targets) for owner, targets in found.items()}


def build_index() -> UnitIndex:
    rows = _rows()
    parents = {row[0]: row[6] for row in rows}
    units = {row[0]: _unit(row, parents) for row in rows}
    by_code = {(u.era, u.code): u for u in units.values()}
    grouped: dict[int, list[Successor]] = defaultdict(list)
    old_provinces: dict[int, set[int]] = defaultdict(set)
    for old, new, merge in _links():
        grouped[old].append(Successor(units[new], merge))
        old_provinces[new].add(units[old].province_id)
    successors = {old: tuple(sorted(items, key=lambda s: s.unit.code)) for old, items in grouped.items()}
    retired = _retired_units(by_code, successors)
    units |= {pk: unit for pk, (unit, _) in retired.items()}
    by_name: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    for unit in units.values():
        by_name[(unit.level, unit.fold_key)].append(unit)
    return UnitIndex(
        units=units,
        by_name={key: tuple(found) for key, found in by_name.items()},
        by_code=by_code,
        successors=successors,
        old_provinces={new: frozenset(provinces) for new, provinces in old_provinces.items()},
        new_provinces=_new_provinces(units.values(), successors),
        retired={pk: row for pk, (_, row) in retired.items()},
    )


@functools.cache
def _cached_index() -> UnitIndex:
    return build_index()


def unit_index() -> UnitIndex:
    """The process-wide index, built on first use."""
    index = _cached_index()
    if not index.units:
        _cached_index.cache_clear()  # lists not loaded yet: do not cache the emptiness
    return index


def reset_unit_index() -> None:
    _cached_index.cache_clear()
