"""HTML input validation only; labels and messages are Vietnamese msgids translated through i18n."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from dean06.core.roles import AccessPurpose
from dean06.core.selectors import AuditEventFilters

QUERY_MAX_LENGTH = 100


class LabelsAboveMixin:
    """No colon after labels: they sit above their inputs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class Form(LabelsAboveMixin, forms.Form):
    pass


class LoginForm(LabelsAboveMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


class PersonSearchForm(Form):
    q = forms.CharField(
        label=_("Họ tên, số định danh cá nhân hoặc số CMND"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )


class PurposeForm(Form):
    """Why the officer opens personal data; stored in the audit entry (Law 91/2025 on personal data)."""

    purpose = forms.ChoiceField(
        label=_("Mục đích truy cập"),
        choices=AccessPurpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn mục đích truy cập.")},
    )


class ExportForm(PurposeForm):
    q = forms.CharField(
        label=_("Chỉ xuất những người khớp với họ tên hoặc số định danh"),
        help_text=_("Để trống để xuất tất cả công dân trên địa bàn của bạn."),
        required=False,
        max_length=QUERY_MAX_LENGTH,
    )
    field_order = ["q", "purpose"]


class DateInput(forms.DateInput):
    """A text box typed dd/mm/yyyy: the browser's date picker would follow the OS locale instead."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})})


class AuditFilterForm(Form):
    action = forms.CharField(
        label=_("Hành động"),
        help_text=_("Ví dụ: person.read, person.export; “person” tìm mọi hành động với hồ sơ công dân."),
        required=False,
        max_length=64,
    )
    actor = forms.CharField(label=_("Tên đăng nhập người thực hiện"), required=False, max_length=150)
    object_id = forms.CharField(label=_("Mã đối tượng"), required=False, max_length=64)
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if data and data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("“Đến ngày” không được trước “Từ ngày”."))
        return data

    def filters(self) -> AuditEventFilters:
        """The validated search; call after is_valid()."""
        data = self.cleaned_data
        return AuditEventFilters(
            action=data["action"].strip(),
            actor_username=data["actor"].strip(),
            object_id=data["object_id"].strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
