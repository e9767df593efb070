"""Admin: which staff have a second factor, and resetting it when a phone is lost (through the audited service)."""

from __future__ import annotations

from typing import cast

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dean06.core.errors import PermissionDeniedError
from dean06.core.models import User
from dean06.identity.models import TotpDevice
from dean06.identity.staff_auth.services import totp_reset


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin[TotpDevice]):
    """Read-only; the encrypted secret is never shown. Removing a device goes through `totp_reset`, which
    checks user.manage and writes the audit entry that a plain delete would skip."""

    list_display = ["user", "confirmed_at", "failed_attempts", "locked_until", "updated_at"]
    list_filter = ["confirmed_at"]
    search_fields = ["user__username", "user__full_name"]
    fields = readonly_fields = ("user", "confirmed_at", "failed_attempts", "locked_until", "created_at", "updated_at")
    actions = ["reset"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: TotpDevice | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: TotpDevice | None = None) -> bool:
        return False

    @admin.action(description=_("Đặt lại xác thực 2 bước (người dùng sẽ đăng ký lại)"))
    def reset(self, request: HttpRequest, queryset: QuerySet[TotpDevice]) -> None:
        actor = cast(User, request.user)
        try:
            for device in queryset.select_related("user"):
                totp_reset(actor, device.user)
        except PermissionDeniedError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(request, _("Đã đặt lại xác thực 2 bước."), messages.SUCCESS)
