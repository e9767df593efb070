"""The SANDBOX e-ID provider for browser tests: the provider at the live server's address, and its login page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from dean06.identity.eid.sandbox_idp.keys import load_or_create_private_key
from dean06.identity.eid.sandbox_idp.services import sandbox_application_setup
from dean06.registry.models import Person


@pytest.fixture(scope="session")
def sandbox_key_pem(tmp_path_factory: pytest.TempPathFactory) -> str:
    return load_or_create_private_key(str(tmp_path_factory.mktemp("eid-browser") / "sandbox-rsa.pem"))


@pytest.fixture
def sandbox_provider(live_server: LiveServer, settings: Settings, sandbox_key_pem: str) -> Iterator[str]:
    """The SANDBOX provider at the live server's address, with dean06 registered for its callback."""
    settings.DEAN06_SANDBOX = True
    settings.DEAN06_EID_ISSUER = f"{live_server.url}/sandbox/eid/o"
    settings.DEAN06_EID_CLIENT_ID = ""  # the fixed SANDBOX client, as `dean06 eid sandbox-setup` registers it
    settings.DEAN06_EID_CLIENT_SECRET = ""
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_RSA_PRIVATE_KEY": sandbox_key_pem}
    sandbox_application_setup([f"{live_server.url}/dang-nhap/vneid/callback/"])
    cache.clear()
    yield live_server.url
    cache.clear()


def sandbox_login(page: Page, person: Person, level: int) -> None:
    """On the SANDBOX provider's page: pick the person from the list, pick the level, continue."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập VNeID thử nghiệm")
    expect(page.locator(".sandbox-banner")).to_contain_text("SANDBOX")
    page.get_by_label(re.compile(re.escape(person.personal_id))).check()
    page.get_by_label(re.compile(rf"Mức độ {level} —")).check()
    page.get_by_role("button", name="Đăng nhập (thử nghiệm)").click()
