"""The single typed catalogue of environment variables.

Every setting that can change between deployments is declared here once, with its type, default and
meaning. Settings modules read values only through this catalogue; `dean06 env` style docs are
generated from it (see docs/operations.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Var[T: (str, int, bool)]:
    """One environment variable: its name, type (through the default), default and meaning."""

    name: str
    default: T
    help: str

    @property
    def value(self) -> T:
        raw = os.environ.get(self.name)
        if raw is None or raw == "":
            return self.default
        if isinstance(self.default, bool):
            if raw.lower() in {"1", "true", "yes", "on"}:
                return True
            if raw.lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError(f"{self.name} must be true or false, got {raw!r}")
        if isinstance(self.default, int):
            return int(raw)
        return raw


DEBUG = Var("DEAN06_DEBUG", False, "Django debug mode; never true in production.")
SECRET_KEY = Var("DEAN06_SECRET_KEY", "", "Django secret key; required in production.")
ALLOWED_HOSTS = Var("DEAN06_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names served.")
DATABASE_URL = Var(
    "DATABASE_URL",
    f"sqlite:///{BASE_DIR / 'var' / 'dean06.sqlite3'}",
    "sqlite:///PATH or postgres://USER[:PASSWORD]@HOST:PORT/NAME.",
)
HOME_PROVINCE_CODE = Var(
    "DEAN06_HOME_PROVINCE", "86", "2025 code of the province this deployment serves (86 = Vĩnh Long)."
)
STATIC_ROOT = Var("DEAN06_STATIC_ROOT", str(BASE_DIR / "var" / "static"), "Where collectstatic writes.")
MEDIA_ROOT = Var("DEAN06_MEDIA_ROOT", str(BASE_DIR / "var" / "media"), "Uploaded files.")
SECURE_SSL = Var("DEAN06_SECURE_SSL", True, "Production only: redirect to HTTPS and send HSTS.")
CSRF_TRUSTED_ORIGINS = Var("DEAN06_CSRF_TRUSTED_ORIGINS", "", "Comma-separated https:// origins.")
LOG_LEVEL = Var("DEAN06_LOG_LEVEL", "INFO", "Root log level.")
SANDBOX = Var(
    "DEAN06_SANDBOX",
    False,
    "Enable the SANDBOX stand-ins for national systems (e-ID provider, population service); every page then "
    "shows a SANDBOX banner. True under config.settings.dev and test; never in production.",
)
IDLE_TIMEOUT_MINUTES = Var(
    "DEAN06_IDLE_TIMEOUT_MINUTES", 30, "Minutes without a request after which a signed-in session is ended."
)
TOTP_KEYS = Var(
    "DEAN06_TOTP_KEYS",
    "",
    "Comma-separated Fernet keys encrypting staff TOTP secrets at rest; the first encrypts, all decrypt (rotation). "
    "Empty: one key derived from DEAN06_SECRET_KEY, so changing that key forces every officer to enrol again.",
)

EID_ISSUER = Var(
    "DEAN06_EID_ISSUER",
    "",
    "OpenID Connect issuer URL of the national e-ID provider (VNeID through the DVCQG login), e.g. "
    "https://sso.example.gov.vn/auth/realms/citizen. Empty: the built-in SANDBOX provider at <this site>/sandbox/eid/o "
    "when DEAN06_SANDBOX is true, otherwise e-ID login is off. See docs/eid.md.",
)
EID_CLIENT_ID = Var(
    "DEAN06_EID_CLIENT_ID", "", "Client id registered with the e-ID provider (SANDBOX: dean06-sandbox-rp when empty)."
)
EID_CLIENT_SECRET = Var(
    "DEAN06_EID_CLIENT_SECRET", "", "Client secret registered with the e-ID provider (SANDBOX: fixed value when empty)."
)
EID_SCOPES = Var("DEAN06_EID_SCOPES", "openid profile", "Space-separated scopes asked of the e-ID provider.")
EID_ACR_VALUES = Var(
    "DEAN06_EID_ACR_VALUES",
    "LoA1",
    "acr_values sent with an ordinary e-ID login (space-separated, in order of preference; empty: not sent). "
    "LoA1 = at least level 1, as the national portal asks.",
)
EID_ACR_VALUES_LEVEL2 = Var(
    "DEAN06_EID_ACR_VALUES_LEVEL2",
    "LoA2",
    "acr_values sent when a page that requires level 2 sends the citizen back to log in again.",
)
EID_REDIRECT_URI = Var(
    "DEAN06_EID_REDIRECT_URI",
    "",
    "Callback URL registered with the provider. Empty: built from the request (<site>/dang-nhap/vneid/callback/).",
)
EID_TOKEN_AUTH_METHOD = Var(
    "DEAN06_EID_TOKEN_AUTH_METHOD",
    "client_secret_basic",
    "How dean06 authenticates at the token endpoint: client_secret_basic or client_secret_post.",
)
EID_SANDBOX_KEY_FILE = Var(
    "DEAN06_EID_SANDBOX_KEY_FILE",
    str(BASE_DIR / "var" / "eid-sandbox-rsa.pem"),
    "PEM file with the RSA key that signs the SANDBOX provider's ID tokens; generated on first use.",
)
EID_SANDBOX_REDIRECT_URIS = Var(
    "DEAN06_EID_SANDBOX_REDIRECT_URIS",
    "http://127.0.0.1:8000/dang-nhap/vneid/callback/,http://localhost:8000/dang-nhap/vneid/callback/",
    "Comma-separated callback URLs that `dean06 eid sandbox-setup` registers for dean06 at the SANDBOX provider.",
)

POPULATION_BACKEND = Var(
    "DEAN06_POPULATION_BACKEND",
    "local",
    "Which national population database answers lookups: local (the registry mirror) or http (the service at "
    "DEAN06_POPULATION_URL). See docs/adapters.md.",
)
POPULATION_URL = Var(
    "DEAN06_POPULATION_URL",
    "",
    "Base URL of the population service when DEAN06_POPULATION_BACKEND=http, e.g. "
    "https://gateway.example.gov.vn/population (SANDBOX: <this site>/sandbox/population).",
)
POPULATION_API_KEY = Var("DEAN06_POPULATION_API_KEY", "", "API key dean06 sends to the population service (X-Api-Key).")
POPULATION_TIMEOUT = Var("DEAN06_POPULATION_TIMEOUT", 10, "Seconds to wait for the population service to answer.")
SANDBOX_POPULATION_API_KEY = Var(
    "DEAN06_SANDBOX_POPULATION_API_KEY",
    "",
    "API key the SANDBOX population service accepts (X-Api-Key). Empty: the service refuses every call.",
)

SIGNING_DIR = Var(
    "DEAN06_SIGNING_DIR",
    str(BASE_DIR / "var" / "signing"),
    "Directory of the SANDBOX certificate authority that signs results (root CA and one certificate per agency, "
    "PEM; keys mode 0600); created on first use. See docs/signing.md.",
)

NOTIFICATIONS_BACKEND = Var(
    "DEAN06_NOTIFICATIONS_BACKEND",
    "console",
    "How citizens are told of their dossiers and petitions: console (the log), file (JSON lines in var/), email "
    "(Django mail) or sms (the gateway at DEAN06_SMS_GATEWAY_URL). See docs/public-services.md.",
)
SMS_GATEWAY_URL = Var(
    "DEAN06_SMS_GATEWAY_URL",
    "",
    "URL the sms notification backend POSTs each message to, as JSON (SANDBOX: <this site>/sandbox/sms/messages).",
)
SMS_API_KEY = Var("DEAN06_SMS_API_KEY", "", "API key dean06 sends to the SMS gateway (X-Api-Key).")
SMS_TIMEOUT = Var("DEAN06_SMS_TIMEOUT", 10, "Seconds to wait for the SMS gateway; a failure is logged, never raised.")
SANDBOX_SMS_API_KEY = Var(
    "DEAN06_SANDBOX_SMS_API_KEY",
    "",
    "API key the SANDBOX SMS gateway accepts (X-Api-Key). Empty: the gateway refuses every message.",
)
REPORT_DUE_DAY = Var(
    "DEAN06_REPORT_DUE_DAY", 18, "Day of the next month a unit's monthly Đề án 06 report is due (1–28; plan: the 18th)."
)
REPORT_REMINDER_DAYS = Var(
    "DEAN06_REPORT_REMINDER_DAYS",
    3,
    "Units without a monthly report are reminded from this many days before the due day.",
)

CATALOGUE: tuple[Var[str] | Var[int] | Var[bool], ...] = (
    DEBUG,
    SECRET_KEY,
    ALLOWED_HOSTS,
    DATABASE_URL,
    HOME_PROVINCE_CODE,
    STATIC_ROOT,
    MEDIA_ROOT,
    SECURE_SSL,
    CSRF_TRUSTED_ORIGINS,
    LOG_LEVEL,
    SANDBOX,
    IDLE_TIMEOUT_MINUTES,
    TOTP_KEYS,
    EID_ISSUER,
    EID_CLIENT_ID,
    EID_CLIENT_SECRET,
    EID_SCOPES,
    EID_ACR_VALUES,
    EID_ACR_VALUES_LEVEL2,
    EID_REDIRECT_URI,
    EID_TOKEN_AUTH_METHOD,
    EID_SANDBOX_KEY_FILE,
    EID_SANDBOX_REDIRECT_URIS,
    POPULATION_BACKEND,
    POPULATION_URL,
    POPULATION_API_KEY,
    POPULATION_TIMEOUT,
    SANDBOX_POPULATION_API_KEY,
    SIGNING_DIR,
    NOTIFICATIONS_BACKEND,
    SMS_GATEWAY_URL,
    SMS_API_KEY,
    SMS_TIMEOUT,
    SANDBOX_SMS_API_KEY,
    REPORT_DUE_DAY,
    REPORT_REMINDER_DAYS,
)


def split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    """Turn DATABASE_URL into a Django DATABASES entry (SQLite or PostgreSQL only)."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if path.startswith("//"):  # sqlite:////abs/path
            path = path[1:]
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
        }
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
        }
    raise ValueError(f"DATABASE_URL scheme {parts.scheme!r} is not supported (use sqlite or postgres)")
