"""Claims of the SANDBOX provider, shaped like the national portal's (`SoDinhDanh`, `HoVaTen`, …).

The level the citizen chose on the sandbox login page travels with the authorization code: the authorize
view stores it in the grant's `claims` column under GRANT_KEY, and the token request (a back-channel call
without the browser's session) reads it from there into the ID token's `acr`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from oauth2_provider.oauth2_validators import OAuth2Validator

from dean06.identity.eid.config import sandbox_issuer
from dean06.identity.eid.sandbox_idp.selectors import sandbox_person
from dean06.identity.eid.sandbox_idp.services import subject_personal_id

GRANT_KEY = "dean06_sandbox"
ACR_BY_LEVEL = {1: "LoA1", 2: "LoA2"}


class _HeadersRequest(HttpRequest):
    """Enough of a Django request to build absolute URLs from an oauthlib request's (Django-derived) headers."""

    def __init__(self, headers: Any, secure: bool) -> None:
        super().__init__()
        self.META = headers
        self._secure_scheme = secure

    def _get_scheme(self) -> str:
        return "https" if self._secure_scheme else "http"


def _django_request(request: Any) -> HttpRequest:
    """A Django request for URL building, from either kind of request django-oauth-toolkit passes around."""
    if isinstance(request, HttpRequest):
        return request
    return _HeadersRequest(request.headers, bool(request.headers.get("X_DJANGO_OAUTH_TOOLKIT_SECURE", False)))


class SandboxOAuth2Validator(OAuth2Validator):  # type: ignore[misc]
    # Every claim comes with the `openid` scope alone, as the national portal asks only for `openid`.
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "SoDinhDanh": "openid",
        "HoVaTen": "openid",
        "NgayThangNamSinh": "openid",
        "preferred_username": "openid",
        "loginIdp": "openid",
        "acr": "openid",
    }

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        personal_id = subject_personal_id(request.user)
        claims: dict[str, Any] = {"SoDinhDanh": personal_id, "preferred_username": personal_id, "loginIdp": "SANDBOX"}
        person = sandbox_person(personal_id) if personal_id else None
        if person is not None:
            claims["HoVaTen"] = person.full_name
            claims["NgayThangNamSinh"] = person.date_of_birth.strftime("%Y%m%d")
            claims["name"] = person.full_name
        chosen = request.claims.get(GRANT_KEY) if isinstance(request.claims, dict) else None
        if isinstance(chosen, dict) and chosen.get("acr"):
            claims["acr"] = chosen["acr"]
        return claims

    def get_oidc_issuer_endpoint(self, request: Any) -> str:
        return sandbox_issuer(_django_request(request))
