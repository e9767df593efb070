"""Admin pages for reference data. Persons and households are deliberately absent: the admin bypasses
the scoping function, so they are reached only through the scoped views (tests/test_architecture.py)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from dean06.registry.models import AdministrativeUnit, Organisation


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin[AdministrativeUnit]):
    list_display = ["code", "name", "era", "level", "kind", "parent", "valid_from", "valid_until"]
    list_filter = ["era", "level", "kind"]
    search_fields = ["code", "name"]
    readonly_fields = ["era", "code", "level", "name", "kind", "parent", "path", "valid_from", "valid_until"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # official lists come from `dean06 units load`

    def has_delete_permission(self, request: HttpRequest, obj: AdministrativeUnit | None = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["code", "name", "kind", "unit"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["unit", "parent"]
