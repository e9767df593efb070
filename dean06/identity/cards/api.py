"""ID numbers and ID card QR codes over JSON: thin wrappers around the cards selectors and services.

Every endpoint needs a signed-in user (401 otherwise); reading a card also needs person.view (403).
"""

from datetime import date

from django.http import HttpRequest
from ninja import File, Router, Schema, UploadedFile
from pydantic import Field

from dean06.identity.cards.idnumbers import Gender, check_id
from dean06.identity.cards.qr_payload import MAX_LENGTH
from dean06.identity.cards.schemas import CardReadingDict, IdCheckDict, card_reading_dict, id_check_dict
from dean06.identity.cards.services import card_scan_image, card_scan_text

router = Router(tags=["identity"])


class PayloadIn(Schema):
    payload: str = Field(max_length=MAX_LENGTH, description="The text of the card's QR code.")


@router.get("/id/check", response=IdCheckDict, url_name="id_check")
def id_check(request: HttpRequest, number: str, dob: date | None = None, gender: Gender | None = None) -> IdCheckDict:
    """Check a 12-digit personal ID or 9-digit CMND number as typed; cross-check a date of birth and gender."""
    return id_check_dict(check_id(number, date_of_birth=dob, gender=gender))


@router.post("/qr/parse", response=CardReadingDict, url_name="qr_parse")
def qr_parse(request: HttpRequest, body: PayloadIn) -> CardReadingDict:
    """Parse the text of an ID card's QR code and resolve its address to today's commune (audited)."""
    return card_reading_dict(card_scan_text(actor=request.user, payload=body.payload, source="api"))


@router.post("/qr/decode", response=CardReadingDict, url_name="qr_decode")
def qr_decode(request: HttpRequest, image: File[UploadedFile]) -> CardReadingDict:
    """Find and read the QR code in a photo of an ID card (multipart field `image`); like /qr/parse."""
    return card_reading_dict(card_scan_image(actor=request.user, image=image, source="api"))
