"""What the session remembers about sign-in: when the second factor was passed, when the user was last seen."""

from __future__ import annotations

import time

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

SECOND_FACTOR_SESSION_KEY = "second_factor_at"
LAST_SEEN_SESSION_KEY = "last_seen_at"


def second_factor_verified(session: SessionBase) -> bool:
    return SECOND_FACTOR_SESSION_KEY in session


def second_factor_mark(session: SessionBase) -> None:
    session[SECOND_FACTOR_SESSION_KEY] = int(time.time())


def second_factor_passed(request: HttpRequest) -> None:
    """Mark the session verified under a new key: a session id seen before the second step is now worthless."""
    request.session.cycle_key()
    second_factor_mark(request.session)
