"""E-ID assurance levels on the session, and the gate that later procedures put in front of their views.

    @require_eid_level(2)
    def my_procedure(request): ...

    @method_decorator(require_eid_level(2), name="dispatch")
    class MyProcedureView(View): ...        # or: class MyProcedureView(EidLevelRequiredMixin, View)

An anonymous visitor goes to the login page; a signed-in user below the level (a level-1 e-ID login, a
password login, a staff account) gets a 403 page explaining how to obtain level 2 and offering to log in
again with VNeID at that level.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, cast
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from dean06.identity.eid.claims import LEVEL_1, LEVEL_2
from dean06.identity.eid.session import AUTH_METHOD_EID, AUTH_METHOD_KEY, LEVEL_KEY, USER_KEY

type View[**P] = Callable[Concatenate[HttpRequest, P], HttpResponseBase]


def eid_level(request: HttpRequest) -> int | None:
    """1 or 2 when the signed-in user logged in with e-ID in this session; None otherwise."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    session = request.session
    if session.get(AUTH_METHOD_KEY) != AUTH_METHOD_EID or session.get(USER_KEY) != user.pk:
        return None
    level = session.get(LEVEL_KEY)
    return level if level in (LEVEL_1, LEVEL_2) else None


def level_refused(request: HttpRequest, required: int) -> HttpResponse:
    """The 403 page: which level is needed, which one the session has, and how to get the higher one."""
    step_up = reverse("identity:eid_login") + "?" + urlencode({"muc_do": required, "next": request.get_full_path()})
    context = {"required": required, "current": eid_level(request), "step_up_url": step_up}
    return render(request, "identity/eid/level_required.html", context, status=403)


def require_eid_level[**P](required: int) -> Callable[[View[P]], View[P]]:
    """Decorator: the view runs only for a user who logged in with e-ID at `required` or higher."""

    def decorator(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            current = eid_level(request)
            if current is None or current < required:
                return level_refused(request, required)
            return view(request, *args, **kwargs)

        return cast(View[P], wrapped)

    return decorator


class EidLevelRequiredMixin:
    """Class-based views: set `eid_level_required`; checked before `dispatch`."""

    eid_level_required: int = LEVEL_2

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        parent: Callable[..., HttpResponseBase] = super().dispatch  # type: ignore[misc]
        return require_eid_level(self.eid_level_required)(parent)(request, *args, **kwargs)
