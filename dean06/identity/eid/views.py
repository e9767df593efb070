"""Citizen e-ID pages: login start and callback, the level-2 demo procedure, "my data". Thin: flow and selectors."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from dean06.core.models import User
from dean06.core.pages import PageView
from dean06.identity.eid.errors import EidError, EidFailure
from dean06.identity.eid.flow import eid_login_callback, eid_login_start
from dean06.identity.eid.levels import eid_level, require_eid_level
from dean06.identity.eid.selectors import person_access_history
from dean06.registry.selectors import person_own_get

log = logging.getLogger(__name__)

ERROR_STATUS = {EidFailure.PROVIDER_UNREACHABLE: 502, EidFailure.NOT_CONFIGURED: 503}


def eid_error_page(request: HttpRequest, error: EidError) -> HttpResponse:
    log.warning("e-ID login failed: %s", error)
    context = {"message": error.message, "failure": error.failure}
    return render(request, "identity/eid/error.html", context, status=ERROR_STATUS.get(error.failure, 400))


@method_decorator(never_cache, name="dispatch")
class EidLoginView(View):
    """`?next=` where to go afterwards; `?muc_do=2` asks the provider for level 2 (DEAN06_EID_ACR_VALUES_LEVEL2)."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        try:
            url = eid_login_start(
                request, next_url=request.GET.get("next", ""), level2=request.GET.get("muc_do") == "2"
            )
        except EidError as error:
            return eid_error_page(request, error)
        return HttpResponseRedirect(url)


@method_decorator(never_cache, name="dispatch")
class EidCallbackView(View):
    def get(self, request: HttpRequest) -> HttpResponseBase:
        try:
            result, next_url = eid_login_callback(request)
        except EidError as error:
            return eid_error_page(request, error)
        if result.person is None:
            return HttpResponseRedirect(reverse("identity:my_data"))  # it says the record was not found
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


class CitizenPageView(PageView):
    """Signed-in citizens only: anonymous → login page, staff → 403."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and (
            not isinstance(request.user, User) or request.user.kind != User.Kind.CITIZEN
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MyDataView(CitizenPageView):
    """The citizen's registry record (read-only, audited), e-ID level, and who accessed the record and why."""

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "person": person_own_get(actor=request.user),
            "history": person_access_history(actor=request.user),
            "level": eid_level(request),
        }
        return render(request, "identity/eid/my_data.html", context)


@method_decorator(require_eid_level(2), name="dispatch")
class Level2DemoView(View):
    """A stand-in for a procedure that needs a level-2 e-ID login."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "identity/eid/level2_demo.html", {"level": eid_level(request)})
