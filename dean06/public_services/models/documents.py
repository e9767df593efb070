"""Attachments of a dossier and the citizen's document store (kho dữ liệu điện tử), whose results are reused."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dean06.core.models import ScopedModel, TimeStampedModel


class CitizenDocument(ScopedModel, TimeStampedModel):
    """A document the state already holds for a person: a signed result of an earlier dossier, or a digitised paper.
    `kind` is what a procedure's requirement asks for ("birth_certificate"), so it can be reused without upload."""

    scope_path = "person__commune"

    person = models.ForeignKey(
        "registry.Person", verbose_name=_("Công dân"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("Loại giấy tờ"), max_length=40)
    title = models.CharField(_("Tên giấy tờ"), max_length=200)
    file = models.FileField(_("Tệp"), upload_to="documents/%Y/%m/", max_length=255)
    issued_by = models.CharField(_("Cơ quan cấp"), max_length=200, blank=True)
    issued_on = models.DateField(_("Ngày cấp"), null=True, blank=True)
    source_dossier = models.ForeignKey(
        "public_services.Dossier",
        verbose_name=_("Từ hồ sơ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="results",
    )
    signed = models.BooleanField(_("Có chữ ký số"), default=False)

    class Meta:
        verbose_name = _("Giấy tờ trong kho dữ liệu")
        verbose_name_plural = _("Giấy tờ trong kho dữ liệu")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Attachment(TimeStampedModel):
    """One component of a dossier: a file uploaded or scanned at the counter, or a document reused from the store."""

    dossier = models.ForeignKey("public_services.Dossier", on_delete=models.CASCADE, related_name="attachments")
    requirement = models.CharField(_("Thành phần hồ sơ"), max_length=40)
    title = models.CharField(_("Tên giấy tờ"), max_length=200)
    file = models.FileField(_("Tệp"), upload_to="dossiers/%Y/%m/", max_length=255, blank=True)
    reused = models.ForeignKey(
        CitizenDocument,
        verbose_name=_("Dùng lại từ kho dữ liệu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    digitised = models.BooleanField(_("Đã số hóa"), default=True)

    class Meta:
        verbose_name = _("Thành phần hồ sơ")
        verbose_name_plural = _("Thành phần hồ sơ")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title
