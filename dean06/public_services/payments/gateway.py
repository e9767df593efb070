"""The payment-gateway adapter: one interface, and the SANDBOX gateway that implements it (docs/payments.md).

A gateway does two things for dean06: it gives the URL to send a citizen to for paying (`start`), and it tells
whether a return or IPN callback really comes from it and what it says (`verify`). Vietnamese gateways
(VNPay, and alike) sign their query parameters with HMAC-SHA512; the SANDBOX gateway speaks that protocol with
`vnp_`-prefixed parameters, so a real gateway can replace it behind `payment_gateway()`.

The SANDBOX gateway's own side (its payment page, its signed result, its IPN) is `payments/sandbox.py`.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy

from dean06.text import strip_diacritics

# The HMAC key is derived from SECRET_KEY with this salt: no extra secret to configure for the SANDBOX, and a
# key of its own (a signature made for sessions or password resets can never pass for a payment's).
SANDBOX_SALT = "dean06.public_services.payments.sandbox-gateway"
SANDBOX_MERCHANT = "DEAN06VL"  # vnp_TmnCode: the merchant code the gateway issued to the province
SANDBOX_MERCHANT_NAME = gettext_lazy("Dịch vụ công tỉnh Vĩnh Long (dean06)")  # as registered with the gateway
VERSION = "2.1.0"
HASH_PARAM = "vnp_SecureHash"
_UNSIGNED = {HASH_PARAM, "vnp_SecureHashType"}
# Gateways take the amount in hundredths of a đồng and dates as yyyyMMddHHmmss in Vietnam's time.
AMOUNT_FACTOR = 100
DATE_FORMAT = "%Y%m%d%H%M%S"
GATEWAY_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
EXPIRES_AFTER = timedelta(minutes=15)

# vnp_ResponseCode values the SANDBOX gateway answers with.
PAID = "00"
EXPIRED = "11"
CANCELLED = "24"


class GatewayError(ValueError):
    """A callback or request that cannot be used."""


class InvalidSignatureError(GatewayError):
    """The secure hash is missing or does not match the parameters: not from the gateway, or altered."""


@dataclass(frozen=True)
class PaymentRequest:
    """What dean06 asks the gateway to collect. `description` may be Vietnamese; it is sent without diacritics."""

    reference: str
    amount_vnd: int
    description: str
    return_url: str
    ipn_url: str
    client_ip: str = ""
    locale: str = "vi"


@dataclass(frozen=True)
class PaymentOutcome:
    """A verified callback: the payment `reference` was (`success`) or was not paid, under `transaction`."""

    reference: str
    amount_vnd: int
    transaction: str
    success: bool
    response_code: str


class PaymentGateway(Protocol):
    name: str

    def start(self, request: PaymentRequest) -> str:
        """The URL to redirect the citizen's browser to."""
        ...

    def verify(self, params: Mapping[str, str]) -> PaymentOutcome:
        """The outcome carried by a return or IPN callback; InvalidSignatureError if not signed by the gateway."""
        ...


def gateway_time(moment: datetime) -> str:
    return moment.astimezone(GATEWAY_TZ).strftime(DATE_FORMAT)


def parse_gateway_time(text: str) -> datetime:
    try:
        return datetime.strptime(text, DATE_FORMAT).replace(tzinfo=GATEWAY_TZ)
    except ValueError as error:
        raise GatewayError(f"not a gateway date: {text!r}") from error


def _hash_data(params: Mapping[str, str]) -> str:
    """What is signed: the vnp_ parameters but the hash itself, sorted by name, URL-encoded, joined by '&'."""
    signed = sorted((k, str(v)) for k, v in params.items() if k.startswith("vnp_") and k not in _UNSIGNED)
    return urlencode(signed)


def secure_hash(params: Mapping[str, str]) -> str:
    return salted_hmac(SANDBOX_SALT, _hash_data(params), algorithm="sha512").hexdigest()


def signed(params: Mapping[str, str]) -> dict[str, str]:
    """`params` with their vnp_SecureHash."""
    return {**params, HASH_PARAM: secure_hash(params)}


def verified(params: Mapping[str, str]) -> dict[str, str]:
    """The vnp_ parameters of a signed message, or InvalidSignatureError. Anything else in the query is ignored."""
    given = str(params.get(HASH_PARAM, ""))
    if not given or not hmac.compare_digest(given.lower(), secure_hash(params)):
        raise InvalidSignatureError("vnp_SecureHash missing or wrong")
    return {k: str(v) for k, v in params.items() if k.startswith("vnp_")}


def amount_from_wire(text: str) -> int:
    if not text.isdigit() or int(text) % AMOUNT_FACTOR:
        raise GatewayError(f"vnp_Amount {text!r} is not a whole number of đồng times {AMOUNT_FACTOR}")
    return int(text) // AMOUNT_FACTOR


def _ascii(text: str, limit: int = 255) -> str:
    """Gateways reject diacritics in free text; keep letters, digits and plain punctuation."""
    plain = strip_diacritics(text)
    return "".join(c for c in plain if 32 <= ord(c) < 127)[:limit]


class SandboxGateway:
    """The merchant side of the SANDBOX gateway (its pages live at `pay_url`, under /sandbox/payments/)."""

    name = "sandbox"

    def __init__(self, pay_url: str) -> None:
        self.pay_url = pay_url

    def start(self, request: PaymentRequest) -> str:
        now = timezone.now()
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": SANDBOX_MERCHANT,
            "vnp_Amount": str(request.amount_vnd * AMOUNT_FACTOR),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": request.reference,
            "vnp_OrderInfo": _ascii(request.description),
            "vnp_OrderType": "billpayment",
            "vnp_Locale": "en" if request.locale.startswith("en") else "vn",
            "vnp_ReturnUrl": request.return_url,
            # A SANDBOX extension: a real gateway has the IPN URL registered with the merchant; the SANDBOX
            # learns it per payment (signed like the rest), so any host and port — a test's live server — works.
            "vnp_IpnUrl": request.ipn_url,
            "vnp_IpAddr": request.client_ip or "127.0.0.1",
            "vnp_CreateDate": gateway_time(now),
            "vnp_ExpireDate": gateway_time(now + EXPIRES_AFTER),
        }
        return f"{self.pay_url}?{urlencode(signed(params))}"

    def verify(self, params: Mapping[str, str]) -> PaymentOutcome:
        values = verified(params)
        if values.get("vnp_TmnCode") != SANDBOX_MERCHANT:
            raise GatewayError("vnp_TmnCode is not dean06's merchant code")
        try:
            reference, transaction = values["vnp_TxnRef"], values.get("vnp_TransactionNo", "")
            response_code, status = values["vnp_ResponseCode"], values.get("vnp_TransactionStatus", "")
        except KeyError as error:
            raise GatewayError(f"{error.args[0]} missing") from error
        return PaymentOutcome(
            reference=reference,
            amount_vnd=amount_from_wire(values.get("vnp_Amount", "")),
            transaction=transaction,
            success=response_code == PAID and status == PAID,
            response_code=response_code,
        )


def payment_gateway() -> PaymentGateway:
    """The gateway dean06 uses. Only the SANDBOX one exists so far; a real gateway will be chosen here by a
    setting, implementing the same two methods (its pages are then elsewhere, and `verify` checks its key)."""
    return SandboxGateway(reverse("payments:sandbox:pay"))
