"""The base of every signed-in page: login first, then domain errors shown as the 403/404 pages."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.views import View
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from dean06.core.access import has_permission
from dean06.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from dean06.core.models import User
from dean06.core.roles import Permission


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it (for type checking)."""

    htmx: HtmxDetails


def wants_fragment(request: HtmxHttpRequest) -> bool:
    """An htmx swap asks for the fragment; a history restore after a cache miss needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def to_login(request: HtmxHttpRequest) -> HttpResponseBase:
    """Send an anonymous visitor to the login page, returning here afterwards."""
    response = redirect_to_login(request.get_full_path())
    if request.htmx:
        # A plain redirect would be followed by htmx and the login page swapped into a fragment.
        return HttpResponseClientRedirect(response["Location"])
    return response


def signed_in(request: HttpRequest) -> User:
    """The user of a PageView request, which dispatch has already required to be signed in."""
    user = request.user
    assert isinstance(user, User)
    return user


class PageView(View):
    """Requires a signed-in user (and `required_permission` somewhere, if set); NotFoundError → 404 page,
    PermissionDeniedError → 403 page.

    Raising Django's own Http404/PermissionDenied lets the handler404/handler403 templates render, so a
    record outside the user's scope looks exactly like a missing URL.
    """

    required_permission: Permission | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return to_login(cast(HtmxHttpRequest, request))  # HtmxMiddleware runs on every request
        if self.required_permission is not None and not has_permission(request.user, self.required_permission):
            raise PermissionDenied
        try:
            return super().dispatch(request, *args, **kwargs)
        except NotFoundError as exc:
            raise Http404(exc.message) from exc
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            return render(request, "400.html", {"message": exc.message}, status=exc.status_code)
