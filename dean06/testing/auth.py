"""Signing test clients in: `login(client, user)` instead of `client.force_login(user)` everywhere.

Staff holding a role over personal data must pass the second factor (identity.staff_auth); a force-logged-in
session has not, and every page would answer with the 2FA redirect. `login` marks the session as having
passed it, as the verify page does; tests of the second step itself use `client.force_login` directly.
"""

from __future__ import annotations

from django.test import Client

from dean06.core.models import User
from dean06.identity.eid.session import eid_session_store
from dean06.identity.staff_auth.session import second_factor_mark


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    session = client.session
    second_factor_mark(session)
    session.save()
    return client


def login_citizen(client: Client, user: User, *, level: int = 2) -> Client:
    """A citizen signed in with e-ID at `level`, as the SANDBOX provider's callback leaves the session."""
    client.force_login(user)
    session = client.session
    eid_session_store(
        session, user_id=user.pk, level=level, acr=f"urn:sandbox:loa:{level}", issuer="test", sandbox=True
    )
    session.save()
    return client
