"""TOTP (RFC 6238: 6 digits, 30-second steps, SHA-1, what every authenticator app supports) without the ORM."""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp
import segno
from django.conf import settings

# Accept the step before and after the current one: phone clocks drift and people type slowly.
WINDOW_STEPS = 1


def current_step(secret: str, at: datetime) -> int:
    return int(pyotp.TOTP(secret).timecode(at))


def code_at_step(secret: str, step: int) -> str:
    return str(pyotp.TOTP(secret).generate_otp(step))


def matching_step(secret: str, code: str, *, at: datetime, after: int) -> int | None:
    """The step within the window whose code is `code`, if it is later than `after` (the last step used)."""
    now = current_step(secret, at)
    for step in range(now - WINDOW_STEPS, now + WINDOW_STEPS + 1):
        if step > after and hmac.compare_digest(code_at_step(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, username: str) -> str:
    """otpauth://totp/Đề án 06 Vĩnh Long:USERNAME?secret=…&issuer=… (percent-encoded), what the QR code holds."""
    return str(pyotp.TOTP(secret, name=username, issuer=settings.DEAN06_TOTP_ISSUER).provisioning_uri())


def qr_data_uri(uri: str) -> str:
    """An SVG QR code as a data: URI, which the CSP allows in <img> (img-src 'self' data:); no file, no script."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=4, dark="#000", light="#fff"))


def random_secret() -> str:
    return str(pyotp.random_base32())  # 160 bits, as RFC 4226 recommends
