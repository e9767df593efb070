"""Cleansing runs started from the web, and one verdict per row of the uploaded file (issue #4).

Scoping (ADR-0003):
- A run belongs to the uploader's unit (a 2025 commune or the province) and is seen by officers holding
  cleansing.run over that unit or above it.
- A verdict belongs to `unit`: the registry commune of the person it names when the row matched one, else the
  run's unit. A row naming a person is personal data of that person's commune, so an uploader sees the counts of
  every row but lists only the rows of persons inside their own units; an unmatched row shows only what the
  uploader sent, so it stays with the run. `commune` keeps the 2025 commune alone (null when unknown).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dean06.cleansing.worklists import fixes_text
from dean06.core.models import ScopedModel, TimeStampedModel

SECTOR_CHOICES = [
    ("welfare", _("Bảo trợ xã hội, an sinh")),
    ("insurance", _("Bảo hiểm xã hội, y tế")),
    ("land", _("Đất đai")),
    ("housing", _("Nhà ở")),
    ("other", _("Khác")),
]


class RowClassChoice(models.TextChoices):
    EXACT = "exact", _("Đúng")
    FIXABLE = "fixable", _("Cần sửa")
    DECEASED = "deceased", _("Đã chết")
    NOT_FOUND = "not_found", _("Không tìm thấy")
    DUPLICATE = "duplicate", _("Trùng lặp")
    AMBIGUOUS = "ambiguous", _("Cần xác định")


class CleansingRun(ScopedModel, TimeStampedModel):
    """One uploaded sector file and its progress through the pipeline."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang xử lý")
        DONE = "done", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")

    scope_path = "unit"

    unit = models.ForeignKey(
        "registry.AdministrativeUnit", verbose_name=_("Địa bàn"), on_delete=models.PROTECT, related_name="+"
    )
    sector = models.CharField(_("Lĩnh vực"), max_length=16, choices=SECTOR_CHOICES)
    original_name = models.CharField(_("Tên tệp"), max_length=255)
    file = models.FileField(_("Tệp"), upload_to="cleansing/%Y/%m/", max_length=255)
    status = models.CharField(_("Trạng thái"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows = models.PositiveIntegerField(_("Số dòng"), default=0)
    counts = models.JSONField(_("Số dòng theo kết quả"), default=dict, blank=True)
    error = models.TextField(_("Lỗi"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Người tải lên"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("Bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Kết thúc"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("Tiến độ (%)"), default=0)
    stage = models.CharField(_("Bước đang xử lý"), max_length=80, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Chạy lại từ lượt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reruns",
    )

    class Meta:
        verbose_name = _("Lượt làm sạch dữ liệu")
        verbose_name_plural = _("Lượt làm sạch dữ liệu")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class Resolution(models.TextChoices):
    """What became of a row after review or field work; applied by the cleaned export and a re-run."""

    APPLY_FIXES = "apply", _("Sửa theo đề xuất")
    CORRECTED = "corrected", _("Sửa theo xác minh thực tế")
    CONFIRMED = "confirmed", _("Giữ nguyên, đã xác minh đúng")
    REMOVE = "remove", _("Loại khỏi danh sách")


class RowVerdict(ScopedModel):
    """The verdict on one data row of a run's file, and the officer's decision when one was needed."""

    scope_path = "unit"

    run = models.ForeignKey(CleansingRun, on_delete=models.CASCADE, related_name="verdicts")
    unit = models.ForeignKey(
        "registry.AdministrativeUnit", verbose_name=_("Địa bàn"), on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        "registry.AdministrativeUnit",
        verbose_name=_("Xã, phường"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    row = models.PositiveIntegerField(_("Dòng"))
    personal_id = models.CharField(_("Số định danh cá nhân"), max_length=12, blank=True)
    row_class = models.CharField(_("Kết quả"), max_length=10, choices=RowClassChoice.choices)
    confidence = models.FloatField(_("Độ tin cậy"), default=0.0)
    reasons = models.TextField(_("Lý do"), blank=True)
    fixes = models.TextField(_("Đề xuất sửa"), blank=True)
    raw = models.JSONField(_("Dữ liệu gốc"), default=dict, blank=True)
    decision = models.CharField(_("Quyết định"), max_length=12, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người quyết định"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("Quyết định lúc"), null=True, blank=True)
    # From the matcher: each field's agreement with the chosen person, and the candidates shown for review.
    agreement = models.JSONField(_("Mức khớp từng trường"), default=dict, blank=True)
    candidates = models.JSONField(_("Các công dân có thể là"), default=list, blank=True)
    # Corrections, from the web or a returned work list.
    resolution = models.CharField(_("Xử lý"), max_length=10, choices=Resolution.choices, blank=True)
    corrected_values = models.JSONField(_("Giá trị đã sửa"), default=dict, blank=True)
    field_note = models.TextField(_("Kết quả xác minh thực tế"), blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người sửa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("Sửa lúc"), null=True, blank=True)
    # The row's standing on the plan's four criteria (quality.row_quality), kept so snapshots are one aggregate.
    is_correct = models.BooleanField(_("Đúng"), default=False)
    is_complete = models.BooleanField(_("Đủ"), default=False)
    is_clean = models.BooleanField(_("Sạch"), default=False)
    is_alive = models.BooleanField(_("Sống"), default=True)

    class Meta:
        verbose_name = _("Kết quả dòng")
        verbose_name_plural = _("Kết quả dòng")
        ordering = ["run", "row"]
        constraints = [models.UniqueConstraint(fields=["run", "row"], name="row_verdict_run_row_unique")]
        indexes = [models.Index(fields=["run", "row_class"])]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.row} {self.row_class}"

    @property
    def raw_name(self) -> str:
        return str(self.raw.get("full_name", ""))

    @property
    def raw_id(self) -> str:
        return str(self.raw.get("personal_id", "") or self.raw.get("old_id", ""))

    @property
    def fixes_text(self) -> str:
        return fixes_text(self.fixes)


class QualitySnapshot(ScopedModel):
    """How clean one commune's rows of a run were on one day: the đúng/đủ/sạch/sống counts (docs/cleansing.md).

    Taken when a run finishes and again, same day row updated, whenever its rows are corrected; the dashboard
    reads the latest snapshot per sector and commune as of each day. `unit` is the commune, else the run's unit."""

    scope_path = "unit"

    run = models.ForeignKey(CleansingRun, on_delete=models.CASCADE, related_name="snapshots")
    sector = models.CharField(_("Lĩnh vực"), max_length=16, choices=SECTOR_CHOICES)
    unit = models.ForeignKey(
        "registry.AdministrativeUnit", verbose_name=_("Địa bàn"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("Ngày"))
    taken_at = models.DateTimeField(_("Thời điểm"))
    rows = models.PositiveIntegerField(_("Số dòng"))
    rows_correct = models.PositiveIntegerField(_("Đúng"))
    rows_complete = models.PositiveIntegerField(_("Đủ"))
    rows_clean = models.PositiveIntegerField(_("Sạch"))
    rows_alive = models.PositiveIntegerField(_("Sống"))

    class Meta:
        verbose_name = _("Chỉ số chất lượng dữ liệu")
        verbose_name_plural = _("Chỉ số chất lượng dữ liệu")
        ordering = ["day", "run", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["run", "unit", "day"], name="quality_snapshot_run_unit_day_unique")
        ]
        indexes = [models.Index(fields=["sector", "unit", "day"])]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.unit_id} {self.day}"
