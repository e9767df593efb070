"""Writes of the SANDBOX provider: its subjects (the provider's own view of a citizen) and dean06's client entry.

django-oauth-toolkit ties every grant and token to a user row. The provider's "subject" for a personal ID is
an inactive account `sandbox-vneid-<personal ID>` with no password: no one can log in as it, and it is not
the citizen's dean06 account (the relying party finds or creates that one from the ID token, as it would
with the national provider).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import Application

from dean06.core.models import User
from dean06.identity.eid.config import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET

SUBJECT_PREFIX = "sandbox-vneid-"
SANDBOX_APPLICATION_NAME = "dean06 — cổng công dân (SANDBOX)"


def subject_personal_id(user: User) -> str:
    """The personal ID a sandbox subject stands for ("" for any other account)."""
    return user.username.removeprefix(SUBJECT_PREFIX) if user.username.startswith(SUBJECT_PREFIX) else ""


@transaction.atomic
def sandbox_subject_authenticated(personal_id: str) -> User:
    """The provider's subject for `personal_id`, created on first use; `last_login` becomes `auth_time`."""
    user, created = User.objects.get_or_create(
        username=f"{SUBJECT_PREFIX}{personal_id}",
        defaults={"kind": User.Kind.CITIZEN, "is_active": False, "full_name": f"SANDBOX VNeID {personal_id}"},
    )
    if created:
        user.set_unusable_password()
    user.last_login = timezone.now()
    user.save()
    return user


@dataclass(frozen=True)
class SandboxClient:
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    created: bool


@transaction.atomic
def sandbox_application_setup(redirect_uris: list[str]) -> SandboxClient:
    """Create or update dean06's client at the SANDBOX provider (idempotent); the secret is stored hashed."""
    uris = list(dict.fromkeys(uri.strip() for uri in redirect_uris if uri.strip()))
    _, created = Application.objects.update_or_create(
        client_id=SANDBOX_CLIENT_ID,
        defaults={
            "name": SANDBOX_APPLICATION_NAME,
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "algorithm": Application.RS256_ALGORITHM,
            "skip_authorization": True,
            "redirect_uris": " ".join(uris),
            "client_secret": SANDBOX_CLIENT_SECRET,
            "hash_client_secret": True,
        },
    )
    return SandboxClient(SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, uris, created)


def sandbox_redirect_uri_add(uri: str) -> SandboxClient:
    """Register one more callback URL for dean06 at the SANDBOX provider (tests use the live server's)."""
    existing = Application.objects.filter(client_id=SANDBOX_CLIENT_ID).values_list("redirect_uris", flat=True).first()
    return sandbox_application_setup([*(existing or "").split(), uri])
