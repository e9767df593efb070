"""What an e-ID login leaves in the Django session, and the relying party's in-flight state.

After `django.contrib.auth.login`:
- `auth_method` = "eid" (password logins leave it unset; the staff second-factor middleware skips "eid");
- `eid_level` = 1 or 2, `eid_acr` (raw claim), `eid_issuer`, `eid_sandbox`, `eid_user_id` (the level counts
  only while that user is the one logged in).

Between the redirect to the provider and the callback: `eid_rp_flow` = state, nonce, PKCE verifier, issuer,
where to go next. It is popped by the callback, so a code or state can be used once.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase

AUTH_METHOD_KEY = "auth_method"
AUTH_METHOD_EID = "eid"
LEVEL_KEY = "eid_level"
ACR_KEY = "eid_acr"
ISSUER_KEY = "eid_issuer"
SANDBOX_KEY = "eid_sandbox"
USER_KEY = "eid_user_id"
FLOW_KEY = "eid_rp_flow"
FLOW_MAX_AGE_SECONDS = 15 * 60


@dataclass(frozen=True)
class LoginFlow:
    state: str
    nonce: str
    code_verifier: str
    issuer: str
    next_url: str
    started_at: float


def flow_save(session: SessionBase, flow: LoginFlow) -> None:
    session[FLOW_KEY] = asdict(flow)


def flow_pop(session: SessionBase) -> LoginFlow | None:
    """The pending login (removed from the session), or None if there is none or it is too old."""
    data: Any = session.pop(FLOW_KEY, None)
    if not isinstance(data, dict):
        return None
    try:
        flow = LoginFlow(**data)
    except TypeError:
        return None
    if time.time() - flow.started_at > FLOW_MAX_AGE_SECONDS:
        return None
    return flow


def eid_session_store(session: SessionBase, *, user_id: int, level: int, acr: str, issuer: str, sandbox: bool) -> None:
    """Call after `login()`: login() may flush the session when another user was signed in."""
    session[AUTH_METHOD_KEY] = AUTH_METHOD_EID
    session[LEVEL_KEY] = level
    session[ACR_KEY] = acr
    session[ISSUER_KEY] = issuer
    session[SANDBOX_KEY] = sandbox
    session[USER_KEY] = user_id


def eid_session_clear(session: SessionBase) -> None:
    """Forget the e-ID level (for a later login by another method in the same session)."""
    if session.get(AUTH_METHOD_KEY) == AUTH_METHOD_EID:
        session.pop(AUTH_METHOD_KEY, None)
    for key in (LEVEL_KEY, ACR_KEY, ISSUER_KEY, SANDBOX_KEY, USER_KEY):
        session.pop(key, None)
