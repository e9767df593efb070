"""The SANDBOX provider's pages: its own login page, and django-oauth-toolkit's endpoints adapted to it.

"Who is logging in" lives in the session under SANDBOX keys only; no Django user is logged in. For the
authorization endpoint the provider's subject for the chosen personal ID stands in as `request.user`, for
that request only. The choice is used once: the next authorization asks again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.cache import never_cache
from oauth2_provider.compat import login_not_required
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.http import OAuth2ResponseRedirect
from oauth2_provider.views import AuthorizationView

from dean06.identity.eid.claims import level_from_acr
from dean06.identity.eid.config import sandbox_issuer
from dean06.identity.eid.sandbox_idp.forms import SandboxLoginForm
from dean06.identity.eid.sandbox_idp.selectors import (
    sandbox_application,
    sandbox_application_name,
    sandbox_person_choices,
)
from dean06.identity.eid.sandbox_idp.services import sandbox_subject_authenticated
from dean06.identity.eid.sandbox_idp.validator import ACR_BY_LEVEL, GRANT_KEY

IDENTITY_KEY = "sandbox_eid_identity"  # {"personal_id", "level", "at"}
CANCEL_KEY = "sandbox_eid_cancel"
IDENTITY_MAX_AGE_SECONDS = 10 * 60


def sandbox_only[V: Callable[..., HttpResponseBase]](view: V) -> V:
    """404 unless DEAN06_SANDBOX is true (checked per request, so tests can switch it)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.DEAN06_SANDBOX:
            raise Http404("SANDBOX off")
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _authorize_path() -> str:
    return reverse("identity:sandbox_eid:authorize")


def _safe_next(request: HttpRequest, value: str) -> str:
    """Only the sandbox authorization endpoint on this site may follow the login page."""
    if value.startswith(_authorize_path()) and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _requested_level(next_url: str) -> int:
    """The level the client prefers (first acr_values entry), to preselect on the form."""
    values = parse_qs(urlsplit(next_url).query).get("acr_values", [""])[0].split()
    return level_from_acr(values[0]) if values else 1


def _client_id(next_url: str) -> str:
    return parse_qs(urlsplit(next_url).query).get("client_id", [""])[0]


@method_decorator(never_cache, name="dispatch")
class SandboxLoginView(View):
    """ "VNeID thử nghiệm": pick or type a personal ID, pick a level, continue the authorization."""

    def _render(self, request: HttpRequest, form: SandboxLoginForm, next_url: str, status: int = 200) -> HttpResponse:
        context = {"form": form, "client_name": sandbox_application_name(_client_id(next_url))}
        return render(request, "identity/eid/sandbox_login.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        next_url = _safe_next(request, request.GET.get("next", ""))
        if not next_url:
            return render(request, "identity/eid/sandbox_authorize.html", {"no_request": True}, status=400)
        persons = sandbox_person_choices(actor=request.user)
        form = SandboxLoginForm(persons=persons, initial={"next": next_url, "level": _requested_level(next_url)})
        return self._render(request, form, next_url)

    def post(self, request: HttpRequest) -> HttpResponseBase:
        next_url = _safe_next(request, request.POST.get("next", ""))
        if not next_url:
            return render(request, "identity/eid/sandbox_authorize.html", {"no_request": True}, status=400)
        if "cancel" in request.POST:
            request.session.pop(IDENTITY_KEY, None)
            request.session[CANCEL_KEY] = True
            return HttpResponseRedirect(next_url)
        form = SandboxLoginForm(request.POST, persons=sandbox_person_choices(actor=request.user))
        if not form.is_valid():
            return self._render(request, form, next_url, status=400)
        request.session[IDENTITY_KEY] = {
            "personal_id": form.cleaned_data["chosen_personal_id"],
            "level": form.cleaned_data["level"],
            "at": time.time(),
        }
        return HttpResponseRedirect(next_url)


def _with_issuer(uri: str, issuer: str) -> str:
    """RFC 9207: the authorization response names its issuer (replacing any `iss` already there)."""
    parts = urlsplit(uri)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "iss"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("iss", issuer)])))


