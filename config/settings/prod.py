"""Production: PostgreSQL, HTTPS, strict cookies. `dean06 check --deploy` passes with this profile."""

from django.core.exceptions import ImproperlyConfigured

from config import env
from config.settings.base import *  # noqa: F403

DEBUG = False
if not env.SECRET_KEY.value:
    raise ImproperlyConfigured("DEAN06_SECRET_KEY must be set in production")
SECRET_KEY = env.SECRET_KEY.value

SECURE_SSL_REDIRECT = env.SECURE_SSL.value
SECURE_HSTS_SECONDS = 31536000 if env.SECURE_SSL.value else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.SECURE_SSL.value
SECURE_HSTS_PRELOAD = env.SECURE_SSL.value
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
