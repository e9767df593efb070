"""Admin pages for system administrators: users and role grants, and a read-only audit log search."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dean06.core.models import AuditEvent, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    list_display = ["username", "full_name", "kind", "organisation", "is_active"]
    list_filter = ["kind", "is_active", "role_assignments__role"]
    search_fields = ["username", "full_name"]
    raw_id_fields = ["person"]
    autocomplete_fields = ["organisation"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Đề án 06"), {"fields": ("full_name", "kind", "organisation", "person")}),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Search the audit log; entries can be neither added, changed nor deleted here."""

    list_display = ["seq", "at", "actor_label", "action", "object_type", "object_id", "purpose", "request_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_id", "request_id", "purpose"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
