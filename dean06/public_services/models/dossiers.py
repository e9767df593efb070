"""Dossiers (hồ sơ) and their workflow history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dean06.core.models import ScopedModel, TimeStampedModel
from dean06.public_services.choices import Channel, DossierStatus
from dean06.public_services.workflow import ACTION_LABELS


class Dossier(ScopedModel, TimeStampedModel):
    """One application for a procedure, handled by `unit` (the applicant's commune for a commune-level procedure,
    the province for a province-level one). `version` guards against two officers overwriting each other."""

    scope_path = "unit"

    code = models.CharField(_("Mã hồ sơ"), max_length=24, unique=True)
    procedure = models.ForeignKey("public_services.Procedure", verbose_name=_("Thủ tục"), on_delete=models.PROTECT)
    unit = models.ForeignKey(
        "registry.AdministrativeUnit",
        verbose_name=_("Cơ quan, địa bàn giải quyết"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    applicant = models.ForeignKey(
        "registry.Person", verbose_name=_("Người nộp"), on_delete=models.PROTECT, related_name="dossiers"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Người lập"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("Kênh nộp"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("Trạng thái"), max_length=24, choices=DossierStatus.choices)
    form_data = models.JSONField(_("Nội dung tờ khai"), default=dict, blank=True)
    sources = models.JSONField(_("Nguồn dữ liệu từng trường"), default=dict, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Cán bộ xử lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(_("Tiếp nhận lúc"), null=True, blank=True)
    due_on = models.DateField(_("Hạn trả kết quả"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Giải quyết xong lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("Trả kết quả lúc"), null=True, blank=True)
    fee_vnd = models.PositiveIntegerField(_("Phí, lệ phí (đồng)"), default=0)
    # What Decision 766 counts (vietnam-facts §4.2), kept on the dossier as it happens.
    population_data_used = models.BooleanField(_("Có dùng dữ liệu dân cư"), default=False)
    components_digitised = models.PositiveSmallIntegerField(_("Thành phần đã số hóa"), default=0)
    components_reused = models.PositiveSmallIntegerField(_("Thành phần thay bằng dữ liệu sẵn có"), default=0)
    electronic_result = models.BooleanField(_("Có kết quả điện tử"), default=False)
    fee_paid_online = models.BooleanField(_("Nộp phí trực tuyến"), default=False)
    version = models.PositiveIntegerField(_("Phiên bản"), default=1)

    class Meta:
        verbose_name = _("Hồ sơ")
        verbose_name_plural = _("Hồ sơ")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return self.code


class DossierEvent(models.Model):
    """One named transition of a dossier (who, when, from, to, why)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Người thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("Thao tác"), max_length=32, choices=list(ACTION_LABELS.items()))
    from_status = models.CharField(_("Từ trạng thái"), max_length=24, blank=True, choices=DossierStatus.choices)
    to_status = models.CharField(_("Sang trạng thái"), max_length=24, choices=DossierStatus.choices)
    note = models.TextField(_("Ghi chú"), blank=True)
    at = models.DateTimeField(_("Thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("Lịch sử xử lý hồ sơ")
        verbose_name_plural = _("Lịch sử xử lý hồ sơ")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action}"
