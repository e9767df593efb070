"""The OpenID Connect relying party protocol, over HTTP to whichever provider is configured (SANDBOX included).

- discovery from `{issuer}/.well-known/openid-configuration`, cached for an hour;
- the authorization request: code flow, PKCE S256, `state`, `nonce`, `acr_values` (authlib's OAuth2 client);
- the token request, authenticated with the client secret (basic or post);
- the ID token: RS256 signature checked against the provider's JWKS (cached; fetched again once when the key
  id is unknown, so a key rotation needs no restart), then `iss`, `aud`/`azp`, `exp`, `iat`, `sub`, `nonce`.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from django.core.cache import cache
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from dean06.identity.eid.config import EidSettings
from dean06.identity.eid.errors import EidError, EidFailure

log = logging.getLogger(__name__)

HTTP_TIMEOUT_SECONDS = 10
METADATA_CACHE_SECONDS = 60 * 60
ID_TOKEN_ALGORITHMS = ["RS256"]
CLOCK_LEEWAY_SECONDS = 60

# Tests route the provider calls through Django's test client by setting this; production leaves it None.
transport_adapter: requests.adapters.BaseAdapter | None = None


def _session(session: requests.Session | None = None) -> requests.Session:
    session = session if session is not None else requests.Session()
    if transport_adapter is not None:
        session.mount("http://", transport_adapter)
        session.mount("https://", transport_adapter)
    return session


def _cache_key(kind: str, url: str) -> str:
    return f"dean06:eid:{kind}:{hashlib.sha256(url.encode()).hexdigest()}"


def _get_json(url: str) -> dict[str, Any]:
    try:
        with _session() as session:
            response = session.get(url, timeout=HTTP_TIMEOUT_SECONDS, headers={"Accept": "application/json"})
            response.raise_for_status()
            data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise EidError(EidFailure.PROVIDER_UNREACHABLE, f"GET {url}: {exc}") from exc
    if not isinstance(data, dict):
        raise EidError(EidFailure.PROVIDER_UNREACHABLE, f"GET {url}: not a JSON object")
    return data


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str = ""


def provider_metadata(issuer: str, *, refresh: bool = False) -> ProviderMetadata:
    """The provider's discovery document (cached); its `issuer` must be exactly the configured one."""
    key = _cache_key("discovery", issuer)
    data = None if refresh else cache.get(key)
    if data is None:
        data = _get_json(f"{issuer}/.well-known/openid-configuration")
        if data.get("issuer") != issuer:
            raise EidError(EidFailure.ISSUER_MISMATCH, f"discovery says issuer {data.get('issuer')!r}, not {issuer!r}")
        missing = [name for name in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not data.get(name)]
        if missing:
            raise EidError(EidFailure.PROVIDER_UNREACHABLE, f"discovery document lacks {missing}")
        cache.set(key, data, METADATA_CACHE_SECONDS)
    return ProviderMetadata(
        issuer=data["issuer"],
        authorization_endpoint=data["authorization_endpoint"],
        token_endpoint=data["token_endpoint"],
        jwks_uri=data["jwks_uri"],
        userinfo_endpoint=data.get("userinfo_endpoint") or "",
    )


def provider_jwks(jwks_uri: str, *, refresh: bool = False) -> dict[str, Any]:
    key = _cache_key("jwks", jwks_uri)
    jwks = None if refresh else cache.get(key)
    if jwks is None:
        jwks = _get_json(jwks_uri)
        cache.set(key, jwks, METADATA_CACHE_SECONDS)
    return jwks


@dataclass(frozen=True)
class AuthorizationRequest:
    """Where to send the browser, and the secrets to keep in the session until the callback."""

    url: str
    state: str
    nonce: str
    code_verifier: str


def _oauth_client(conf: EidSettings) -> OAuth2Session:
    client = OAuth2Session(
        client_id=conf.client_id,
        client_secret=conf.client_secret,
        scope=conf.scopes,
        redirect_uri=conf.redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method=conf.token_auth_method,
    )
    _session(client)
    return client


