"""Test set-up shared by every app: the official unit lists are loaded once per test database."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from dean06.testing.units import units_ensure

# The SANDBOX e-ID provider fixtures of the browser tests (sandbox_provider, sandbox_key_pem).
pytest_plugins = ["dean06.testing.eid"]

# Playwright's sync API and the Django ORM share the test thread in browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        units_ensure()
    yield


@pytest.fixture
def units_reloaded(transactional_db: None) -> None:
    """For transactional tests (live server): the flush after each one empties the unit tables."""
    units_ensure()


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, object]:
    return {
        "executable_path": os.environ.get("DEAN06_CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }
