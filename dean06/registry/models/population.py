"""The local mirror of the national population database (CSDLQG về dân cư)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dean06.core.models import ScopedModel, TimeStampedModel


class Gender(models.TextChoices):
    MALE = "Nam", _("Nam")
    FEMALE = "Nữ", _("Nữ")


class LifeStatus(models.TextChoices):
    ALIVE = "alive", _("Còn sống")
    DECEASED = "deceased", _("Đã chết")


class Household(ScopedModel, TimeStampedModel):
    """A registered household (hộ gia đình) at a permanent-residence address."""

    scope_path = "commune"

    code = models.CharField(_("Mã hộ"), max_length=20, unique=True)
    commune = models.ForeignKey(
        "registry.AdministrativeUnit", verbose_name=_("Xã, phường"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("Địa chỉ"), max_length=300)

    class Meta:
        verbose_name = _("Hộ gia đình")
        verbose_name_plural = _("Hộ gia đình")

    def __str__(self) -> str:
        return self.code


class Person(ScopedModel, TimeStampedModel):
    """A citizen as the population database knows them. Read only through the registry selectors."""

    scope_path = "commune"

    personal_id = models.CharField(_("Số định danh cá nhân"), max_length=12, unique=True)
    old_id = models.CharField(_("Số CMND 9 số"), max_length=9, blank=True, db_index=True)
    full_name = models.CharField(_("Họ và tên"), max_length=120)
    # Folded name (no diacritics, lower case) for search; tone-mark styles compare equal.
    name_key = models.CharField(max_length=120, db_index=True)
    # Vietnamese collation as digits (dean06.text.name_collation_key): given name, then full name.
    sort_name = models.CharField(max_length=255, db_index=True, db_default="")
    date_of_birth = models.DateField(_("Ngày sinh"))
    gender = models.CharField(_("Giới tính"), max_length=3, choices=Gender.choices)
    commune = models.ForeignKey(
        "registry.AdministrativeUnit",
        verbose_name=_("Nơi thường trú (xã, phường)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    legacy_commune = models.ForeignKey(
        "registry.AdministrativeUnit",
        verbose_name=_("Xã, phường trước 01/7/2025"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(_("Địa chỉ thường trú"), max_length=300)
    household = models.ForeignKey(
        Household,
        verbose_name=_("Hộ gia đình"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    is_household_head = models.BooleanField(_("Chủ hộ"), default=False)
    status = models.CharField(_("Tình trạng"), max_length=10, choices=LifeStatus.choices, default=LifeStatus.ALIVE)
    death_date = models.DateField(_("Ngày chết"), null=True, blank=True)
    phone = models.CharField(_("Số điện thoại"), max_length=15, blank=True)

    class Meta:
        verbose_name = _("Công dân")
        verbose_name_plural = _("Công dân")
        indexes = [models.Index(fields=["commune", "name_key"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="alive", death_date__isnull=True) | models.Q(status="deceased"),
                name="person_death_date_only_if_deceased",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.personal_id})"
