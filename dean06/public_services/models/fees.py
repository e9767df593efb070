"""Fees and charges of a dossier and their payments (gateway, VietQR transfer, cash)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dean06.core.models import TimeStampedModel
from dean06.public_services.choices import PaymentMethod, PaymentStatus


class FeePayment(TimeStampedModel):
    """One attempt to pay a dossier's fee. `reference` is what the gateway or the bank transfer carries back;
    a callback for a payment already paid changes nothing (idempotent), it is only counted."""

    dossier = models.ForeignKey("public_services.Dossier", on_delete=models.PROTECT, related_name="payments")
    reference = models.CharField(_("Mã thanh toán"), max_length=40, unique=True)
    amount_vnd = models.PositiveIntegerField(_("Số tiền (đồng)"))
    method = models.CharField(_("Hình thức"), max_length=10, choices=PaymentMethod.choices)
    status = models.CharField(
        _("Trạng thái"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    gateway_transaction = models.CharField(_("Mã giao dịch cổng thanh toán"), max_length=64, blank=True)
    paid_at = models.DateTimeField(_("Thanh toán lúc"), null=True, blank=True)
    callbacks = models.PositiveIntegerField(_("Số lần nhận thông báo"), default=0)

    class Meta:
        verbose_name = _("Thanh toán phí, lệ phí")
        verbose_name_plural = _("Thanh toán phí, lệ phí")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.reference
