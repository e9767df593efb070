"""Input validation of the public-services pages (the e-form itself is built from data in eforms.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dean06.public_services.models import Procedure

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ATTACHMENT_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png")


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SearchForm(_Form):
    q = forms.CharField(label=_("Tìm thủ tục"), required=False, max_length=100)


class CounterForm(_Form):
    """At the counter: which procedure, and who (the ID-card QR as the scanner types it, or the 12-digit ID)."""

    procedure = forms.ModelChoiceField(label=_("Thủ tục"), queryset=Procedure.objects.all(), empty_label=None)
    scanned = forms.CharField(
        label=_("Quét mã QR trên thẻ căn cước hoặc nhập số định danh cá nhân"),
        max_length=400,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class VersionForm(_Form):
    """The dossier version the officer's page showed (optimistic locking)."""

    version = forms.IntegerField(min_value=1)


class ActionForm(VersionForm):
    action = forms.CharField(max_length=32)
    note = forms.CharField(label=_("Ghi chú, lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def attachment_ok(upload: Any) -> str:
    """An error message for an unacceptable attachment, or ""."""
    name = (upload.name or "").lower()
    if not name.endswith(ATTACHMENT_SUFFIXES):
        return str(_("Chỉ nhận tệp PDF, JPG hoặc PNG."))
    if upload.size > MAX_ATTACHMENT_BYTES:
        return str(_("Tệp quá lớn (tối đa 20 MB)."))
    return ""


class RatingForm(_Form):
    score = forms.TypedChoiceField(
        label=_("Mức độ hài lòng"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (5, _("Rất hài lòng")),
            (4, _("Hài lòng")),
            (3, _("Bình thường")),
            (2, _("Không hài lòng")),
            (1, _("Rất không hài lòng")),
        ],
    )
    comment = forms.CharField(label=_("Góp ý"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(_Form):
    file = forms.FileField(label=_("Tệp kết quả (PDF)"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 20 MB)."))
        return upload
