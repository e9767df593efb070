"""Identity tables: the staff second factor (TOTP device and recovery codes)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dean06.core.models import TimeStampedModel


class TotpDevice(TimeStampedModel):
    """A staff member's authenticator app. The shared secret is stored Fernet-encrypted (staff_auth.crypto),
    so a database dump or backup alone does not let anyone generate codes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người dùng"),
        on_delete=models.CASCADE,
        related_name="totp_device",
    )
    encrypted_secret = models.CharField(_("Khóa bí mật (đã mã hóa)"), max_length=255)
    confirmed_at = models.DateTimeField(_("Xác nhận lúc"), null=True, blank=True)
    # The highest 30-second step accepted so far: a code (or an older one) cannot be used twice.
    last_used_step = models.BigIntegerField(_("Bước thời gian dùng gần nhất"), default=0)
    failed_attempts = models.PositiveSmallIntegerField(_("Số lần nhập sai liên tiếp"), default=0)
    locked_until = models.DateTimeField(_("Tạm khóa đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("Thiết bị xác thực 2 bước")
        verbose_name_plural = _("Thiết bị xác thực 2 bước")

    def __str__(self) -> str:
        return str(self.user)


class RecoveryCode(models.Model):
    """A single-use code for when the phone is lost; only its password hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người dùng"),
        on_delete=models.CASCADE,
        related_name="recovery_codes",
    )
    code_hash = models.CharField(_("Mã băm"), max_length=255)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    used_at = models.DateTimeField(_("Đã dùng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Mã dự phòng")
        verbose_name_plural = _("Mã dự phòng")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%d/%m/%Y}"
