"""Local development and the demo: SQLite by default, debug on unless told otherwise."""

import os

os.environ.setdefault("DEAN06_DEBUG", "true")
os.environ.setdefault("DEAN06_SANDBOX", "true")

from config.settings.base import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
STATIC_ROOT = None  # type: ignore[assignment]  # served from app directories by runserver/whitenoise finders; collectstatic is for prod
WHITENOISE_USE_FINDERS = True
