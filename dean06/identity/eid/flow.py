"""The two legs of an e-ID login, as the views call them: start (redirect to the provider) and callback."""

from __future__ import annotations

import logging
import secrets
import time

from django.contrib.auth import login
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from dean06.identity.eid.claims import ClaimsError, identity_from_claims
from dean06.identity.eid.client import (
    authorization_request,
    exchange_code,
    id_token_claims,
    provider_metadata,
    userinfo_claims,
)
from dean06.identity.eid.config import eid_settings
from dean06.identity.eid.errors import EidError, EidFailure
from dean06.identity.eid.services import EidLoginResult, eid_login_record
from dean06.identity.eid.session import LoginFlow, eid_session_store, flow_pop, flow_save

log = logging.getLogger(__name__)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def safe_next_url(request: HttpRequest, value: str) -> str:
    """`value` if it is a path or URL on this site, else ""."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def eid_login_start(request: HttpRequest, *, next_url: str, level2: bool = False) -> str:
    """Remember state, nonce and PKCE verifier in the session; return the provider's authorization URL."""
    conf = eid_settings(request)
    metadata = provider_metadata(conf.issuer)
    auth = authorization_request(conf, metadata, acr_values=conf.acr_values_level2 if level2 else conf.acr_values)
    flow_save(
        request.session,
        LoginFlow(
            state=auth.state,
            nonce=auth.nonce,
            code_verifier=auth.code_verifier,
            issuer=conf.issuer,
            next_url=safe_next_url(request, next_url),
            started_at=time.time(),
        ),
    )
    return auth.url


def eid_login_callback(request: HttpRequest) -> tuple[EidLoginResult, str]:
    """Finish the login from the provider's redirect; the user is then logged in. Returns (result, next URL).

    Order matters: the pending login is consumed first (one use), the state is compared before anything
    else in the response is trusted, and only then is the code exchanged and the ID token verified.
    """
    params = request.GET
    flow = flow_pop(request.session)
    if flow is None:
        raise EidError(EidFailure.FLOW_MISSING, "no pending e-ID login in this session")
    if not secrets.compare_digest(params.get("state", "").encode(), flow.state.encode()):
        raise EidError(EidFailure.STATE_MISMATCH, "state differs from the one sent")
    conf = eid_settings(request)
    if conf.issuer != flow.issuer:
        raise EidError(EidFailure.ISSUER_MISMATCH, f"configured issuer changed to {conf.issuer}")
    if "iss" in params and params["iss"] != conf.issuer:  # RFC 9207, when the provider sends it
        raise EidError(EidFailure.ISSUER_MISMATCH, f"iss parameter {params['iss']!r}")
    if "error" in params:
        failure = EidFailure.ACCESS_DENIED if params["error"] == "access_denied" else EidFailure.PROVIDER_ERROR
        raise EidError(failure, f"{params['error']}: {params.get('error_description', '')}")
    code = params.get("code", "")
    if not code:
        raise EidError(EidFailure.PROVIDER_ERROR, "no code in the callback")

    metadata = provider_metadata(conf.issuer)
    token = exchange_code(conf, metadata, code=code, code_verifier=flow.code_verifier)
    claims = id_token_claims(conf, metadata, id_token=str(token["id_token"]), nonce=flow.nonce)
    try:
        identity = identity_from_claims(claims)
    except ClaimsError:
        extra = userinfo_claims(metadata, access_token=str(token.get("access_token", "")), subject=claims["sub"])
        try:
            identity = identity_from_claims({**extra, **claims, "acr": claims.get("acr", "")})
        except ClaimsError as exc:
            raise EidError(EidFailure.CLAIMS_INVALID, str(exc)) from exc

    result = eid_login_record(identity=identity, issuer=conf.issuer, sandbox=conf.sandbox)
    login(request, result.user, backend=MODEL_BACKEND)
    eid_session_store(
        request.session,
        user_id=result.user.pk,
        level=identity.level,
        acr=identity.acr,
        issuer=conf.issuer,
        sandbox=conf.sandbox,
    )
    if result.warnings:
        log.info("e-ID login of user %s with warnings %s", result.user.pk, result.warnings)
    return result, flow.next_url
