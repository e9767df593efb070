"""The code forms of the second step. Input checks only; whether a code is right is the services' business."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dean06.identity.staff_auth.services import RECOVERY_CODE_LENGTH, normalise_recovery_code


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels sit above their inputs, as on every other form
        super().__init__(*args, **kwargs)


class TotpCodeForm(_Form):
    code = forms.CharField(
        label=_("Mã xác thực"),
        help_text=_("Gồm 6 chữ số, hiện trong ứng dụng xác thực trên điện thoại và đổi sau mỗi 30 giây."),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
                "size": 8,
            }
        ),
        error_messages={"required": _("Vui lòng nhập mã xác thực.")},
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])  # "123 456" as some apps show it
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(_("Mã xác thực gồm đúng 6 chữ số."))
        return code


class RecoveryCodeForm(_Form):
    code = forms.CharField(
        label=_("Mã dự phòng"),
        help_text=_("Một mã dự phòng đã lưu khi đăng ký, dạng XXXXX-XXXXX. Mỗi mã chỉ dùng được một lần."),
        max_length=24,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "characters",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
        error_messages={"required": _("Vui lòng nhập mã dự phòng.")},
    )

    def clean_code(self) -> str:
        code = normalise_recovery_code(self.cleaned_data["code"])
        if len(code) != RECOVERY_CODE_LENGTH:
            raise forms.ValidationError(_("Mã dự phòng gồm 10 ký tự chữ và số, ví dụ ABCDE-23456."))
        return code
