"""Input validation of the cleansing pages; labels are Vietnamese msgids translated through i18n."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dean06.cleansing.models import SECTOR_CHOICES, Resolution, RowClassChoice
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


class CorrectionForm(forms.Form):
    """An officer's correction of one row; values are checked by the service with the pipeline's normalisers."""

    resolution = forms.ChoiceField(label=_("Xử lý"), choices=Resolution.choices, widget=forms.RadioSelect)
    full_name = forms.CharField(label=_("Họ và tên đúng"), required=False, max_length=200)
    date_of_birth = forms.CharField(label=_("Ngày sinh đúng"), required=False, max_length=20, help_text=_("dd/mm/yyyy"))
    personal_id = forms.CharField(label=_("Số định danh đúng"), required=False, max_length=20)
    gender = forms.ChoiceField(
        label=_("Giới tính đúng"), required=False, choices=[("", "—"), ("Nam", _("Nam")), ("Nữ", _("Nữ"))]
    )
    note = forms.CharField(label=_("Ghi chú xác minh"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @property
    def values(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in ("full_name", "date_of_birth", "personal_id", "gender")}


class ReturnedWorklistForm(forms.Form):
    file = forms.FileField(
        label=_("Danh sách rà soát đã điền (XLSX)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Chỉ nhận tệp XLSX do hệ thống xuất ra."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 200 MB)."))
        return upload


class DashboardForm(forms.Form):
    sector = forms.ChoiceField(label=_("Lĩnh vực"), required=False, choices=[("", _("Tất cả")), *SECTOR_CHOICES])
