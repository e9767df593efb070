"""Which e-ID provider dean06 logs citizens in with, and as which client (settings from config/settings/eid.py).

An empty DEAN06_EID_ISSUER means the built-in SANDBOX provider at <this site>/sandbox/eid/o, and then the
client id and secret default to the fixed values below, which `dean06 eid sandbox-setup` registers there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from dean06.identity.eid.errors import EidError, EidFailure

# Known values in SANDBOX mode only (docs/eid.md); a real provider gets DEAN06_EID_CLIENT_ID/SECRET.
SANDBOX_CLIENT_ID = "dean06-sandbox-rp"
SANDBOX_CLIENT_SECRET = "dean06-sandbox-secret-chi-dung-thu-nghiem"  # noqa: S105  public, SANDBOX only
TOKEN_AUTH_METHODS = ("client_secret_basic", "client_secret_post")


@dataclass(frozen=True)
class EidSettings:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    acr_values: str
    acr_values_level2: str
    redirect_uri: str
    token_auth_method: str
    sandbox: bool  # the issuer is the built-in SANDBOX provider


def eid_enabled() -> bool:
    """Whether the login page offers the VNeID button."""
    return bool(settings.DEAN06_EID_ISSUER) or bool(settings.DEAN06_SANDBOX)


def sandbox_issuer(request: HttpRequest) -> str:
    """The built-in SANDBOX provider's issuer as seen from this request (`<scheme>://<host>/sandbox/eid/o`)."""
    return request.build_absolute_uri(reverse("identity:sandbox_eid:authorize")).removesuffix("/authorize/")


def eid_settings(request: HttpRequest) -> EidSettings:
    """The relying party's configuration for this request; EidError(NOT_CONFIGURED) when e-ID login is off."""
    builtin = sandbox_issuer(request) if settings.DEAN06_SANDBOX else ""
    issuer = str(settings.DEAN06_EID_ISSUER).rstrip("/") or builtin
    if not issuer:
        raise EidError(EidFailure.NOT_CONFIGURED, "DEAN06_EID_ISSUER is empty and DEAN06_SANDBOX is off")
    sandbox = bool(builtin) and issuer == builtin
    if not issuer.startswith("https://") and not settings.DEAN06_SANDBOX:
        raise EidError(EidFailure.NOT_CONFIGURED, f"the issuer must be https outside the SANDBOX: {issuer}")
    client_id = settings.DEAN06_EID_CLIENT_ID or (SANDBOX_CLIENT_ID if sandbox else "")
    client_secret = settings.DEAN06_EID_CLIENT_SECRET or (SANDBOX_CLIENT_SECRET if sandbox else "")
    if not client_id or not client_secret:
        raise EidError(EidFailure.NOT_CONFIGURED, "DEAN06_EID_CLIENT_ID and DEAN06_EID_CLIENT_SECRET are required")
    method = settings.DEAN06_EID_TOKEN_AUTH_METHOD
    if method not in TOKEN_AUTH_METHODS:
        raise EidError(EidFailure.NOT_CONFIGURED, f"DEAN06_EID_TOKEN_AUTH_METHOD must be one of {TOKEN_AUTH_METHODS}")
    return EidSettings(
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret,
        scopes=settings.DEAN06_EID_SCOPES,
        acr_values=settings.DEAN06_EID_ACR_VALUES,
        acr_values_level2=settings.DEAN06_EID_ACR_VALUES_LEVEL2,
        redirect_uri=settings.DEAN06_EID_REDIRECT_URI or request.build_absolute_uri(reverse("identity:eid_callback")),
        token_auth_method=method,
        sandbox=sandbox,
    )
