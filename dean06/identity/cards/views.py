"""The card scan page: a USB scanner's text, a photo or camera frames → the card's data. No registry is read.

Signed-in users holding person.view only.
"""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from dean06.core.pages import HtmxHttpRequest, PageView, wants_fragment
from dean06.core.roles import Permission
from dean06.identity.cards.forms import CameraFrameForm, CardScanForm
from dean06.identity.cards.schemas import card_reading_dict
from dean06.identity.cards.selectors import CardReading
from dean06.identity.cards.services import card_scan_image, card_scan_text
from dean06.registry.models.population import Gender

TEMPLATE = "identity/cards/qr_scan.html"
RESULT = f"{TEMPLATE}#result"
CARD_FOUND_HEADER = "X-Card-Found"  # tells qr_scan.js to stop the camera
COMMUNE_STATUS = {
    "ok": _("đã xác định"),
    "ambiguous": _("chưa xác định được: địa chỉ khớp với nhiều xã, phường"),
    "split": _("xã cũ đã được chia cho nhiều xã, phường mới"),
    "not_found": _("không tìm thấy trong danh mục đơn vị hành chính"),
}


class _ScanPage(PageView):
    required_permission = Permission.PERSON_VIEW


def _result_context(reading: CardReading) -> dict[str, object]:
    card = reading.parse.card
    return {
        "result": card_reading_dict(reading),
        "card": card,
        "gender_label": Gender(card.gender).label if card else "",
        "commune_status": COMMUNE_STATUS[reading.commune.status] if reading.commune else "",
    }


class QrScanView(_ScanPage):
    """GET: the form. POST (htmx: the result panel only): read the scanned text or the photo."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, TEMPLATE, {"form": CardScanForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CardScanForm(request.POST, request.FILES)
        context: dict[str, object] = {"form": form}
        if form.is_valid():
            data = form.cleaned_data
            if data["payload"]:
                reading = card_scan_text(actor=request.user, payload=data["payload"], source="usb")
            else:
                reading = card_scan_image(actor=request.user, image=data["image"], source="photo")
            context = {"form": CardScanForm(), **_result_context(reading)}  # an empty form for the next card
        else:
            context["form_errors"] = [error for errors in form.errors.values() for error in errors]
        return render(request, RESULT if wants_fragment(cast(HtmxHttpRequest, request)) else TEMPLATE, context)


class QrFrameView(_ScanPage):
    """A camera frame from qr_scan.js: 204 while no QR code is in view, else the result panel."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CameraFrameForm(request.POST, request.FILES)
        if not form.is_valid():
            return HttpResponseBadRequest(_("Thiếu ảnh từ camera."))
        reading = card_scan_image(actor=request.user, image=form.cleaned_data["frame"], source="camera")
        if not reading.decoded:
            return HttpResponse(status=204)
        response = render(request, RESULT, _result_context(reading))
        response[CARD_FOUND_HEADER] = "true" if reading.parse.ok else "false"
        return response
