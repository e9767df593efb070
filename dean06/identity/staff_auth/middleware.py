"""Second factor and idle timeout, enforced on every request rather than view by view, so no page can forget."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_htmx.http import HttpResponseClientRedirect

from dean06.core.audit import audit_record
from dean06.core.models import User
from dean06.identity.staff_auth.selectors import SecondFactorState, second_factor_state
from dean06.identity.staff_auth.session import LAST_SEEN_SESSION_KEY, second_factor_verified

IDLE_MESSAGE = _("Phiên làm việc đã hết hạn do không hoạt động. Vui lòng đăng nhập lại.")
SECOND_FACTOR_API_MESSAGE = _(
    "Tài khoản này cần xác thực 2 bước. Hãy đăng nhập trên trang web và nhập mã xác thực trước khi dùng API."
)
# The last-seen stamp is rewritten at most this often: one session write per minute, not one per request.
LAST_SEEN_RESOLUTION_SECONDS = 60

GetResponse = Callable[[HttpRequest], HttpResponse]


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(reverse("api:api-root"))


def _send_to(request: HttpRequest, url: str, api_message: str | Promise) -> HttpResponse:
    """JSON 401 for the API, HX-Redirect for htmx (a 302 would be swapped into the page), 302 otherwise."""
    if _is_api(request):
        return JsonResponse({"detail": str(api_message)}, status=401, json_dumps_params={"ensure_ascii": False})
    if request.headers.get("HX-Request") == "true":  # django-htmx's middleware runs later than this one
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


class IdleTimeoutMiddleware:
    """End a signed-in session after DEAN06_IDLE_TIMEOUT_MINUTES without a request.

    Stamping the session keeps it saved, and each save would push Django's expiry SESSION_COOKIE_AGE further
    away; so the first request of a session also fixes its end, which keeps the 8-hour limit absolute.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
            if last_seen is not None and now - int(last_seen) > settings.DEAN06_IDLE_TIMEOUT_MINUTES * 60:
                return self._expire(request)
            if last_seen is None:
                request.session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))
            if last_seen is None or now - int(last_seen) >= LAST_SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)

    def _expire(self, request: HttpRequest) -> HttpResponse:
        user = cast(User, request.user)
        details = {"idle_minutes": settings.DEAN06_IDLE_TIMEOUT_MINUTES}
        audit_record(actor=user, action="auth.session_idle_timeout", obj=user, details=details)
        logout(request)
        messages.warning(request, IDLE_MESSAGE)
        if request.method == "GET":
            login_url = redirect_to_login(request.get_full_path())["Location"]
        else:  # the form data is gone with the session; coming back to a POST-only address would not help
            login_url = resolve_url(settings.LOGIN_URL)
        return _send_to(request, login_url, IDLE_MESSAGE)


class SecondFactorMiddleware:
    """Until the session has passed the second factor, a user who needs it reaches only the 2FA pages (and
    logout, static files, the language switch and the SANDBOX e-ID provider)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated or second_factor_verified(request.session) or _exempt(request):
            return self.get_response(request)
        state = second_factor_state(request.user)
        if state == SecondFactorState.NOT_REQUIRED:
            return self.get_response(request)
        url = reverse("identity:totp_enrol" if state == SecondFactorState.ENROL else "identity:totp_verify")
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return _send_to(request, url, SECOND_FACTOR_API_MESSAGE)


def _exempt(request: HttpRequest) -> bool:
    pages = {
        reverse("identity:totp_verify"),
        reverse("identity:totp_enrol"),
        reverse("identity:totp_recovery"),
        reverse("web:logout"),
        reverse("set_language"),
    }
    return request.path in pages or request.path.startswith((settings.STATIC_URL or "/static/", "/sandbox/"))
