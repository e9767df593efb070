"""Encryption of TOTP secrets at rest (Fernet: AES-128-CBC with HMAC-SHA256).

Keys come from DEAN06_TOTP_KEYS (the first encrypts, every one decrypts, so keys can be rotated). Without it,
one key is derived from SECRET_KEY: deployments work out of the box, at the price that a new SECRET_KEY makes
every stored secret unreadable and every officer has to enrol again.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from dean06.core.errors import ApplicationError


class SecretUnreadableError(ApplicationError):
    """The secret was encrypted with a key that is no longer configured; an administrator must reset it."""

    status_code = 409
    default_message = _(
        "Không đọc được khóa xác thực 2 bước của tài khoản này. Vui lòng liên hệ quản trị hệ thống để đặt lại."
    )


def _fernet() -> MultiFernet:
    keys: list[str] = list(settings.DEAN06_TOTP_KEYS)
    if not keys:
        derived = salted_hmac("dean06.identity.totp", "", secret=settings.SECRET_KEY, algorithm="sha256").digest()
        keys = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def secret_encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def secret_rotate(token: str) -> str:
    """The same secret encrypted under the first key, so an old key can be dropped once everyone has signed in."""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadableError() from exc


def secret_decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadableError() from exc
