"""Administrative units of both eras, and the official old→new commune mapping."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Era(models.TextChoices):
    """Which official list a unit comes from. A code means nothing without its era (29263 is "Xã Long Đức"
    before 1/7/2025 and "Phường Long Đức" after)."""

    PRE2025 = "pre2025", _("Trước 01/7/2025 (3 cấp)")
    Y2025 = "2025", _("Từ 01/7/2025 (2 cấp)")


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class AdministrativeUnit(models.Model):
    """A province, district (pre-2025 only) or commune, identified by (era, code)."""

    era = models.CharField(_("Thời kỳ"), max_length=8, choices=Era.choices)
    code = models.CharField(_("Mã"), max_length=5)
    level = models.CharField(_("Cấp"), max_length=10, choices=Level.choices)
    name = models.CharField(_("Tên"), max_length=100)
    kind = models.CharField(_("Loại"), max_length=32)
    parent = models.ForeignKey(
        "self", verbose_name=_("Trực thuộc"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # "<era>/<province>/[<district>/]<commune>/" — "is inside" is a prefix test (ADR-0003).
    path = models.CharField(max_length=40, unique=True)
    valid_from = models.DateField(_("Hiệu lực từ"), null=True, blank=True)
    valid_until = models.DateField(_("Hiệu lực đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("Đơn vị hành chính")
        verbose_name_plural = _("Đơn vị hành chính")
        constraints = [models.UniqueConstraint(fields=["era", "code"], name="unit_era_code_unique")]
        indexes = [models.Index(fields=["era", "level"])]

    def __str__(self) -> str:
        return self.name


class UnitSuccession(models.Model):
    """One row of the official conversion table: an old commune merged (whole or in part) into a new one."""

    class Merge(models.TextChoices):
        WHOLE = "whole", _("Nhập toàn bộ")
        PARTIAL = "partial", _("Nhập một phần")

    old_unit = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="successors")
    new_unit = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="predecessors")
    merge = models.CharField(_("Hình thức"), max_length=8, choices=Merge.choices)

    class Meta:
        verbose_name = _("Chuyển đổi đơn vị hành chính")
        verbose_name_plural = _("Chuyển đổi đơn vị hành chính")
        constraints = [models.UniqueConstraint(fields=["old_unit", "new_unit"], name="succession_unique")]

    def __str__(self) -> str:
        return f"{self.old_unit_id} → {self.new_unit_id} ({self.merge})"
