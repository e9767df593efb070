"""Reading an ID card's QR code: parse it and resolve its address to today's commune.

Only the data printed on the card the citizen hands over is read; no registry row is, so nothing here is
scoped. Recording that a card was read is `services.card_scan_*`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from dean06.identity.cards.qr_image import decode_card_image
from dean06.identity.cards.qr_payload import PayloadParse, parse_payload
from dean06.registry.units.resolver import Resolution, resolve_address


@dataclass(frozen=True)
class CardReading:
    parse: PayloadParse
    commune: Resolution | None  # the card's address resolved; None when the payload did not parse
    decoded: bool | None = None  # images only: whether a QR code was found at all


def card_read(payload: str) -> CardReading:
    parsed = parse_payload(payload)
    return CardReading(parsed, resolve_address(parsed.card.address) if parsed.card else None)


def card_read_image(data: bytes, *, thorough: bool = True) -> CardReading:
    """`thorough=False` for camera frames: only the cheap decoding passes (qr_image)."""
    found = decode_card_image(data, thorough=thorough)
    if found.payload is None:
        return CardReading(PayloadParse(None, found.errors), None, decoded=False)
    return replace(card_read(found.payload), decoded=True)
