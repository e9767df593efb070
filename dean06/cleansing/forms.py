"""Input validation of the cleansing pages; labels are Vietnamese msgids translated through i18n."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dean06.cleansing.models import SECTOR_CHOICES, RowClassChoice
from dean06.registry.models import AdministrativeUnit

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
ALLOWED_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách (CSV, XLSX, XLS)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_SUFFIXES)}),
    )
    sector = forms.ChoiceField(label=_("Lĩnh vực"), choices=SECTOR_CHOICES)
    unit = forms.ModelChoiceField(label=_("Địa bàn"), queryset=AdministrativeUnit.objects.none(), empty_label=None)

    def __init__(self, *args: Any, units: QuerySet[AdministrativeUnit], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(_("Chỉ nhận tệp CSV, XLSX hoặc XLS."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 200 MB)."))
        return upload


class ClassFilterForm(forms.Form):
    row_class = forms.ChoiceField(
        label=_("Kết quả"), required=False, choices=[("", _("Tất cả")), *RowClassChoice.choices]
    )


class DecisionForm(forms.Form):
    decision = forms.RegexField(regex=r"^(not_found|\d{12})$", max_length=12)
