"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest

from dean06.web.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, object]:
    """`menu`: the destinations the signed-in user may open, the current one marked."""
    user = getattr(request, "user", None)  # absent when an error page is rendered before authentication
    if user is None:
        return {"menu": []}
    match = getattr(request, "resolver_match", None)
    return {"menu": menu_for(user, match.view_name if match else "")}
