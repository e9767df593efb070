"""The official unit lists in the test database (loaded once; reloaded after a live-server test's flush)."""

from __future__ import annotations


def units_ensure() -> None:
    from dean06.registry.models import AdministrativeUnit
    from dean06.registry.units.index import reset_unit_index
    from dean06.registry.units.loader import units_load

    if not AdministrativeUnit.objects.exists():
        units_load()
        reset_unit_index()  # ids changed: the cached resolver index points at deleted rows
