"""Plans of the province's Đề án 06 working group: groups of tasks, each with its lead, partners and deadline."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dean06.core.models import ScopedModel, TimeStampedModel


class Plan(ScopedModel, TimeStampedModel):
    """A plan issued for a unit (the province, for the seed plan): "Kế hoạch triển khai Đề án 06 năm 2023"."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ACTIVE = "active", _("Đang thực hiện")
        CLOSED = "closed", _("Đã kết thúc")

    scope_path = "unit"

    code = models.CharField(_("Mã kế hoạch"), max_length=40, unique=True)
    title = models.TextField(_("Tên kế hoạch"))
    year = models.PositiveSmallIntegerField(_("Năm"), null=True, blank=True)
    # Free text for multi-year programmes ("2026–2030"); `year` is the first year.
    period = models.CharField(_("Giai đoạn"), max_length=40, blank=True)
    issued_by = models.CharField(_("Cơ quan ban hành"), max_length=200, blank=True)
    document_number = models.CharField(_("Số văn bản"), max_length=60, blank=True)
    status = models.CharField(_("Trạng thái"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    unit = models.ForeignKey(
        "registry.AdministrativeUnit", verbose_name=_("Địa bàn"), on_delete=models.PROTECT, related_name="plans"
    )
    # A unit's implementation plan names the provincial plan it carries out.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Triển khai kế hoạch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unit_plans",
    )

    class Meta:
        verbose_name = _("Kế hoạch")
        verbose_name_plural = _("Kế hoạch")
        ordering = ["-year", "code"]

    def __str__(self) -> str:
        return self.code


class PlanGroup(ScopedModel, TimeStampedModel):
    """A group of tasks as the document heads it: "A. Về nhóm nhận thức", "III. Tổ chức thực hiện"."""

    scope_path = "plan__unit"

    plan = models.ForeignKey(Plan, verbose_name=_("Kế hoạch"), on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("Ký hiệu"), max_length=10)
    title = models.CharField(_("Tên nhóm"), max_length=300)
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)

    class Meta:
        verbose_name = _("Nhóm nhiệm vụ")
        verbose_name_plural = _("Nhóm nhiệm vụ")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="plan_group_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class PlanTask(ScopedModel, TimeStampedModel):
    """One task of a plan, with its units and deadline as written and, where clear, parsed."""

    class Recurrence(models.TextChoices):
        ONCE = "once", _("Một lần")
        MONTHLY = "monthly", _("Hằng tháng")
        QUARTERLY = "quarterly", _("Hằng quý")
        YEARLY = "yearly", _("Hằng năm")
        ONGOING = "ongoing", _("Thường xuyên")

    class Status(models.TextChoices):
        OPEN = "open", _("Chưa thực hiện")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Đã hoàn thành")
        CLOSED = "closed", _("Đã đóng")

    scope_path = "plan__unit"

    plan = models.ForeignKey(Plan, verbose_name=_("Kế hoạch"), on_delete=models.CASCADE, related_name="tasks")
    group = models.ForeignKey(
        PlanGroup, verbose_name=_("Nhóm nhiệm vụ"), on_delete=models.PROTECT, related_name="tasks"
    )
    # The document restarts "(1)" in every subsection: `code` is the position ("B.2.4.(3)"), `number` the marker.
    code = models.CharField(_("Mã nhiệm vụ"), max_length=40)
    number = models.CharField(_("Số thứ tự (như văn bản)"), max_length=20, blank=True)
    heading = models.CharField(_("Mục"), max_length=300, blank=True)
    title = models.TextField(_("Nhiệm vụ"))
    content = models.TextField(_("Nội dung chi tiết"), blank=True)
    responsibility = models.TextField(_("Phân công (như văn bản)"), blank=True)
    lead_unit_name = models.CharField(_("Đơn vị chủ trì (như văn bản)"), max_length=300, blank=True)
    # Set when the lead names one known agency; the working group may reassign it.
    lead_organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("Cơ quan chủ trì"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_plan_tasks",
    )
    coordinating_units = models.JSONField(_("Đơn vị phối hợp"), default=list, blank=True)
    deadline_text = models.CharField(_("Thời hạn (như văn bản)"), max_length=500, blank=True)
    deadline = models.DateField(_("Thời hạn"), null=True, blank=True)
    recurrence = models.CharField(_("Tần suất"), max_length=10, choices=Recurrence.choices, default=Recurrence.ONCE)
    expected_output = models.TextField(_("Sản phẩm dự kiến"), blank=True)
    status = models.CharField(_("Trạng thái"), max_length=12, choices=Status.choices, default=Status.OPEN)
    # The communes report on this task every month (the duties of the former districts passed to them in 2025).
    reported_by_communes = models.BooleanField(_("Các xã báo cáo hằng tháng"), default=False)
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)

    class Meta:
        verbose_name = _("Nhiệm vụ")
        verbose_name_plural = _("Nhiệm vụ")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="plan_task_code_unique")]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:60]}"


