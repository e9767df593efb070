"""Statuses and kinds of the public-services domain, in one place."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class Channel(models.TextChoices):
    """How a dossier reached the agency (Decision 766 counts dossiers by channel)."""

    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Trực tiếp tại bộ phận một cửa")
    POST = "post", _("Qua bưu chính công ích")


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    RECEIVED = "received", _("Đã tiếp nhận")
    ASSIGNED = "assigned", _("Đã phân công")
    IN_PROGRESS = "in_progress", _("Đang giải quyết")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    RESUBMITTED = "resubmitted", _("Đã bổ sung")
    APPROVED = "approved", _("Đã phê duyệt")
    REFUSED = "refused", _("Từ chối giải quyết")
    RESULT_ISSUED = "result_issued", _("Đã có kết quả")
    RETURNED = "returned", _("Đã trả kết quả")


class FieldSource(models.TextChoices):
    """Where a prefilled form value came from (shown beside the field)."""

    EID = "eid", _("Tài khoản định danh điện tử")
    REGISTRY = "registry", _("CSDL quốc gia về dân cư")
    DOCUMENT_STORE = "document_store", _("Kho dữ liệu điện tử của công dân")
    CITIZEN = "citizen", _("Công dân khai")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Thanh toán không thành công")


class PaymentMethod(models.TextChoices):
    GATEWAY = "gateway", _("Cổng thanh toán trực tuyến")
    VIETQR = "vietqr", _("Chuyển khoản VietQR")
    CASH = "cash", _("Tiền mặt tại quầy")


class PetitionKind(models.TextChoices):
    """Decision 766 tracks petitions about rules and about staff separately."""

    RULES = "rules", _("Phản ánh, kiến nghị về quy định hành chính")
    STAFF = "staff", _("Phản ánh, kiến nghị về cán bộ, công chức")
