"""The SANDBOX gateway's own side: read a signed payment request, answer with a signed result, send the IPN.

This is what the real gateway does on its servers. It keeps no state of its own: everything it needs travels
in the signed request, and its answer is signed with the same merchant key (`gateway.signed`). Its pages are
`sandbox_views.py`; the IPN is posted by a background job (`dean06.public_services.jobs`).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

import requests

from dean06.public_services.payments.gateway import (
    CANCELLED,
    EXPIRED,
    PAID,
    SANDBOX_MERCHANT,
    SANDBOX_MERCHANT_NAME,
    GatewayError,
    amount_from_wire,
    gateway_time,
    parse_gateway_time,
    signed,
    verified,
)

logger = logging.getLogger(__name__)

IPN_TIMEOUT_SECONDS = 10
_REQUIRED = ("vnp_TmnCode", "vnp_Amount", "vnp_TxnRef", "vnp_ReturnUrl", "vnp_IpnUrl", "vnp_ExpireDate")


@dataclass(frozen=True)
class SandboxPayment:
    """A verified payment request, as the gateway's page shows it."""

    params: dict[str, str]
    reference: str
    amount_vnd: int
    order_info: str
    merchant_name: str
    return_url: str
    ipn_url: str
    expires_at: datetime

    def expired(self, now: datetime) -> bool:
        return now > self.expires_at


def sandbox_payment_read(params: Mapping[str, str]) -> SandboxPayment:
    """The verified request in `params` (InvalidSignatureError: not signed with our key; GatewayError: unusable)."""
    values = verified(params)
    missing = [name for name in _REQUIRED if not values.get(name)]
    if missing:
        raise GatewayError(f"missing: {', '.join(missing)}")
    if values["vnp_TmnCode"] != SANDBOX_MERCHANT:
        raise GatewayError("unknown merchant")
    if not values["vnp_ReturnUrl"].startswith(("http://", "https://", "/")):
        raise GatewayError("vnp_ReturnUrl is not a URL")
    if not values["vnp_IpnUrl"].startswith(("http://", "https://")):
        raise GatewayError("vnp_IpnUrl must be absolute: the gateway calls it from its own server")
    return SandboxPayment(
        params=values,
        reference=values["vnp_TxnRef"],
        amount_vnd=amount_from_wire(values["vnp_Amount"]),
        order_info=values.get("vnp_OrderInfo", ""),
        merchant_name=str(SANDBOX_MERCHANT_NAME),
        return_url=values["vnp_ReturnUrl"],
        ipn_url=values["vnp_IpnUrl"],
        expires_at=parse_gateway_time(values["vnp_ExpireDate"]),
    )


def sandbox_payment_result(payment: SandboxPayment, *, pay: bool, now: datetime) -> dict[str, str]:
    """The signed result the gateway sends back (IPN and return URL alike): paid, cancelled or expired."""
    if not pay:
        code = CANCELLED
    elif payment.expired(now):
        code = EXPIRED
    else:
        code = PAID
    result = {
        "vnp_TmnCode": SANDBOX_MERCHANT,
        "vnp_Amount": payment.params["vnp_Amount"],
        "vnp_TxnRef": payment.reference,
        "vnp_OrderInfo": payment.order_info,
        "vnp_BankCode": "SANDBOX",
        "vnp_CardType": "ATM",
        "vnp_PayDate": gateway_time(now),
        "vnp_ResponseCode": code,
        "vnp_TransactionStatus": PAID if code == PAID else "02",
        # The gateway's own number for the transaction; "0" when nothing was charged, as VNPay answers.
        "vnp_TransactionNo": f"{secrets.randbelow(10**8):08d}" if code == PAID else "0",
    }
    return signed(result)


def sandbox_return_url(payment: SandboxPayment, result: Mapping[str, str]) -> str:
    """The merchant's return URL carrying the signed result."""
    separator = "&" if "?" in payment.return_url else "?"
    return f"{payment.return_url}{separator}{urlencode(result)}"


def sandbox_ipn_send(*, ipn_url: str, params: Mapping[str, str], timeout: float = IPN_TIMEOUT_SECONDS) -> str:
    """POST the signed result to the merchant's IPN URL (server to server); the merchant's RspCode.

    Raises requests' errors (and ValueError for an answer without RspCode) so that the job is recorded as
    failed; the citizen's return to the merchant settles the payment all the same.
    """
    response = requests.post(ipn_url, data=dict(params), timeout=timeout)
    response.raise_for_status()
    code = str(response.json()["RspCode"])
    logger.info("SANDBOX gateway IPN %s for %s: RspCode %s", ipn_url, params.get("vnp_TxnRef"), code)
    return code
