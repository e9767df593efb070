"""Satisfaction ratings of returned dossiers and petitions (phản ánh, kiến nghị) with their deadlines."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dean06.core.models import ScopedModel, TimeStampedModel
from dean06.public_services.choices import PetitionKind


class Rating(TimeStampedModel):
    """The applicant's satisfaction with a returned dossier, 1 (very unhappy) to 5 (very satisfied)."""

    dossier = models.OneToOneField("public_services.Dossier", on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("Mức hài lòng"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("Góp ý"), blank=True)

    class Meta:
        verbose_name = _("Đánh giá mức độ hài lòng")
        verbose_name_plural = _("Đánh giá mức độ hài lòng")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.score}"


class Petition(ScopedModel, TimeStampedModel):
    """A petition or complaint about rules or staff, handled by `unit` within its deadline."""

    scope_path = "unit"

    code = models.CharField(_("Mã phản ánh"), max_length=24, unique=True)
    unit = models.ForeignKey(
        "registry.AdministrativeUnit", verbose_name=_("Cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Người gửi"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("Loại"), max_length=10, choices=PetitionKind.choices)
    subject = models.CharField(_("Tiêu đề"), max_length=200)
    body = models.TextField(_("Nội dung"))
    dossier = models.ForeignKey(
        "public_services.Dossier", verbose_name=_("Hồ sơ liên quan"), on_delete=models.PROTECT, null=True, blank=True
    )
    due_on = models.DateField(_("Hạn trả lời"))
    answer = models.TextField(_("Trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người trả lời"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("Trả lời lúc"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("Hài lòng với trả lời"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("Phản ánh, kiến nghị")
        verbose_name_plural = _("Phản ánh, kiến nghị")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.code
