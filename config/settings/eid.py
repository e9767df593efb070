"""Citizen e-ID login: the relying party's settings and the SANDBOX OpenID provider (django-oauth-toolkit).

Imported at the end of config/settings/base.py. Values come from config.env only (docs/eid.md).
"""

from __future__ import annotations

from typing import Any

from config import env
from dean06.identity.eid.sandbox_idp.keys import lazy_private_key

__all__ = [
    "DEAN06_EID_ACR_VALUES",
    "DEAN06_EID_ACR_VALUES_LEVEL2",
    "DEAN06_EID_CLIENT_ID",
    "DEAN06_EID_CLIENT_SECRET",
    "DEAN06_EID_ISSUER",
    "DEAN06_EID_REDIRECT_URI",
    "DEAN06_EID_SANDBOX_REDIRECT_URIS",
    "DEAN06_EID_SCOPES",
    "DEAN06_EID_TOKEN_AUTH_METHOD",
    "OAUTH2_PROVIDER",
]

# Relying party (dean06 logging citizens in). An empty issuer means the built-in SANDBOX provider when
# DEAN06_SANDBOX is true (client id and secret then default to the fixed sandbox values), else e-ID is off.
DEAN06_EID_ISSUER = env.EID_ISSUER.value.rstrip("/")
DEAN06_EID_CLIENT_ID = env.EID_CLIENT_ID.value
DEAN06_EID_CLIENT_SECRET = env.EID_CLIENT_SECRET.value
DEAN06_EID_SCOPES = env.EID_SCOPES.value
DEAN06_EID_ACR_VALUES = env.EID_ACR_VALUES.value
DEAN06_EID_ACR_VALUES_LEVEL2 = env.EID_ACR_VALUES_LEVEL2.value
DEAN06_EID_REDIRECT_URI = env.EID_REDIRECT_URI.value
DEAN06_EID_TOKEN_AUTH_METHOD = env.EID_TOKEN_AUTH_METHOD.value
DEAN06_EID_SANDBOX_REDIRECT_URIS = env.split_list(env.EID_SANDBOX_REDIRECT_URIS.value)

_SANDBOX = env.SANDBOX.value

# The SANDBOX provider. Its URLs answer 404 unless DEAN06_SANDBOX is true; the key is read (or generated)
# only when a token is signed or the JWKS is published. Every RFC 9700 gate is on, so `check --deploy` is clean.
OAUTH2_PROVIDER: dict[str, Any] = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": lazy_private_key(env.EID_SANDBOX_KEY_FILE.value) if _SANDBOX else "",
    "OAUTH2_VALIDATOR_CLASS": "dean06.identity.eid.sandbox_idp.validator.SandboxOAuth2Validator",
    "SCOPES": {"openid": "OpenID Connect", "profile": "Họ tên, ngày sinh, số định danh cá nhân"},
    "DEFAULT_SCOPES": ["openid"],
    "PKCE_REQUIRED": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 300,
    "ID_TOKEN_EXPIRE_SECONDS": 300,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # Loopback callbacks (http://127.0.0.1:8000) only exist in the SANDBOX.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"] if _SANDBOX else ["https"],
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,  # the sandbox authorize view puts its own issuer there
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": not _SANDBOX,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}
