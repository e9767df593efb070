from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dean06.core.models import ScopedModel, TimeStampedModel


class Organisation(ScopedModel, TimeStampedModel):
    """An agency attached to an administrative unit: department, People's Committee, police, clinic…"""

    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        POLICE = "police", _("Công an")
        CLINIC = "clinic", _("Cơ sở khám chữa bệnh")
        SCHOOL = "school", _("Trường học")
        BANK = "bank", _("Ngân hàng")
        SERVICE_CENTRE = "service_centre", _("Trung tâm phục vụ hành chính công")
        OTHER = "other", _("Khác")

    scope_path = "unit"

    code = models.CharField(_("Mã cơ quan"), max_length=32, unique=True)
    name = models.CharField(_("Tên cơ quan"), max_length=200)
    kind = models.CharField(_("Loại"), max_length=24, choices=Kind.choices)
    unit = models.ForeignKey(
        "registry.AdministrativeUnit", verbose_name=_("Địa bàn"), on_delete=models.PROTECT, related_name="organisations"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("Cơ quan cấp trên"), on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = _("Cơ quan, đơn vị")
        verbose_name_plural = _("Cơ quan, đơn vị")

    def __str__(self) -> str:
        return self.name
