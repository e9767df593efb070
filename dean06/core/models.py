"""Users, role assignments and the audit log tables."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from dean06.core.roles import Role


class TimeStampedModel(models.Model):
    """Base for domain tables: creation and last-change times."""

    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class ScopedModel(models.Model):
    """A model whose rows belong to an administrative unit.

    `scope_path` names the lookup from the row to its `registry.AdministrativeUnit`; `visible_to` filters
    on that unit's materialized path. A system check fails when a subclass does not declare it.
    """

    scope_path: ClassVar[str] = ""

    class Meta:
        abstract = True


class User(AbstractUser):
    """A staff member or a citizen. Staff get rights only through RoleAssignment rows."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Cán bộ")
        CITIZEN = "citizen", _("Công dân")

    full_name = models.CharField(_("Họ và tên"), max_length=200, blank=True)
    kind = models.CharField(_("Loại tài khoản"), max_length=10, choices=Kind.choices, default=Kind.STAFF)
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("Cơ quan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    person = models.OneToOneField(
        "registry.Person",
        verbose_name=_("Công dân"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
    )

    class Meta:
        verbose_name = _("Người dùng")
        verbose_name_plural = _("Người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username


class RoleAssignment(TimeStampedModel):
    """A role granted to a user over an administrative unit and everything inside it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("Vai trò"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "registry.AdministrativeUnit",
        verbose_name=_("Địa bàn"),
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )

    class Meta:
        verbose_name = _("Phân quyền")
        verbose_name_plural = _("Phân quyền")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="role_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit_id}"


class AuditEvent(models.Model):
    """One append-only, hash-chained entry: who did what to which personal data, when and why.

    `entry_hash` = SHA-256 over the previous entry's hash and this entry's canonical content, so an
    edited, deleted or reordered entry breaks the chain from that point (`dean06 audit verify`).
    """

    seq = models.BigIntegerField(_("Số thứ tự"), unique=True)
    at = models.DateTimeField(_("Thời điểm"), db_index=True)
    actor_id = models.BigIntegerField(_("Mã người thực hiện"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("Người thực hiện"), max_length=200)
    action = models.CharField(_("Hành động"), max_length=64, db_index=True)
    object_type = models.CharField(_("Loại đối tượng"), max_length=64, blank=True)
    object_id = models.CharField(_("Mã đối tượng"), max_length=64, blank=True, db_index=True)
    purpose = models.CharField(_("Mục đích"), max_length=200, blank=True)
    request_id = models.CharField(_("Mã yêu cầu"), max_length=64, blank=True)
    details = models.JSONField(_("Chi tiết"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("Nhật ký truy cập")
        verbose_name_plural = _("Nhật ký truy cập")
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """Single row locked while appending, so concurrent writers cannot fork the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"
