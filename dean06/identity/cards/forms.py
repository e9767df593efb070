"""Input of the card scan page; the labels and messages are Vietnamese msgids translated through i18n."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dean06.identity.cards.qr_payload import MAX_LENGTH


class CardScanForm(forms.Form):
    """A payload typed by a USB scanner, or else a photo: what was filled in decides, not the button pressed
    (htmx may send the last button clicked, and the script submits a photo as soon as it is chosen)."""

    payload = forms.CharField(
        label=_("Nội dung mã QR"),
        help_text=_("Đặt con trỏ vào ô này rồi quét thẻ bằng máy quét USB; máy quét tự nhấn Enter."),
        required=False,
        max_length=MAX_LENGTH,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )
    image = forms.FileField(
        label=_("Ảnh chụp mặt thẻ có mã QR"),
        help_text=_("Trên điện thoại, ô này mở camera sau để chụp thẻ."),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("payload") and not data.get("image"):
            raise forms.ValidationError(
                _("Hãy quét mã QR bằng máy quét USB, chọn ảnh chụp thẻ, hoặc bật camera."), code="empty"
            )
        return data


class CameraFrameForm(forms.Form):
    frame = forms.FileField()
