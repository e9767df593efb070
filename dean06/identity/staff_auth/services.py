"""The staff second factor: enrolment, verification, recovery codes, reset. Every step is audited.

Wrong codes are counted on the device, not in the session, so signing in again with the password does not
buy new guesses; after DEAN06_SECOND_FACTOR_FAILURE_LIMIT of them in a row every code, even a right one, is
refused for DEAN06_SECOND_FACTOR_LOCKOUT. Failures are returned, not raised: raising inside the transaction
would roll back the very counter and audit entry that record them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dean06.core.access import require_permission
from dean06.core.audit import audit_record
from dean06.core.errors import ApplicationError
from dean06.core.models import User
from dean06.core.roles import Permission
from dean06.identity.models import RecoveryCode, TotpDevice
from dean06.identity.staff_auth import totp
from dean06.identity.staff_auth.crypto import SecretUnreadableError, secret_decrypt, secret_encrypt, secret_rotate

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to confuse when typed from paper
RECOVERY_CODE_LENGTH = 10  # 50 bits each


class CodeCheck(StrEnum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True)
class TotpEnrolment:
    """What the enrolment page shows: the secret for typing in, and the same as an otpauth URI and QR code."""

    secret: str
    uri: str
    qr_data_uri: str

    @property
    def secret_grouped(self) -> str:
        """In groups of four, easier to copy by hand; authenticator apps ignore the spaces."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


def _enrolment(user: User, secret: str) -> TotpEnrolment:
    uri = totp.provisioning_uri(secret, user.get_username())
    return TotpEnrolment(secret=secret, uri=uri, qr_data_uri=totp.qr_data_uri(uri))


def _device_for_update(user: User) -> TotpDevice | None:
    return TotpDevice.objects.select_for_update().filter(user_id=user.pk).first()


