"""The choice of unit and period on the Decision 766 page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dean06.monitoring.index766 import Period, PeriodError, PeriodType, period_parse
from dean06.registry.models import AdministrativeUnit

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

    def __init__(self, *args: Any, units: QuerySet[AdministrativeUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(unit.code, unit.name) for unit in units]

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
