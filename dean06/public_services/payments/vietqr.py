"""VietQR bank-transfer payloads (NAPAS 247 "QR chuyển nhanh"): build, parse and draw. Pure Python, no Django.

A VietQR is an EMVCo merchant-presented QR: a string of ID-length-value fields (two-digit ID, two-digit length,
value), closed by a CRC. For a transfer to an account (service QRIBFTTA) NAPAS uses:

    00 "01"              payload format indicator
    01 "11" | "12"       point of initiation: static (no amount) | dynamic (with amount, one payment)
    38 ...               merchant account information, a template of its own:
        00 "A000000727"      NAPAS's GUID
        01 ...               beneficiary organisation, a template: 00 bank BIN (6 digits), 01 account number
        02 "QRIBFTTA"        service code: inter-bank fund transfer to an account
    53 "704"             currency (VND)
    54 amount            digits only, whole đồng (dynamic QR)
    58 "VN"              country
    62 ...               additional data, a template: 01 bill number, 08 purpose of transaction
    63 CRC               CRC-16/CCITT-FALSE of everything before it, "6304" included, 4 upper-case hex digits

docs/payments.md decodes an example field by field.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import segno

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
STATIC, DYNAMIC = "11", "12"

_MAX_FIELD = 99  # two length digits
_MAX_ADDITIONAL = 25  # EMVCo: each sub-field of the additional data template is "ans ..25"
_PRINTABLE_ASCII = re.compile(r"^[\x20-\x7e]*$")


class VietQRError(ValueError):
    """A payload that cannot be built or read; the message says which field."""


@dataclass(frozen=True)
class VietQR:
    """A transfer to `account` at the bank `bank_bin`; `amount_vnd` None makes a static QR (payer types it)."""

    bank_bin: str
    account: str
    amount_vnd: int | None = None
    bill_number: str = ""
    purpose: str = ""
    service: str = SERVICE_TO_ACCOUNT


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def _crc_hex(text: str) -> str:
    return f"{crc16_ccitt_false(text.encode('ascii')):04X}"


def _field(tag: str, value: str) -> str:
    if not value:
        return ""  # an empty optional field is left out, never written with length 00
    if len(value) > _MAX_FIELD:
        raise VietQRError(f"field {tag}: {len(value)} characters, at most {_MAX_FIELD}")
    return f"{tag}{len(value):02d}{value}"


def _checked_text(name: str, value: str, limit: int) -> str:
    if not _PRINTABLE_ASCII.match(value):
        raise VietQRError(f"{name}: only ASCII letters, digits, spaces and punctuation (no diacritics)")
    if len(value) > limit:
        raise VietQRError(f"{name}: {len(value)} characters, at most {limit}")
    return value


def build(qr: VietQR) -> str:
    """The payload text of `qr`, CRC included."""
    if not re.fullmatch(r"[0-9]{6}", qr.bank_bin):
        raise VietQRError("bank BIN: 6 digits")
    if not re.fullmatch(r"[0-9A-Za-z]{1,19}", qr.account):
        raise VietQRError("account number: 1 to 19 letters or digits")
    if qr.amount_vnd is not None and not 0 < qr.amount_vnd < 10**13:
        raise VietQRError("amount: a positive whole number of đồng, at most 13 digits")
    beneficiary = _field("00", qr.bank_bin) + _field("01", qr.account)
    merchant = _field("00", NAPAS_GUID) + _field("01", beneficiary) + _field("02", qr.service)
    additional = _field("01", _checked_text("bill number", qr.bill_number, _MAX_ADDITIONAL)) + _field(
        "08", _checked_text("purpose", qr.purpose, _MAX_ADDITIONAL)
    )
    body = (
        _field("00", "01")
        + _field("01", STATIC if qr.amount_vnd is None else DYNAMIC)
        + _field("38", merchant)
        + _field("53", CURRENCY_VND)
        + _field("54", "" if qr.amount_vnd is None else str(qr.amount_vnd))
        + _field("58", COUNTRY_VN)
        + _field("62", additional)
        + "6304"
    )
    return body + _crc_hex(body)


def fields(text: str) -> dict[str, str]:
    """The ID-length-value fields of `text` in order (a template's value is parsed again by the caller)."""
    found: dict[str, str] = {}
    position = 0
    while position < len(text):
        head = text[position : position + 4]
        if not re.fullmatch(r"[0-9]{4}", head):
            raise VietQRError(f"position {position}: expected a 2-digit ID and a 2-digit length")
        tag, length = head[:2], int(head[2:])
        value = text[position + 4 : position + 4 + length]
        if len(value) != length:
            raise VietQRError(f"field {tag}: {length} characters announced, {len(value)} present")
        if tag in found:
            raise VietQRError(f"field {tag} appears twice")
        found[tag] = value
        position += 4 + length
    return found


def _expect(found: dict[str, str], tag: str, expected: str, name: str) -> None:
    if found.get(tag) != expected:
        raise VietQRError(f"{name} (field {tag}) must be {expected!r}, not {found.get(tag)!r}")


def parse(payload: str) -> VietQR:
    """The transfer in a VietQR payload; VietQRError if its CRC is wrong or it is not a NAPAS transfer QR."""
    payload = payload.strip()
    if not _PRINTABLE_ASCII.match(payload):
        raise VietQRError("a VietQR payload is printable ASCII")
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise VietQRError("the payload must end with the CRC field 63, length 04")
    if payload[-4:].upper() != _crc_hex(payload[:-4]):
        raise VietQRError(f"CRC mismatch: payload says {payload[-4:]}, content gives {_crc_hex(payload[:-4])}")
    root = fields(payload)
    _expect(root, "00", "01", "payload format indicator")
    _expect(root, "53", CURRENCY_VND, "currency")
    _expect(root, "58", COUNTRY_VN, "country")
    merchant = fields(root.get("38", ""))
    _expect(merchant, "00", NAPAS_GUID, "NAPAS GUID")
    beneficiary = fields(merchant.get("01", ""))
    amount_text = root.get("54", "")
    if amount_text and not re.fullmatch(r"[0-9]+", amount_text):
        raise VietQRError(f"amount (field 54) {amount_text!r} is not a whole number of đồng")
    additional = fields(root.get("62", ""))
    return VietQR(
        bank_bin=beneficiary.get("00", ""),
        account=beneficiary.get("01", ""),
        amount_vnd=int(amount_text) if amount_text else None,
        bill_number=additional.get("01", ""),
        purpose=additional.get("08", ""),
        service=merchant.get("02", ""),
    )


def svg(payload: str, *, scale: int = 4) -> str:
    """The QR as an SVG document (black on white, quiet zone of 4 modules) for a receipt or a page.

    Error correction M: a printed receipt survives creases, and the payload stays small enough to scan from a
    phone screen held at arm's length.
    """
    out = io.BytesIO()
    segno.make_qr(payload, error="m").save(
        out, kind="svg", xmldecl=False, scale=scale, border=4, dark="#000", light="#fff", title="VietQR"
    )
    return out.getvalue().decode("ascii")


def svg_data_uri(payload: str, *, scale: int = 4) -> str:
    """The same, as a data: URI for an <img> (the CSP allows data: images, not inline markup from elsewhere)."""
    return str(segno.make_qr(payload, error="m").svg_data_uri(scale=scale, border=4, dark="#000", light="#fff"))