def authorization_request(conf: EidSettings, metadata: ProviderMetadata, *, acr_values: str) -> AuthorizationRequest:
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    code_verifier = secrets.token_urlsafe(64)  # 86 characters, inside RFC 7636's 43..128
    extra = {"nonce": nonce, "ui_locales": "vi"}
    if acr_values.strip():
        extra["acr_values"] = acr_values.strip()
    with _oauth_client(conf) as client:
        url, _ = client.create_authorization_url(
            metadata.authorization_endpoint, state=state, code_verifier=code_verifier, **extra
        )
    return AuthorizationRequest(url=url, state=state, nonce=nonce, code_verifier=code_verifier)


def exchange_code(conf: EidSettings, metadata: ProviderMetadata, *, code: str, code_verifier: str) -> dict[str, Any]:
    """The token response for an authorization code; it must hold an ID token."""
    try:
        with _oauth_client(conf) as client:
            token = client.fetch_token(
                metadata.token_endpoint,
                grant_type="authorization_code",
                code=code,
                redirect_uri=conf.redirect_uri,
                code_verifier=code_verifier,
                timeout=HTTP_TIMEOUT_SECONDS,
            )
    except OAuthError as exc:
        raise EidError(EidFailure.TOKEN_ERROR, f"token endpoint: {exc.error} {exc.description}") from exc
    except (requests.RequestException, ValueError) as exc:
        raise EidError(EidFailure.PROVIDER_UNREACHABLE, f"token endpoint: {exc}") from exc
    if not isinstance(token, dict) or not token.get("id_token"):
        raise EidError(EidFailure.TOKEN_ERROR, "the token response has no id_token")
    return dict(token)


def verify_id_token(
    id_token: str, *, jwks: dict[str, Any], issuer: str, client_id: str, nonce: str, now: int | None = None
) -> dict[str, Any]:
    """The claims of a signed ID token, or JoseError when the signature or any required claim is wrong."""
    token = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=ID_TOKEN_ALGORITHMS)  # type: ignore[arg-type]
    claims = dict(token.claims)
    registry = jwt.JWTClaimsRegistry(
        now=now,
        leeway=CLOCK_LEEWAY_SECONDS,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": client_id},
        exp={"essential": True},
        iat={"essential": True},
        sub={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    registry.validate(claims)
    audience = claims["aud"]
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != client_id:
        raise JoseError("azp must name this client when the token has several audiences")
    return claims


def id_token_claims(conf: EidSettings, metadata: ProviderMetadata, *, id_token: str, nonce: str) -> dict[str, Any]:
    """Verify the ID token against the provider's JWKS, fetching the JWKS again once if it may have rotated."""
    jwks = provider_jwks(metadata.jwks_uri)
    for attempt in (1, 2):
        try:
            return verify_id_token(id_token, jwks=jwks, issuer=conf.issuer, client_id=conf.client_id, nonce=nonce)
        except JoseError as exc:
            fresh = provider_jwks(metadata.jwks_uri, refresh=True) if attempt == 1 else jwks
            if attempt == 2 or fresh == jwks:
                raise EidError(EidFailure.ID_TOKEN_INVALID, f"{type(exc).__name__}: {exc}") from exc
            jwks = fresh
    raise AssertionError("unreachable")


def userinfo_claims(metadata: ProviderMetadata, *, access_token: str, subject: str) -> dict[str, Any]:
    """The userinfo response, for providers that put the citizen's attributes there rather than in the ID token.

    Its `sub` must equal the ID token's (OpenID Connect Core §5.3.2).
    """
    if not metadata.userinfo_endpoint or not access_token:
        return {}
    try:
        with _session() as session:
            response = session.get(
                metadata.userinfo_endpoint,
                timeout=HTTP_TIMEOUT_SECONDS,
                headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            )
            response.raise_for_status()
            data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise EidError(EidFailure.PROVIDER_UNREACHABLE, f"userinfo: {exc}") from exc
    if not isinstance(data, dict) or data.get("sub") != subject:
        raise EidError(EidFailure.ID_TOKEN_INVALID, "userinfo sub differs from the ID token's")
    return data
