"""Local development and the demo: SQLite by default, debug on unless told otherwise."""

import os

os.environ.setdefault("DEAN06_DEBUG", "true")

from config.settings.base import *  # noqa: E402,F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