@transaction.atomic
def totp_enrol_start(user: User) -> TotpEnrolment:
    """A new secret, or the pending one again (reloading the page must not invalidate a scanned QR code)."""
    device = _device_for_update(user)
    if device is not None and device.confirmed_at is not None:
        raise ApplicationError(_("Tài khoản đã đăng ký xác thực 2 bước. Muốn đổi điện thoại, hãy liên hệ quản trị."))
    if device is not None:
        try:
            return _enrolment(user, secret_decrypt(device.encrypted_secret))
        except SecretUnreadableError:
            pass  # encrypted under a key no longer configured: issue a new one below
    secret = totp.random_secret()
    TotpDevice.objects.update_or_create(user=user, defaults={"encrypted_secret": secret_encrypt(secret)})
    audit_record(actor=user, action="auth.totp_enrol_start", obj=user)
    return _enrolment(user, secret)


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user_id=user.pk).delete()
    codes = [
        "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=make_password(code)) for code in codes])
    return [f"{code[:5]}-{code[5:]}" for code in codes]


@transaction.atomic
def totp_enrol_confirm(user: User, code: str) -> list[str] | None:
    """Confirm the pending device with a code from the app; returns the recovery codes (shown once), or None
    if the code is wrong."""
    device = _device_for_update(user)
    if device is None or device.confirmed_at is not None:
        raise ApplicationError(_("Không có đăng ký xác thực 2 bước nào đang chờ xác nhận. Vui lòng bắt đầu lại."))
    now = timezone.now()
    step = totp.matching_step(secret_decrypt(device.encrypted_secret), code, at=now, after=device.last_used_step)
    if step is None:
        return None  # a typing slip while setting up; the secret is on this user's screen, nothing to guess
    device.confirmed_at, device.last_used_step = now, step
    device.save(update_fields=["confirmed_at", "last_used_step", "updated_at"])
    codes = _new_recovery_codes(user)
    audit_record(actor=user, action="auth.totp_enrol", obj=user, details={"recovery_codes": len(codes)})
    return codes


def _refuse(device: TotpDevice, user: User, action: str) -> CodeCheck:
    """Count a wrong code; lock the device at the limit."""
    device.failed_attempts += 1
    audit_record(actor=user, action=action, obj=user, details={"failed_attempts": device.failed_attempts})
    if device.failed_attempts < settings.DEAN06_SECOND_FACTOR_FAILURE_LIMIT:
        device.save(update_fields=["failed_attempts", "updated_at"])
        return CodeCheck.WRONG
    device.failed_attempts = 0
    device.locked_until = timezone.now() + settings.DEAN06_SECOND_FACTOR_LOCKOUT
    device.save(update_fields=["failed_attempts", "locked_until", "updated_at"])
    audit_record(actor=user, action="auth.totp_locked", obj=user, details={"until": device.locked_until.isoformat()})
    return CodeCheck.LOCKED


def _is_locked(device: TotpDevice) -> bool:
    return device.locked_until is not None and device.locked_until > timezone.now()


@transaction.atomic
def totp_verify(user: User, code: str) -> CodeCheck:
    """Check a code from the confirmed device: the current step ±1, each step usable once."""
    device = _device_for_update(user)
    if device is None or device.confirmed_at is None:
        raise ApplicationError(_("Tài khoản chưa đăng ký xác thực 2 bước."))
    if _is_locked(device):
        return CodeCheck.LOCKED
    step = totp.matching_step(
        secret_decrypt(device.encrypted_secret), code, at=timezone.now(), after=device.last_used_step
    )
    if step is None:
        return _refuse(device, user, "auth.totp_verify_failed")
    device.last_used_step, device.failed_attempts, device.locked_until = step, 0, None
    device.encrypted_secret = secret_rotate(device.encrypted_secret)
    device.save(update_fields=["last_used_step", "failed_attempts", "locked_until", "encrypted_secret", "updated_at"])
    audit_record(actor=user, action="auth.totp_verify", obj=user)
    return CodeCheck.ACCEPTED


def normalise_recovery_code(code: str) -> str:
    """As printed (XXXXX-XXXXX) or typed loosely: spaces, hyphens and lower case do not matter."""
    return "".join(code.split()).replace("-", "").upper()


@transaction.atomic
def recovery_code_use(user: User, code: str) -> CodeCheck:
    """Pass the second factor with an unused recovery code, which is then spent."""
    device = _device_for_update(user)
    if device is None or device.confirmed_at is None:
        raise ApplicationError(_("Tài khoản chưa đăng ký xác thực 2 bước."))
    if _is_locked(device):
        return CodeCheck.LOCKED
    typed = normalise_recovery_code(code)
    for recovery in RecoveryCode.objects.select_for_update().filter(user_id=user.pk, used_at__isnull=True):
        if check_password(typed, recovery.code_hash):
            recovery.used_at = timezone.now()
            recovery.save(update_fields=["used_at"])
            device.failed_attempts, device.locked_until = 0, None
            device.save(update_fields=["failed_attempts", "locked_until", "updated_at"])
            left = RecoveryCode.objects.filter(user_id=user.pk, used_at__isnull=True).count()
            audit_record(actor=user, action="auth.recovery_code_used", obj=user, details={"left": left})
            return CodeCheck.ACCEPTED
    return _refuse(device, user, "auth.recovery_code_failed")


@transaction.atomic
def totp_reset(actor: User, user: User) -> None:
    """Remove a user's device and recovery codes (lost phone); they enrol again at their next sign-in."""
    require_permission(actor, Permission.USER_MANAGE)
    TotpDevice.objects.filter(user_id=user.pk).delete()
    RecoveryCode.objects.filter(user_id=user.pk).delete()
    audit_record(actor=actor, action="auth.totp_reset", obj=user)


@transaction.atomic
def totp_enrol_sandbox(user: User, secret: str) -> None:
    """SANDBOX only: give a demo account a confirmed device with a known secret, so the demo needs no phone."""
    if not settings.DEAN06_SANDBOX:
        raise ImproperlyConfigured("Known TOTP secrets are for the SANDBOX only (DEAN06_SANDBOX=false)")
    TotpDevice.objects.update_or_create(
        user=user,
        defaults={
            "encrypted_secret": secret_encrypt(secret),
            "confirmed_at": timezone.now(),
            "last_used_step": 0,
            "failed_attempts": 0,
            "locked_until": None,
        },
    )
    audit_record(actor=None, action="auth.totp_enrol", obj=user, details={"sandbox": True})
