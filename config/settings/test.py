"""Test profile: fast hashing, no debug, tasks run immediately, plain static storage."""

import os

os.environ.setdefault("DEAN06_SANDBOX", "true")

from config.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
ALLOWED_HOSTS = ["*"]
STATIC_ROOT = None  # type: ignore[assignment]  # served from app directories by runserver/whitenoise finders; collectstatic is for prod
WHITENOISE_USE_FINDERS = True
