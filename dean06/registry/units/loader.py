"""Load the official unit lists from the `vietnam-provinces` package (NSO codes) into the database.

Idempotent: rows are upserted on (era, code), so running it again after a package update refreshes names
and kinds without touching ids that other tables point to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import vietnam_provinces as vp
from django.db import transaction
from vietnam_provinces import legacy
from vietnam_provinces._ward_conversion_2025 import NEW_TO_OLD  # wrapped here only; the package keeps it private

from dean06.registry.models import AdministrativeUnit, UnitSuccession
from dean06.registry.models.units import Era, Level

REFORM_DATE = date(2025, 7, 1)
LEGACY_LAST_DAY = date(2025, 6, 30)
CODE_WIDTH = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}


@dataclass(frozen=True)
class UnitsLoadReport:
    units_2025: int
    units_pre2025: int
    successions: int
    successions_skipped: int
    data_version: str


def unit_code(level: str, number: int) -> str:
    return str(number).zfill(CODE_WIDTH[Level(level)])


def _row(
    era: str, level: str, number: int, name: str, kind: str, parent: AdministrativeUnit | None
) -> AdministrativeUnit:
    code = unit_code(level, number)
    path = f"{parent.path if parent else era + '/'}{code}/"
    reform = era == Era.Y2025
    return AdministrativeUnit(
        era=era,
        code=code,
        level=level,
        name=name,
        kind=kind,
        parent=parent,
        path=path,
        valid_from=REFORM_DATE if reform else None,
        valid_until=None if reform else LEGACY_LAST_DAY,
    )


def _upsert(rows: list[AdministrativeUnit]) -> dict[str, AdministrativeUnit]:
    AdministrativeUnit.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["era", "code"],
        update_fields=["level", "name", "kind", "parent", "path", "valid_from", "valid_until"],
    )
    era = rows[0].era
    codes = [row.code for row in rows]
    return {unit.code: unit for unit in AdministrativeUnit.objects.filter(era=era, code__in=codes)}


def _kind(division: object) -> str:
    return str(getattr(division, "value", division))


def _load_2025() -> dict[str, AdministrativeUnit]:
    provinces = _upsert(
        [
            _row(Era.Y2025, Level.PROVINCE, int(p.code), p.name, _kind(p.division_type), None)
            for p in vp.Province.iter_all()
        ]
    )
    communes = _upsert(
        [
            _row(
                Era.Y2025,
                Level.COMMUNE,
                int(w.code),
                w.name,
                _kind(w.division_type),
                provinces[unit_code(Level.PROVINCE, int(w.province_code))],
            )
            for w in vp.Ward.iter_all()
        ]
    )
    return {**provinces, **communes}


def _load_pre2025() -> dict[str, AdministrativeUnit]:
    provinces = _upsert(
        [
            _row(Era.PRE2025, Level.PROVINCE, int(p.code), p.name, _kind(p.division_type), None)
            for p in legacy.Province.iter_all()
        ]
    )
    districts = _upsert(
        [
            _row(
                Era.PRE2025,
                Level.DISTRICT,
                int(d.code),
                d.name,
                _kind(d.division_type),
                provinces[unit_code(Level.PROVINCE, int(d.province_code))],
            )
            for d in legacy.District.iter_all()
        ]
    )
    communes = _upsert(
        [
            _row(
                Era.PRE2025,
                Level.COMMUNE,
                int(w.code),
                w.name,
                _kind(w.division_type),
                districts[unit_code(Level.DISTRICT, int(w.district_code))],
            )
            for w in legacy.Ward.iter_all()
        ]
    )
    return {**provinces, **districts, **communes}


def _successions(
    new_units: dict[str, AdministrativeUnit], old_units: dict[str, AdministrativeUnit]
) -> tuple[list[UnitSuccession], int]:
    rows: list[UnitSuccession] = []
    skipped = 0
    for new_code, entry in NEW_TO_OLD.items():
        new_unit = new_units.get(unit_code(Level.COMMUNE, new_code))
        for old in entry.old_wards:
            old_unit = old_units.get(unit_code(Level.COMMUNE, old.code))
            if new_unit is None or old_unit is None:
                skipped += 1  # the table names a ward retired before the NSO snapshot of 2025-01-04
                continue
            merge = UnitSuccession.Merge.PARTIAL if old.is_partly_merged else UnitSuccession.Merge.WHOLE
            rows.append(UnitSuccession(old_unit=old_unit, new_unit=new_unit, merge=merge))
    return rows, skipped


def _only_communes(units: Iterable[AdministrativeUnit]) -> dict[str, AdministrativeUnit]:
    return {u.code: u for u in units if u.level == Level.COMMUNE}


@transaction.atomic
def units_load() -> UnitsLoadReport:
    """Upsert both eras and the old→new table; safe to run again."""
    new_units = _load_2025()
    old_units = _load_pre2025()
    rows, skipped = _successions(_only_communes(new_units.values()), _only_communes(old_units.values()))
    UnitSuccession.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["old_unit", "new_unit"],
        update_fields=["merge"],
    )
    return UnitsLoadReport(
        units_2025=len(new_units),
        units_pre2025=len(old_units),
        successions=len(rows),
        successions_skipped=skipped,
        data_version=str(vp.__data_version__),
    )
