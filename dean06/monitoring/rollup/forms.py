"""The choice of plan, month and (for a download) format on the roll-up page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dean06.core.errors import ApplicationError
from dean06.monitoring.models import Plan
from dean06.monitoring.rollup.data import rollup_period_check
from dean06.monitoring.rollup.exports import FORMATS


class RollupForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_("Kế hoạch"),
        queryset=Plan.objects.none(),
        error_messages={"invalid_choice": _("Kế hoạch không có hoặc không thuộc đơn vị của bạn.")},
    )
    period = forms.CharField(label=_("Tháng báo cáo"), max_length=7, help_text=_("Dạng YYYY-MM, ví dụ 2026-10."))
    # Set by the download links; hidden, so its error is repeated for the whole form (see clean()).
    format = forms.ChoiceField(
        required=False, choices=[("", ""), *((name, name) for name in FORMATS)], widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, plans: QuerySet[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["plan"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = plans

    def clean_period(self) -> str:
        try:
            return rollup_period_check(self.cleaned_data["period"])
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from error

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.has_error("format"):
            self.add_error(None, _("Định dạng tải về phải là DOCX, XLSX hoặc PDF."))
        return cleaned
