"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from dean06.identity.eid.config import eid_enabled
from dean06.web.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, object]:
    """`menu`: the destinations the signed-in user may open, the current one marked.

    `sandbox`: DEAN06_SANDBOX is on (every page shows the SANDBOX strip); `eid_login`: the login page offers VNeID.
    """
    flags: dict[str, object] = {"sandbox": bool(settings.DEAN06_SANDBOX), "eid_login": eid_enabled()}
    user = getattr(request, "user", None)  # absent when an error page is rendered before authentication
    if user is None:
        return {"menu": [], **flags}
    match = getattr(request, "resolver_match", None)
    return {"menu": menu_for(user, match.view_name if match else ""), **flags}
