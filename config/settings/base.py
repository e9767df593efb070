"""Settings shared by every profile. Values that vary by deployment come from config.env only."""

from __future__ import annotations

from pathlib import Path

from django.utils.csp import CSP

from config import env

BASE_DIR: Path = env.BASE_DIR

DEBUG = env.DEBUG.value
SECRET_KEY = env.SECRET_KEY.value or "dev-only-insecure-key-change-me-dean06-0000000000000000000000"
ALLOWED_HOSTS = env.split_list(env.ALLOWED_HOSTS.value)
CSRF_TRUSTED_ORIGINS = env.split_list(env.CSRF_TRUSTED_ORIGINS.value)
DEAN06_HOME_PROVINCE = env.HOME_PROVINCE_CODE.value
DEAN06_SANDBOX = env.SANDBOX.value

# National population database adapter (docs/adapters.md).
DEAN06_POPULATION_BACKEND = env.POPULATION_BACKEND.value
DEAN06_POPULATION_URL = env.POPULATION_URL.value
DEAN06_POPULATION_API_KEY = env.POPULATION_API_KEY.value
DEAN06_POPULATION_TIMEOUT = env.POPULATION_TIMEOUT.value
DEAN06_SANDBOX_POPULATION_API_KEY = env.SANDBOX_POPULATION_API_KEY.value

# Signed results: the SANDBOX certificate authority's files (docs/signing.md).
DEAN06_SIGNING_DIR = env.SIGNING_DIR.value

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    "oauth2_provider",
    "axes",
    "dean06.core",
    "dean06.registry",
    "dean06.identity",
    "dean06.cleansing",
    "dean06.public_services",
    "dean06.monitoring",
    "dean06.web",
    "dean06.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "dean06.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dean06.web.middleware.LanguageCookieMiddleware",  # Vietnamese unless switched; ignores Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dean06.identity.staff_auth.middleware.IdleTimeoutMiddleware",  # after messages: it leaves one for the login page
    "dean06.identity.staff_auth.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # lockout after repeated failures (before any password check)
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dean06.web.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {"default": env.database_from_url(env.DATABASE_URL.value)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first; English through Django i18n (ADR-0004).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "dean06" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["dean06.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env.STATIC_ROOT.value
MEDIA_URL = "/media/"
MEDIA_ROOT = env.MEDIA_ROOT.value
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.LOG_LEVEL.value},
    # WeasyPrint reports every rendering step at INFO; only its warnings matter to an operator.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

from config.settings.eid import *  # noqa: E402, F403
from config.settings.monitoring import *  # noqa: E402, F403
from config.settings.public_services import *  # noqa: E402, F403
from config.settings.staff_auth import *  # noqa: E402, F403
