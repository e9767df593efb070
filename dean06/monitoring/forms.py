"""Forms of the monitoring pages: the unit and period of the Decision 766 page, the monthly report, the review,
plans and tasks. They collect input; the rules are in reports.py and planning.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dean06.monitoring.index766 import Period, PeriodError, PeriodType, period_parse
from dean06.monitoring.models import Plan, PlanTask
from dean06.monitoring.reports import KpiLine
from dean06.public_services.selectors import index_agencies
from dean06.registry.models import AdministrativeUnit, Organisation

PERIOD_TYPE_CHOICES = [
    (PeriodType.MONTH.value, _("Tháng")),
    (PeriodType.QUARTER.value, _("Quý")),
    (PeriodType.YEAR.value, _("Năm")),
]


class Index766Form(forms.Form):
    unit = forms.ChoiceField(label=_("Đơn vị"))
    period_type = forms.ChoiceField(label=_("Kỳ"), choices=PERIOD_TYPE_CHOICES, initial=PeriodType.MONTH.value)
    period = forms.CharField(
        label=_("Thời gian"),
        max_length=10,
        help_text=_("Tháng: 2026-10; quý: 2026-Q4; năm: 2026."),
    )

    agency = forms.ChoiceField(label=_("Cơ quan giải quyết"), required=False)

    def __init__(self, *args: Any, units: QuerySet[AdministrativeUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(unit.code, unit.name) for unit in units]
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ChoiceField)
        agency.choices = [("", _("Tất cả cơ quan")), *((name, name) for name in index_agencies())]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text, kind = cleaned.get("period"), cleaned.get("period_type")
        if text and kind:
            try:
                cleaned["parsed_period"] = period_parse(text, kind)
            except PeriodError:
                self.add_error(
                    "period",
                    _("Thời gian không hợp lệ với kỳ đã chọn: tháng 2026-10, quý 2026-Q4, năm 2026."),
                )
        return cleaned

    @property
    def parsed_period(self) -> Period:
        period = self.cleaned_data["parsed_period"]
        assert isinstance(period, Period)
        return period


# ---- Monthly report -----------------------------------------------------------------------------------------


TEXT_AREA = forms.Textarea(attrs={"rows": 2})
NUMBER_TEXT = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class MonthlyReportForm(forms.Form):
    """The tasks and KPI figures of a unit's monthly report. Fields stay text so that whatever was typed comes back
    with the service's message beside it (reports.ReportInvalidError); the rules live in reports.py only."""

    def __init__(self, *args: Any, tasks: list[PlanTask], kpis: list[KpiLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tasks, self.kpis = tasks, kpis
        for i, _task in enumerate(tasks):
            self.fields[f"task_{i}_status"] = forms.ChoiceField(label=_("Trạng thái"), choices=PlanTask.Status.choices)
            self.fields[f"task_{i}_percent"] = forms.CharField(
                label=_("Tỷ lệ hoàn thành (%)"), required=False, max_length=10, widget=NUMBER_TEXT
            )
            for name, label in (
                ("done", _("Kết quả đã thực hiện")),
                ("difficulties", _("Khó khăn, vướng mắc")),
                ("proposals", _("Đề xuất, kiến nghị")),
            ):
                self.fields[f"task_{i}_{name}"] = forms.CharField(
                    label=label, required=False, max_length=4000, widget=TEXT_AREA
                )
        for j, kpi in enumerate(kpis):
            if kpi.live:
                continue
            self.fields[f"kpi_{j}_value"] = forms.CharField(
                label=_("Giá trị (%)"), required=False, max_length=20, widget=NUMBER_TEXT
            )
            self.fields[f"kpi_{j}_numerator"] = forms.CharField(
                label=_("Tử số"), required=False, max_length=20, widget=NUMBER_TEXT
            )
            self.fields[f"kpi_{j}_denominator"] = forms.CharField(
                label=_("Mẫu số"), required=False, max_length=20, widget=NUMBER_TEXT
            )
            self.fields[f"kpi_{j}_note"] = forms.CharField(
                label=_("Ghi chú nguồn số liệu"), required=False, max_length=1000, widget=TEXT_AREA
            )

    def task_rows(self) -> list[tuple[PlanTask, list[forms.BoundField]]]:
        return [
            (task, [self[f"task_{i}_{name}"] for name in ("status", "percent", "done", "difficulties", "proposals")])
            for i, task in enumerate(self.tasks)
        ]

    def kpi_rows(self) -> list[tuple[KpiLine, list[forms.BoundField]]]:
        return [
            (kpi, [] if kpi.live else [self[f"kpi_{j}_{n}"] for n in ("value", "numerator", "denominator", "note")])
            for j, kpi in enumerate(self.kpis)
        ]

    def service_input(self) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The `tasks` and `kpis` arguments of reports.report_submit, as typed."""
        data = self.cleaned_data
        tasks = [
            {
                "task_id": task.pk,
                "status": data.get(f"task_{i}_status", ""),
                "percent": data.get(f"task_{i}_percent", ""),
                "done": data.get(f"task_{i}_done", ""),
                "difficulties": data.get(f"task_{i}_difficulties", ""),
                "proposals": data.get(f"task_{i}_proposals", ""),
            }
            for i, task in enumerate(self.tasks)
        ]
        kpis: dict[str, Any] = {}
        for j, kpi in enumerate(self.kpis):
            if kpi.live:
                kpis[kpi.key] = {
                    "name": kpi.name,
                    "value": kpi.value,
                    "numerator": kpi.numerator,
                    "denominator": kpi.denominator,
                    "note": str(_("Số liệu trực tiếp từ hệ thống")),
                }
            else:
                typed = {n: data.get(f"kpi_{j}_{n}", "") for n in ("value", "numerator", "denominator", "note")}
                if not (typed["value"] or typed["note"]):
                    typed["note"] = kpi.note  # nothing typed: the version keeps why the platform had no figure
                kpis[kpi.key] = {"name": kpi.name, **typed}
        return tasks, kpis

    def add_service_errors(self, errors: dict[str, str]) -> None:
        """Put reports.py's messages ("tasks.2.percent", "kpis.EID_LEVEL2_ADULTS.value") beside their fields."""
        index = {kpi.key: j for j, kpi in enumerate(self.kpis)}
        for key, message in errors.items():
            parts = key.split(".")
            name = None
            if parts[0] == "tasks" and len(parts) == 3 and parts[2] != "task_id":
                name = f"task_{parts[1]}_{parts[2]}"
            elif parts[0] == "kpis" and len(parts) == 3 and parts[1] in index:
                name = f"kpi_{index[parts[1]]}_{parts[2]}"
            self.add_error(name if name in self.fields else None, message)


class ReportReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("return", _("Trả lại")), ("accept", _("Tiếp nhận"))])
    comment = forms.CharField(
        label=_("Ý kiến (bắt buộc khi trả lại)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# ---- Plans and tasks ----------------------------------------------------------------------------------------


class PlanForm(forms.Form):
    unit = forms.ChoiceField(label=_("Đơn vị ban hành kế hoạch"))
    code = forms.CharField(label=_("Mã kế hoạch"), max_length=40, help_text=_("Ví dụ: KH-DA06-VL-2026-2030."))
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    year = forms.IntegerField(label=_("Năm bắt đầu"), min_value=2020, max_value=2100, required=False)
    period = forms.CharField(label=_("Giai đoạn"), max_length=40, required=False, help_text=_("Ví dụ: 2026–2030."))
    issued_by = forms.CharField(label=_("Cơ quan ban hành"), max_length=200, required=False)
    document_number = forms.CharField(label=_("Số văn bản"), max_length=60, required=False)
    parent = forms.ChoiceField(label=_("Triển khai kế hoạch của cấp trên"), required=False)

    def __init__(self, *args: Any, units: QuerySet[AdministrativeUnit], parents: list[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choose("unit", [(unit.code, unit.name) for unit in units])
        self._choose(
            "parent", [("", _("— Không —")), *((str(plan.pk), f"{plan.code} · {plan.title[:80]}") for plan in parents)]
        )

    def _choose(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class TaskForm(forms.Form):
    group_code = forms.CharField(label=_("Nhóm (ký hiệu)"), max_length=10, help_text=_("Ví dụ: A, B, III."))
    group_title = forms.CharField(label=_("Tên nhóm (khi tạo nhóm mới)"), max_length=300, required=False)
    title = forms.CharField(label=_("Nhiệm vụ"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    content = forms.CharField(label=_("Nội dung chi tiết"), required=False, max_length=8000, widget=TEXT_AREA)
    lead_organisation = forms.ChoiceField(label=_("Cơ quan chủ trì"), required=False)
    lead_unit_name = forms.CharField(
        label=_("hoặc đơn vị chủ trì (ghi rõ)"),
        max_length=300,
        required=False,
        help_text=_("Ví dụ: UBND các xã, phường."),
    )
    coordinating_units = forms.CharField(
        label=_("Đơn vị phối hợp"),
        required=False,
        max_length=2000,
        help_text=_("Mỗi đơn vị cách nhau bởi dấu chấm phẩy."),
    )
    deadline = forms.DateField(
        label=_("Thời hạn"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"], help_text=_("dd/mm/yyyy")
    )
    recurrence = forms.ChoiceField(label=_("Tần suất"), choices=PlanTask.Recurrence.choices)
    expected_output = forms.CharField(label=_("Sản phẩm dự kiến"), required=False, max_length=2000, widget=TEXT_AREA)
    reported_by_communes = forms.BooleanField(label=_("Các xã, phường báo cáo hằng tháng"), required=False)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lead_organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((str(o.pk), o.name) for o in organisations)]
        self.organisations = {str(o.pk): o for o in organisations}

    def organisation(self) -> Organisation | None:
        return self.organisations.get(self.cleaned_data.get("lead_organisation") or "")

    def partners(self) -> list[str]:
        return [unit.strip() for unit in self.cleaned_data.get("coordinating_units", "").split(";") if unit.strip()]


class TaskEditForm(TaskForm):
    """Reassign, reschedule or close a task; the as-written title and content are not edited."""

    status = forms.ChoiceField(label=_("Trạng thái"), choices=PlanTask.Status.choices)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, organisations=organisations, **kwargs)
        for name in ("group_code", "group_title", "title", "content"):
            del self.fields[name]