class MonthlyReport(ScopedModel, TimeStampedModel):
    """A unit's monthly report on a plan ("YYYY-MM"); its submissions are the ReportVersions, never edited."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", _("Trả lại")
        ACCEPTED = "accepted", _("Đã tiếp nhận")

    scope_path = "unit"

    unit = models.ForeignKey(
        "registry.AdministrativeUnit",
        verbose_name=_("Đơn vị báo cáo"),
        on_delete=models.PROTECT,
        related_name="monthly_reports",
    )
    # A department (Sở, ngành) reports for itself: its organisation, with the province as `unit`.
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("Cơ quan báo cáo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monthly_reports",
    )
    plan = models.ForeignKey(Plan, verbose_name=_("Kế hoạch"), on_delete=models.PROTECT, related_name="reports")
    period = models.CharField(_("Kỳ báo cáo"), max_length=7)  # "YYYY-MM"
    due_on = models.DateField(_("Hạn gửi"))
    status = models.CharField(_("Trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        verbose_name = _("Báo cáo tháng")
        verbose_name_plural = _("Báo cáo tháng")
        ordering = ["-period", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "plan", "period"],
                condition=models.Q(organisation__isnull=True),
                name="monthly_report_unit_plan_period_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "plan", "period"],
                condition=models.Q(organisation__isnull=False),
                name="monthly_report_organisation_plan_period_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} {self.period} {self.organisation.code if self.organisation else self.unit.code}"

    @property
    def reporter_name(self) -> str:
        """The commune, or the department reporting for itself."""
        return self.organisation.name if self.organisation else self.unit.name


class ReportVersion(ScopedModel):
    """One submission of a monthly report. Kept as submitted; a return adds only its comment, who and when."""

    scope_path = "report__unit"

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("Báo cáo"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("Lần gửi"))
    submitted_by = models.ForeignKey(
        "core.User", verbose_name=_("Người gửi"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("Thời điểm gửi"))
    # {"tasks": [{task_id, status, percent, done, difficulties, proposals}], "kpis": {code: {value, note, ...}}}
    content = models.JSONField(_("Nội dung"), default=dict)
    return_comment = models.TextField(_("Ý kiến trả lại"), blank=True)
    returned_by = models.ForeignKey(
        "core.User",
        verbose_name=_("Người trả lại"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("Thời điểm trả lại"), null=True, blank=True)

    class Meta:
        verbose_name = _("Lần gửi báo cáo")
        verbose_name_plural = _("Lần gửi báo cáo")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.report} #{self.number}"


class ReportNotice(ScopedModel):
    """One notice sent about a monthly report: a reminder or an overdue notice to a commune's officers, or the
    working group's summary of the late communes (`unit` is then the plan's unit). The notification job reads
    these so that running it twice sends nothing twice (docs/monitoring.md, "Report notifications")."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Nhắc hạn gửi báo cáo")
        OVERDUE = "overdue", _("Báo cáo quá hạn")
        LATE_SUMMARY = "late_summary", _("Tổng hợp đơn vị chậm báo cáo")

    scope_path = "unit"

    plan = models.ForeignKey(Plan, verbose_name=_("Kế hoạch"), on_delete=models.CASCADE, related_name="notices")
    unit = models.ForeignKey(
        "registry.AdministrativeUnit", verbose_name=_("Địa bàn"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("Kỳ báo cáo"), max_length=7)  # "YYYY-MM"
    kind = models.CharField(_("Loại thông báo"), max_length=12, choices=Kind.choices)
    sent_on = models.DateField(_("Ngày gửi"))
    recipients = models.PositiveIntegerField(_("Số người nhận"), default=0)

    class Meta:
        verbose_name = _("Thông báo báo cáo tháng")
        verbose_name_plural = _("Thông báo báo cáo tháng")
        ordering = ["-sent_on", "plan", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "unit", "period", "kind", "sent_on"], name="report_notice_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.unit_id} · {self.period} · {self.kind} · {self.sent_on}"
