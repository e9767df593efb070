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
