"""The procedure catalogue (thủ tục hành chính): public, not scoped; seeded from `catalogue/*.json`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dean06.core.models import TimeStampedModel
from dean06.public_services.choices import Level


class Procedure(TimeStampedModel):
    """One procedure with its legal time limit, fees, required documents and e-form (data, not code)."""

    code = models.CharField(_("Mã thủ tục"), max_length=20, unique=True)
    name = models.CharField(_("Tên thủ tục"), max_length=300)
    field_area = models.CharField(_("Lĩnh vực"), max_length=120)
    agency = models.CharField(_("Cơ quan giải quyết"), max_length=200)
    level = models.CharField(_("Cấp thực hiện"), max_length=10, choices=Level.choices)
    processing_days = models.PositiveSmallIntegerField(_("Thời hạn giải quyết (ngày làm việc)"))
    legal_basis = models.TextField(_("Căn cứ pháp lý"), blank=True)
    fee_vnd = models.PositiveIntegerField(_("Phí, lệ phí (đồng)"), default=0)
    fee_note = models.CharField(_("Ghi chú phí, lệ phí"), max_length=300, blank=True)
    # [{"key": "to_khai", "name": "Tờ khai …", "required": true, "store_kind": "birth_certificate" | ""}]
    documents = models.JSONField(_("Thành phần hồ sơ"), default=list, blank=True)
    # [{"name": "full_name", "label": "Họ và tên", "type": "text|date|select|textarea|id", "required": true,
    #   "source": "eid|registry|document_store|citizen", "locked": true, "choices": [...], "help": "…"}]
    form = models.JSONField(_("Biểu mẫu điện tử"), default=list, blank=True)
    # The document kind of the signed result in the citizen's store ("birth_certificate"), so that a later
    # procedure asking for that kind reuses it instead of an upload.
    result_kind = models.CharField(_("Loại giấy tờ kết quả"), max_length=40, blank=True)
    result_title = models.CharField(_("Tên giấy tờ kết quả"), max_length=200, blank=True)
    eid_level = models.PositiveSmallIntegerField(_("Mức tài khoản định danh yêu cầu"), default=2)
    fully_online = models.BooleanField(_("Dịch vụ công trực tuyến toàn trình"), default=False)
    online_payment = models.BooleanField(_("Thanh toán trực tuyến"), default=False)
    effective_on = models.DateField(_("Ngày có hiệu lực"), null=True, blank=True)
    published_on = models.DateField(_("Ngày công bố, công khai"), null=True, blank=True)

    class Meta:
        verbose_name = _("Thủ tục hành chính")
        verbose_name_plural = _("Thủ tục hành chính")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def published_on_time(self) -> bool:
        """Decision 766, group 1: announced no later than it took effect."""
        return bool(self.published_on and self.effective_on and self.published_on <= self.effective_on)

    @property
    def uses_population_data(self) -> bool:
        return any(f.get("source") == "registry" for f in self.form)
