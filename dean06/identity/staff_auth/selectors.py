"""Reads for the second factor: who must use it, and where a user stands."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from dean06.core.models import RoleAssignment, User
from dean06.core.roles import ROLE_PERMISSIONS, Permission
from dean06.identity.models import TotpDevice
from dean06.identity.staff_auth import totp
from dean06.identity.staff_auth.crypto import secret_decrypt

# Holding any of these anywhere means reading or changing personal data, or the log of who did.
SECOND_FACTOR_PERMISSIONS = frozenset(
    {Permission.PERSON_VIEW, Permission.PERSON_EXPORT, Permission.PERSON_CHANGE, Permission.AUDIT_VIEW}
)
# Derived from the permission table, never from role names (ADR-0003): a role gaining person.view gains 2FA.
SECOND_FACTOR_ROLES: tuple[str, ...] = tuple(
    sorted(role for role, permissions in ROLE_PERMISSIONS.items() if permissions & SECOND_FACTOR_PERMISSIONS)
)


class SecondFactorState(StrEnum):
    NOT_REQUIRED = "not_required"
    ENROL = "enrol"  # required, no confirmed authenticator yet
    VERIFY = "verify"  # required, authenticator confirmed


def second_factor_required(user: User) -> bool:
    """Staff holding a role over personal data, and anyone who may enter the Django admin (it shows the audit
    log and every account). Citizens sign in with the national e-ID, which is itself multi-factor."""
    if user.is_superuser or user.is_staff:
        return True
    if user.kind == User.Kind.CITIZEN:
        return False
    return RoleAssignment.objects.filter(user_id=user.pk, role__in=SECOND_FACTOR_ROLES).exists()


def totp_enrolled(user: User) -> bool:
    return TotpDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).exists()


def second_factor_state(user: User) -> SecondFactorState:
    if not second_factor_required(user):
        return SecondFactorState.NOT_REQUIRED
    return SecondFactorState.VERIFY if totp_enrolled(user) else SecondFactorState.ENROL


def second_factor_locked_until(user: User) -> datetime | None:
    """When the user may try codes again after too many wrong ones; None if not locked now."""
    return (
        TotpDevice.objects.filter(user_id=user.pk, locked_until__gt=timezone.now())
        .values_list("locked_until", flat=True)
        .first()
    )


def sandbox_current_code(user: User) -> str | None:
    """SANDBOX only: a code the verify page may show, so a demo can be followed without an authenticator app.

    The code is for the earliest step not used yet (a code cannot be used twice), or None in production, for
    users without a confirmed device, or when the next usable step is still more than one step ahead.
    """
    if not settings.DEAN06_SANDBOX:
        return None
    device = TotpDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).first()
    if device is None:
        return None
    secret = secret_decrypt(device.encrypted_secret)
    current = totp.current_step(secret, timezone.now())
    step = max(current, device.last_used_step + 1)
    return totp.code_at_step(secret, step) if step <= current + totp.WINDOW_STEPS else None
