from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from dean06.registry.models import Person


class SandboxLoginForm(forms.Form):
    """Who logs in at the SANDBOX provider, and at which e-ID level."""

    person = forms.ChoiceField(
        label=_("Chọn một công dân mẫu"),
        widget=forms.RadioSelect,
        required=False,
    )
    personal_id = forms.CharField(
        label=_("Hoặc nhập số định danh cá nhân"),
        help_text=_("12 chữ số. Số không có trong CSDL dân cư vẫn đăng nhập được, để thử trường hợp không tìm thấy."),
        required=False,
        max_length=12,
        validators=[RegexValidator(r"^\d{12}$", _("Số định danh cá nhân gồm đúng 12 chữ số."))],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    level = forms.TypedChoiceField(
        label=_("Mức độ tài khoản định danh điện tử"),
        choices=[
            (1, _("Mức độ 1 — đã xác thực ảnh chân dung")),
            (2, _("Mức độ 2 — đã xác thực ảnh chân dung và vân tay, tương đương thẻ căn cước")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        initial=1,
    )
    next = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, persons: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (p.personal_id, f"{p.full_name} — {p.personal_id} — {p.date_of_birth:%d/%m/%Y}") for p in persons
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = cleaned.get("personal_id") or cleaned.get("person")
        if not chosen and not self.has_error("personal_id"):
            raise forms.ValidationError(_("Chọn một công dân mẫu hoặc nhập số định danh cá nhân."))
        cleaned["chosen_personal_id"] = chosen
        return cleaned