@method_decorator(login_not_required, name="dispatch")
@method_decorator(never_cache, name="dispatch")
class SandboxAuthorizationView(AuthorizationView):  # type: ignore[misc]
    """django-oauth-toolkit's authorization endpoint, with the SANDBOX login page instead of a Django login."""

    template_name = "identity/eid/sandbox_authorize.html"
    login_url = reverse_lazy("identity:sandbox_eid_login")
    sandbox_acr = ACR_BY_LEVEL[1]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.oauth2_data: dict[str, Any] = {}
        if request.session.pop(CANCEL_KEY, False):
            return self._deny(request)
        chosen = request.session.get(IDENTITY_KEY)
        if not isinstance(chosen, dict) or time.time() - chosen.get("at", 0) > IDENTITY_MAX_AGE_SECONDS:
            return redirect_to_login(request.get_full_path(), str(self.login_url))
        self.sandbox_acr = ACR_BY_LEVEL.get(chosen.get("level", 1), ACR_BY_LEVEL[1])
        # The provider's subject, for this request only: nothing is written to the session's auth keys.
        request.user = sandbox_subject_authenticated(str(chosen["personal_id"]))
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        if isinstance(response, OAuth2ResponseRedirect):
            request.session.pop(IDENTITY_KEY, None)  # used once: the next login asks again
        return response

    def handle_prompt_login(self) -> HttpResponseBase:
        self.request.session.pop(IDENTITY_KEY, None)
        response: HttpResponseBase = super().handle_prompt_login()
        return response

    def create_authorization_response(
        self, request: HttpRequest, scopes: Any, credentials: dict[str, Any], allow: bool
    ) -> tuple[str, dict[str, str], str, int]:
        requested = credentials.get("claims")
        credentials["claims"] = {
            **(requested if isinstance(requested, dict) else {}),
            GRANT_KEY: {"acr": self.sandbox_acr},
        }
        uri, headers, body, status = super().create_authorization_response(request, scopes, credentials, allow)
        if uri:
            uri = _with_issuer(uri, sandbox_issuer(request))
            headers["Location"] = uri
        return uri, headers, body, status

    def _deny(self, request: HttpRequest) -> HttpResponseBase:
        """The citizen pressed "Hủy": answer the client with error=access_denied at its redirect URI."""
        try:
            scopes, credentials = self.validate_authorization_request(request)
        except OAuthToolkitError as error:
            response: HttpResponseBase = self.error_response(error, application=None)
            return response
        application = sandbox_application(credentials["client_id"])
        try:
            super().create_authorization_response(request, " ".join(scopes), credentials, allow=False)
        except OAuthToolkitError as error:
            response = self.error_response(error, application)
            return response
        raise AssertionError("allow=False always raises")


class SandboxDiscoveryView(View):
    """OpenID Provider metadata; URLs are built from this request, like the issuer."""

    def get(self, request: HttpRequest) -> JsonResponse:
        def url(name: str) -> str:
            return request.build_absolute_uri(reverse(f"identity:sandbox_eid:{name}"))

        data = {
            "issuer": sandbox_issuer(request),
            "authorization_endpoint": url("authorize"),
            "token_endpoint": url("token"),
            "userinfo_endpoint": url("user-info"),
            "jwks_uri": url("jwks-info"),
            "scopes_supported": ["openid", "profile"],
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "acr_values_supported": list(ACR_BY_LEVEL.values()),
            "claims_supported": [
                "sub",
                "iss",
                "aud",
                "exp",
                "iat",
                "auth_time",
                "nonce",
                "acr",
                "SoDinhDanh",
                "HoVaTen",
                "NgayThangNamSinh",
                "preferred_username",
                "loginIdp",
            ],
            "claims_parameter_supported": False,
            "authorization_response_iss_parameter_supported": True,
            "ui_locales_supported": ["vi", "en"],
        }
        response = JsonResponse(data)
        response["Access-Control-Allow-Origin"] = "*"
        return response
