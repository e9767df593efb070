"""Citizen e-ID login (issue #3 points 5 and 7): claims and levels, the whole code flow against the SANDBOX
provider in-process, ID token checks, the level-2 gate, and the citizen's "my data" page."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.contrib.auth.hashers import check_password
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views import View
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey, RSAKey
from oauth2_provider.models import Application
from pytest_django.fixtures import Settings as SettingsWrapper
from requests.structures import CaseInsensitiveDict

from dean06.core.audit import audit_record
from dean06.core.models import AuditEvent, User
from dean06.core.roles import AccessPurpose, Role
from dean06.identity.eid import client as eid_client
from dean06.identity.eid.claims import ClaimsError, EidIdentity, identity_from_claims, level_from_acr
from dean06.identity.eid.config import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from dean06.identity.eid.errors import EidError, EidFailure
from dean06.identity.eid.levels import EidLevelRequiredMixin, require_eid_level
from dean06.identity.eid.sandbox_idp.keys import generate_private_key_pem, load_or_create_private_key
from dean06.identity.eid.sandbox_idp.services import sandbox_application_setup
from dean06.identity.eid.sandbox_idp.validator import SandboxOAuth2Validator
from dean06.identity.eid.services import eid_login_record
from dean06.identity.eid.session import AUTH_METHOD_KEY, FLOW_KEY, LEVEL_KEY
from dean06.identity.staff_auth.session import second_factor_mark
from dean06.registry.models import Person
from dean06.testing import factories

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

HOST = "http://testserver"
ISSUER = f"{HOST}/sandbox/eid/o"
CALLBACK = f"{HOST}/dang-nhap/vneid/callback/"


# --- fixtures -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sandbox_key_pem(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One signing key per test session, in a temporary directory (never var/)."""
    return load_or_create_private_key(str(tmp_path_factory.mktemp("eid") / "sandbox-rsa.pem"))


@pytest.fixture(scope="session")
def other_key_pem() -> str:
    return generate_private_key_pem()


class DjangoClientAdapter(requests.adapters.BaseAdapter):
    """Sends the relying party's HTTP calls to this Django site through a test client of their own.

    The provider sees real discovery, token and JWKS requests (no shortcut in the code under test); only the
    socket is replaced, so the flow runs inside the test's transaction on SQLite and PostgreSQL alike.
    """

    def __init__(self) -> None:
        super().__init__()
        self.client = Client()
        self.calls: list[str] = []

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        parts = urlsplit(request.url or "")
        self.calls.append(f"{request.method} {parts.path}")
        body = request.body or b""
        headers = {k: v for k, v in request.headers.items() if k.lower() not in {"host", "content-length"}}
        reply = self.client.generic(
            request.method or "GET",
            parts.path + (f"?{parts.query}" if parts.query else ""),
            data=body.encode() if isinstance(body, str) else body,
            content_type=headers.pop("Content-Type", "application/octet-stream"),
            headers=headers,
            secure=parts.scheme == "https",
            HTTP_HOST=parts.netloc,
        )
        response = requests.Response()
        response.status_code = reply.status_code
        response._content = reply.content
        response.headers = CaseInsensitiveDict(dict(reply.headers))
        response.url = request.url or ""
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass


@pytest.fixture
def transport(monkeypatch: pytest.MonkeyPatch) -> DjangoClientAdapter:
    adapter = DjangoClientAdapter()
    monkeypatch.setattr(eid_client, "transport_adapter", adapter)
    return adapter


@pytest.fixture(autouse=True)
def eid_sandbox(settings: SettingsWrapper, sandbox_key_pem: str) -> Iterator[None]:
    settings.DEAN06_SANDBOX = True
    settings.DEAN06_EID_ISSUER = ""
    settings.DEAN06_EID_CLIENT_ID = ""
    settings.DEAN06_EID_CLIENT_SECRET = ""
    settings.DEAN06_EID_REDIRECT_URI = ""
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_RSA_PRIVATE_KEY": sandbox_key_pem}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def registered(db: None, transport: DjangoClientAdapter) -> None:
    """dean06 registered at the SANDBOX provider for http://testserver, provider calls routed in-process."""
    sandbox_application_setup([CALLBACK])


# --- helpers ----------------------------------------------------------------------------------------------------


def _location(response: Response) -> str:
    assert response.status_code == 302, (response.status_code, response.content[:500])
    return str(response["Location"])


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _to_callback(browser: Client, *, personal_id: str, level: int, start: str = "/dang-nhap/vneid/") -> str:
    """Browser steps up to the provider's redirect back to dean06; returns the callback URL."""
    authorize = _location(browser.get(start))
    assert authorize.startswith(f"{ISSUER}/authorize/")
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["client_id"] == [SANDBOX_CLIENT_ID]
    assert query["nonce"] and query["state"] and query["redirect_uri"] == [CALLBACK]
    login_page = _location(browser.get(_path(authorize)))
    assert urlsplit(login_page).path == reverse("identity:sandbox_eid_login")
    page = browser.get(login_page)
    assert page.status_code == 200 and b"SANDBOX" in page.content
    next_url = parse_qs(urlsplit(login_page).query)["next"][0]
    back = _location(browser.post(login_page, {"personal_id": personal_id, "level": level, "next": next_url}))
    callback = _location(browser.get(back))
    assert callback.startswith(CALLBACK)
    return callback


def _log_in(browser: Client, *, personal_id: str, level: int, start: str = "/dang-nhap/vneid/") -> Response:
    response: Response = browser.get(_path(_to_callback(browser, personal_id=personal_id, level=level, start=start)))
    return response


def _staff_browser(user: User) -> Client:
    """A signed-in officer who has passed the second factor (the staff 2FA middleware lets them through)."""
    browser = Client()
    browser.force_login(user)
    session = browser.session
    second_factor_mark(session)
    session.save()
    return browser


def _id_token(key_pem: str, **claims: Any) -> str:
    key = RSAKey.import_key(key_pem)
    now = int(time.time())
    body = {"iss": ISSUER, "aud": "rp", "sub": "7", "nonce": "n-1", "iat": now, "exp": now + 300, **claims}
    body = {name: value for name, value in body.items() if value is not None}
    return jwt.encode({"alg": "RS256", "kid": key.thumbprint()}, body, key)


def _jwks(key_pem: str) -> dict[str, Any]:
    key = RSAKey.import_key(key_pem)
    return {"keys": [{**key.as_dict(private=False), "kid": key.thumbprint(), "alg": "RS256", "use": "sig"}]}


# --- claims and levels ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("acr", "level"),
    [("LoA1", 1), ("LoA2", 2), ("loa2", 2), ("1", 1), ("2", 2), (2, 2), ("level-2", 2), ("", 1), (None, 1), ("x", 1)],
)
def test_acr_maps_to_level(acr: object, level: int) -> None:
    assert level_from_acr(acr) == level


def test_claims_as_the_national_portal_sends_them() -> None:
    identity = identity_from_claims(
        {"sub": "abc", "SoDinhDanh": "084085000123", "HoVaTen": "Thạch Thị Sa Rây", "NgayThangNamSinh": "19850515",
         "acr": "LoA2", "preferred_username": "ignored"}
    )  # fmt: skip
    assert identity.personal_id == "084085000123" and identity.full_name == "Thạch Thị Sa Rây"
    assert identity.date_of_birth == date(1985, 5, 15) and identity.level == 2 and identity.subject == "abc"


def test_preferred_username_is_the_personal_id_when_sodinhdanh_is_absent() -> None:
    identity = identity_from_claims({"sub": "s", "preferred_username": "084085000124", "name": "Lê Văn Tám"})
    assert identity.personal_id == "084085000124" and identity.full_name == "Lê Văn Tám" and identity.level == 1


@pytest.mark.parametrize("value", ["", "12345", "08408500012x", "0840850001234"])
def test_claims_without_a_12_digit_personal_id_are_refused(value: str) -> None:
    with pytest.raises(ClaimsError):
        identity_from_claims({"sub": "s", "SoDinhDanh": value})


def test_unreadable_birth_date_is_a_warning() -> None:
    identity = identity_from_claims({"sub": "s", "SoDinhDanh": "084085000125", "NgayThangNamSinh": "1985-13-40"})
    assert identity.date_of_birth is None and identity.warnings == ["birth_date_unreadable"]


# --- ID token verification --------------------------------------------------------------------------------------


def _verify(token: str, jwks: dict[str, Any], nonce: str = "n-1") -> dict[str, Any]:
    return eid_client.verify_id_token(token, jwks=jwks, issuer=ISSUER, client_id="rp", nonce=nonce)


def test_a_good_id_token_verifies(sandbox_key_pem: str) -> None:
    assert _verify(_id_token(sandbox_key_pem, acr="LoA2"), _jwks(sandbox_key_pem))["acr"] == "LoA2"


def test_a_token_signed_with_another_key_is_refused(sandbox_key_pem: str, other_key_pem: str) -> None:
    forged = _id_token(other_key_pem)
    key = RSAKey.import_key(sandbox_key_pem)  # claim the provider's key id, sign with ours
    forged_same_kid = jwt.encode({"alg": "RS256", "kid": key.thumbprint()}, {"x": 1}, RSAKey.import_key(other_key_pem))
    for token in (forged, forged_same_kid):
        with pytest.raises(JoseError):
            _verify(token, _jwks(sandbox_key_pem))


def test_a_tampered_token_is_refused(sandbox_key_pem: str) -> None:
    header, _, signature = _id_token(sandbox_key_pem, SoDinhDanh="084085000001").split(".")
    other_payload = _id_token(sandbox_key_pem, SoDinhDanh="084085999999").split(".")[1]
    with pytest.raises(JoseError):
        _verify(f"{header}.{other_payload}.{signature}", _jwks(sandbox_key_pem))


def test_an_hs256_token_is_refused(sandbox_key_pem: str) -> None:
    hs = jwt.encode({"alg": "HS256"}, {"iss": ISSUER}, OctKey.import_key("x" * 32))
    with pytest.raises(JoseError):
        _verify(hs, _jwks(sandbox_key_pem))


@pytest.mark.parametrize(
    ("claims", "nonce"),
    [
        ({"nonce": "other"}, "n-1"),
        ({}, "expected-other"),
        ({"aud": "someone-else"}, "n-1"),
        ({"iss": "https://evil.example/o"}, "n-1"),
        ({"exp": int(time.time()) - 3600}, "n-1"),
        ({"iat": int(time.time()) + 3600}, "n-1"),
        ({"sub": None}, "n-1"),
        ({"nonce": None}, "n-1"),
    ],
    ids=["nonce-in-token", "nonce-expected", "aud", "iss", "expired", "issued-in-future", "no-sub", "no-nonce"],
)
def test_id_token_claims_are_checked(sandbox_key_pem: str, claims: dict[str, Any], nonce: str) -> None:
    """Each case breaks one claim (None: the claim is left out)."""
    with pytest.raises(JoseError):
        _verify(_id_token(sandbox_key_pem, **claims), _jwks(sandbox_key_pem), nonce=nonce)


# --- the SANDBOX provider -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_discovery_and_jwks() -> None:
    browser = Client()
    conf = browser.get("/sandbox/eid/o/.well-known/openid-configuration").json()
    assert conf["issuer"] == ISSUER
    assert conf["authorization_endpoint"] == f"{ISSUER}/authorize/" and conf["token_endpoint"] == f"{ISSUER}/token/"
    assert conf["acr_values_supported"] == ["LoA1", "LoA2"] and conf["code_challenge_methods_supported"] == ["S256"]
    assert "SoDinhDanh" in conf["claims_supported"]
    keys = browser.get("/sandbox/eid/o/.well-known/jwks.json").json()["keys"]
    assert len(keys) == 1 and keys[0]["alg"] == "RS256" and keys[0]["kty"] == "RSA" and "d" not in keys[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/sandbox/eid/o/.well-known/openid-configuration",
        "/sandbox/eid/o/.well-known/jwks.json",
        "/sandbox/eid/o/authorize/",
        "/sandbox/eid/o/token/",
        "/sandbox/eid/o/userinfo/",
        "/sandbox/eid/dang-nhap/",
    ],
)
def test_the_sandbox_provider_is_absent_when_sandbox_is_off(settings: SettingsWrapper, url: str) -> None:
    settings.DEAN06_SANDBOX = False
    assert Client().get(url).status_code == 404


@pytest.mark.django_db
def test_sandbox_setup_is_idempotent_and_stores_the_secret_hashed(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("eid", "sandbox-setup")
    call_command("eid", "sandbox-setup", "--redirect-uri", CALLBACK)
    application = Application.objects.get()
    assert application.client_id == SANDBOX_CLIENT_ID and application.redirect_uris == CALLBACK
    assert application.skip_authorization and application.algorithm == "RS256"
    assert application.client_secret != SANDBOX_CLIENT_SECRET
    assert check_password(SANDBOX_CLIENT_SECRET, application.client_secret)
    assert SANDBOX_CLIENT_SECRET in capsys.readouterr().out


@pytest.mark.django_db
def test_sandbox_setup_refuses_outside_the_sandbox(settings: SettingsWrapper) -> None:
    settings.DEAN06_SANDBOX = False
    with pytest.raises(CommandError):
        call_command("eid", "sandbox-setup")


def test_the_signing_key_is_created_once(tmp_path: Path) -> None:
    path = str(tmp_path / "sub" / "key.pem")
    first = load_or_create_private_key(path)
    assert "PRIVATE KEY" in first and (tmp_path / "sub" / "key.pem").stat().st_mode & 0o777 == 0o600
    load_or_create_private_key.cache_clear()
    assert load_or_create_private_key(path) == first


# --- the whole flow, in-process -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("level", [1, 2])
def test_login_creates_the_citizen_links_the_person_and_keeps_the_level(
    registered: None, transport: DjangoClientAdapter, level: int
) -> None:
    person = factories.person(full_name="Thạch Thị Sa Rây", date_of_birth=date(1990, 2, 3))
    browser = Client()
    response = _log_in(browser, personal_id=person.personal_id, level=level, start="/dang-nhap/vneid/?next=/nhat-ky/")
    assert _location(response) == "/nhat-ky/"
    # The relying party talked to the provider over "HTTP": discovery, token, JWKS.
    assert "GET /sandbox/eid/o/.well-known/openid-configuration" in transport.calls
    assert (
        "POST /sandbox/eid/o/token/" in transport.calls
        and "GET /sandbox/eid/o/.well-known/jwks.json" in transport.calls
    )

    user = User.objects.get(username=person.personal_id)
    assert user.kind == User.Kind.CITIZEN and user.person == person and not user.has_usable_password()
    assert user.full_name == "Thạch Thị Sa Rây"
    session = browser.session
    assert session[LEVEL_KEY] == level and session[AUTH_METHOD_KEY] == "eid" and FLOW_KEY not in session
    assert int(session["_auth_user_id"]) == user.pk
    assert session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"

    event = AuditEvent.objects.filter(action="eid.login").get()
    assert event.actor_id == user.pk and event.object_type == "registry.person" and event.object_id == str(person.pk)
    assert event.details["level"] == level and event.details["issuer"] == ISSUER and event.details["sandbox"] is True
    assert event.details["acr"] == f"LoA{level}" and event.details["warnings"] == []

    home = browser.get("/")
    assert home.status_code == 200 and "Dữ liệu của tôi" in home.content.decode()
    # The provider never logged anyone in: its subject is a separate, inactive account.
    subject = User.objects.get(username=f"sandbox-vneid-{person.personal_id}")
    assert not subject.is_active and not subject.has_usable_password() and subject.pk != user.pk


@pytest.mark.django_db
def test_the_account_already_linked_to_the_person_is_used(registered: None) -> None:
    person = factories.person()
    existing = User.objects.create_user("congdan", kind=User.Kind.CITIZEN, person=person, full_name="Công dân mẫu")
    _log_in(Client(), personal_id=person.personal_id, level=1)
    assert not User.objects.filter(username=person.personal_id).exists()
    assert AuditEvent.objects.get(action="eid.login").actor_id == existing.pk


@pytest.mark.django_db
def test_a_second_login_reuses_the_account(registered: None) -> None:
    person = factories.person()
    _log_in(Client(), personal_id=person.personal_id, level=1)
    _log_in(Client(), personal_id=person.personal_id, level=2)
    assert User.objects.filter(person=person).count() == 1
    assert [e.details["account_created"] for e in AuditEvent.objects.filter(action="eid.login").order_by("seq")] == [
        True,
        False,
    ]


@pytest.mark.django_db
def test_claims_missing_from_the_id_token_are_read_from_userinfo(
    registered: None, transport: DjangoClientAdapter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some providers return the citizen's attributes only at the userinfo endpoint."""
    original = SandboxOAuth2Validator.get_additional_claims

    def id_token_without_attributes(self: SandboxOAuth2Validator, request: Any) -> dict[str, Any]:
        claims = original(self, request)
        if isinstance(request.claims, dict):  # the token request; userinfo has no grant claims
            claims = {"acr": claims["acr"]}
        return claims

    monkeypatch.setattr(SandboxOAuth2Validator, "get_additional_claims", id_token_without_attributes)
    person = factories.person()
    browser = Client()
    assert _location(_log_in(browser, personal_id=person.personal_id, level=2)) == "/"
    assert "GET /sandbox/eid/o/userinfo/" in transport.calls
    assert browser.session[LEVEL_KEY] == 2 and User.objects.get(person=person).username == person.personal_id


@pytest.mark.django_db
def test_an_unknown_personal_id_logs_in_without_a_record(registered: None) -> None:
    browser = Client()
    response = _log_in(browser, personal_id="084099999999", level=1)
    assert _location(response) == reverse("identity:my_data")
    user = User.objects.get(username="084099999999")
    assert user.person is None and user.kind == User.Kind.CITIZEN
    event = AuditEvent.objects.get(action="eid.login")
    assert event.object_type == "core.user" and event.details["warnings"] == ["registry_not_found"]
    page = browser.get(reverse("identity:my_data")).content.decode()
    assert "Không tìm thấy hồ sơ của bạn" in page and "Mức độ 1" in page


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_both_client_authentication_methods(registered: None, settings: SettingsWrapper, method: str) -> None:
    settings.DEAN06_EID_TOKEN_AUTH_METHOD = method
    person = factories.person()
    assert _location(_log_in(Client(), personal_id=person.personal_id, level=1)) == "/"


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "http://other-host/"])
def test_next_must_stay_on_this_site(registered: None, next_url: str) -> None:
    start = "/dang-nhap/vneid/?" + urlencode({"next": next_url})
    assert _location(_log_in(Client(), personal_id=factories.person().personal_id, level=1, start=start)) == "/"


@pytest.mark.django_db
def test_an_explicitly_configured_issuer_and_client(registered: None, settings: SettingsWrapper) -> None:
    settings.DEAN06_EID_ISSUER = ISSUER + "/"
    settings.DEAN06_EID_CLIENT_ID = SANDBOX_CLIENT_ID
    settings.DEAN06_EID_CLIENT_SECRET = SANDBOX_CLIENT_SECRET
    person = factories.person()
    assert _location(_log_in(Client(), personal_id=person.personal_id, level=2)) == "/"


@pytest.mark.django_db
def test_a_wrong_client_secret_fails_at_the_token_endpoint(registered: None, settings: SettingsWrapper) -> None:
    settings.DEAN06_EID_CLIENT_SECRET = "wrong"
    response = _log_in(Client(), personal_id=factories.person().personal_id, level=1)
    assert response.status_code == 400 and "Không nhận được kết quả xác thực" in response.content.decode()
    assert not AuditEvent.objects.filter(action="eid.login").exists()


@pytest.mark.django_db
def test_state_mismatch_is_refused(registered: None) -> None:
    browser = Client()
    callback = _to_callback(browser, personal_id=factories.person().personal_id, level=2)
    forged = callback.replace("state=", "state=x")
    response = browser.get(_path(forged))
    body = response.content.decode()
    assert response.status_code == 400 and "không khớp với phiên làm việc" in body and "state_mismatch" in body
    assert "_auth_user_id" not in browser.session
    # The pending login is gone: replaying the genuine callback does not work either.
    replay = browser.get(_path(callback))
    assert replay.status_code == 400 and "flow_missing" in replay.content.decode()


@pytest.mark.django_db
def test_a_callback_without_a_pending_login_is_refused(registered: None) -> None:
    response = Client().get("/dang-nhap/vneid/callback/?code=abc&state=def")
    assert response.status_code == 400 and "đã hết hạn" in response.content.decode()


@pytest.mark.django_db
def test_a_nonce_other_than_the_one_sent_is_refused(registered: None) -> None:
    browser = Client()
    callback = _to_callback(browser, personal_id=factories.person().personal_id, level=1)
    session = browser.session
    session[FLOW_KEY] = {**session[FLOW_KEY], "nonce": "not-the-one-sent"}
    session.save()
    response = browser.get(_path(callback))
    assert response.status_code == 400 and "id_token_invalid" in response.content.decode()
    assert "_auth_user_id" not in browser.session


@pytest.mark.django_db
def test_an_id_token_signed_with_an_unpublished_key_is_refused(
    registered: None,
    transport: DjangoClientAdapter,
    settings: SettingsWrapper,
    monkeypatch: pytest.MonkeyPatch,
    sandbox_key_pem: str,
    other_key_pem: str,
) -> None:
    browser = Client()
    callback = _to_callback(browser, personal_id=factories.person().personal_id, level=1)
    # The provider signs with a key that is not in the JWKS the relying party gets, even when it asks again.
    monkeypatch.setattr(eid_client, "provider_jwks", lambda uri, refresh=False: _jwks(sandbox_key_pem))
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_RSA_PRIVATE_KEY": other_key_pem}
    response = browser.get(_path(callback))
    assert response.status_code == 400 and "id_token_invalid" in response.content.decode()
    assert "_auth_user_id" not in browser.session and not AuditEvent.objects.filter(action="eid.login").exists()


@pytest.mark.django_db
def test_a_rotated_key_is_fetched_again(registered: None, settings: SettingsWrapper, other_key_pem: str) -> None:
    browser = Client()
    eid_client.provider_jwks(f"{ISSUER}/.well-known/jwks.json")  # cached: the old key
    callback = _to_callback(browser, personal_id=factories.person().personal_id, level=1)
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_RSA_PRIVATE_KEY": other_key_pem}
    assert _location(browser.get(_path(callback))) == "/"


@pytest.mark.django_db
def test_cancelling_at_the_provider_shows_a_friendly_error(registered: None) -> None:
    browser = Client()
    authorize = _location(browser.get("/dang-nhap/vneid/"))
    login_page = _location(browser.get(_path(authorize)))
    next_url = parse_qs(urlsplit(login_page).query)["next"][0]
    back = _location(browser.post(login_page, {"cancel": "1", "next": next_url}))
    callback = _location(browser.get(back))
    assert callback.startswith(CALLBACK) and "error=access_denied" in callback
    response = browser.get(_path(callback))
    assert response.status_code == 400 and "Bạn đã hủy đăng nhập" in response.content.decode()


@pytest.mark.django_db
def test_a_provider_error_with_the_right_state_shows_a_friendly_error(registered: None) -> None:
    browser = Client()
    state = parse_qs(urlsplit(_location(browser.get("/dang-nhap/vneid/"))).query)["state"][0]
    response = browser.get("/dang-nhap/vneid/callback/?" + urlencode({"error": "server_error", "state": state}))
    assert response.status_code == 400 and "Hệ thống định danh điện tử báo lỗi" in response.content.decode()


@pytest.mark.django_db
def test_a_wrong_iss_parameter_is_refused(registered: None) -> None:
    browser = Client()
    state = parse_qs(urlsplit(_location(browser.get("/dang-nhap/vneid/"))).query)["state"][0]
    query = urlencode({"code": "c", "state": state, "iss": "https://evil.example/o"})
    assert "issuer_mismatch" in browser.get(f"/dang-nhap/vneid/callback/?{query}").content.decode()


@pytest.mark.django_db
def test_the_provider_login_page_is_only_reachable_for_an_authorization_request() -> None:
    assert Client().get("/sandbox/eid/dang-nhap/?next=https://evil.example/").status_code == 400


@pytest.mark.django_db
def test_e_id_is_off_without_issuer_outside_the_sandbox(settings: SettingsWrapper) -> None:
    settings.DEAN06_SANDBOX = False
    response = Client().get("/dang-nhap/vneid/")
    assert response.status_code == 503 and "chưa được cấu hình" in response.content.decode()
    assert "VNeID" not in Client().get("/dang-nhap/").content.decode()


@pytest.mark.django_db
def test_an_unreachable_provider(settings: SettingsWrapper) -> None:
    settings.DEAN06_EID_ISSUER = "https://127.0.0.1:9/realms/citizen"  # discard port: nothing answers
    settings.DEAN06_EID_CLIENT_ID, settings.DEAN06_EID_CLIENT_SECRET = "c", "s"
    response = Client().get("/dang-nhap/vneid/")
    assert response.status_code == 502 and "Không kết nối được" in response.content.decode()


# --- account linking rules --------------------------------------------------------------------------------------


def _identity(person: Person, **fields: Any) -> EidIdentity:
    values: dict[str, Any] = {
        "personal_id": person.personal_id,
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth,
        "level": 1,
        "acr": "LoA1",
        "subject": "s",
    }
    return EidIdentity(**{**values, **fields})


@pytest.mark.django_db
def test_name_and_birth_date_mismatches_are_recorded_not_refused() -> None:
    person = factories.person(full_name="Nguyễn Thị Hòa", date_of_birth=date(1980, 1, 1))
    same = eid_login_record(identity=_identity(person, full_name="nguyễn  thị hoà"), issuer=ISSUER, sandbox=True)
    assert same.warnings == []  # spacing, case and tone-mark placement do not count
    result = eid_login_record(
        identity=_identity(person, full_name="Nguyễn Thị Hoa", date_of_birth=date(1980, 1, 2)),
        issuer=ISSUER,
        sandbox=True,
    )
    assert result.user.person == person and result.warnings == ["name_mismatch", "birth_date_mismatch"]
    assert AuditEvent.objects.filter(action="eid.login").first().details["warnings"] == [  # type: ignore[union-attr]
        "name_mismatch",
        "birth_date_mismatch",
    ]


@pytest.mark.django_db
def test_a_staff_account_named_like_the_personal_id_is_not_taken_over() -> None:
    person = factories.person()
    factories.user_with_role(Role.COMMUNE_POLICE, username=person.personal_id)
    with pytest.raises(EidError) as caught:
        eid_login_record(identity=_identity(person), issuer=ISSUER, sandbox=True)
    assert caught.value.failure == EidFailure.ACCOUNT_CONFLICT


@pytest.mark.django_db
def test_a_disabled_citizen_account_cannot_log_in() -> None:
    person = factories.person()
    User.objects.create_user("x", kind=User.Kind.CITIZEN, person=person, is_active=False)
    with pytest.raises(EidError) as caught:
        eid_login_record(identity=_identity(person), issuer=ISSUER, sandbox=True)
    assert caught.value.failure == EidFailure.ACCOUNT_DISABLED


# --- level 2 gate -----------------------------------------------------------------------------------------------

LEVEL2 = "/cong-dan/thu-tuc-muc-2/"


@pytest.mark.django_db
def test_level_two_page_refuses_level_one_and_admits_level_two(registered: None) -> None:
    person = factories.person()
    level1 = Client()
    _log_in(level1, personal_id=person.personal_id, level=1)
    refused = level1.get(LEVEL2)
    body = refused.content.decode()
    assert refused.status_code == 403 and "mức độ 2" in body and "Công an" in body and "vân tay" in body
    assert "muc_do=2" in body  # the step-up link

    level2 = Client()
    _log_in(level2, personal_id=person.personal_id, level=2)
    admitted = level2.get(LEVEL2)
    assert admitted.status_code == 200 and "Trang yêu cầu định danh mức độ 2" in admitted.content.decode()


@pytest.mark.django_db
def test_step_up_asks_the_provider_for_level_two(registered: None) -> None:
    authorize = _location(Client().get("/dang-nhap/vneid/?muc_do=2&next=" + LEVEL2))
    assert parse_qs(urlsplit(authorize).query)["acr_values"] == ["LoA2"]
    login_page = _location(Client().get(_path(authorize)))
    assert parse_qs(urlsplit(login_page).query)["next"]


@pytest.mark.django_db
def test_level_two_page_without_e_id() -> None:
    assert "/dang-nhap/" in _location(Client().get(LEVEL2))
    citizen = Client()
    citizen.force_login(User.objects.create_user("pw", kind=User.Kind.CITIZEN, person=factories.person()))
    assert citizen.get(LEVEL2).status_code == 403  # a password login carries no e-ID level
    assert _staff_browser(factories.user_with_role(Role.WORKING_GROUP)).get(LEVEL2).status_code == 403


@pytest.mark.django_db
def test_the_level_belongs_to_the_user_who_logged_in_with_e_id() -> None:
    citizen = Client()
    user = User.objects.create_user("a", kind=User.Kind.CITIZEN)
    citizen.force_login(user)
    session = citizen.session
    session.update({AUTH_METHOD_KEY: "eid", LEVEL_KEY: 2, "eid_user_id": user.pk + 1000})
    session.save()
    assert citizen.get(LEVEL2).status_code == 403


# --- my data --------------------------------------------------------------------------------------------------

MY_DATA = "/cong-dan/cua-toi/"


@pytest.mark.django_db
def test_my_data_shows_the_record_level_and_who_accessed_it(registered: None) -> None:
    person = factories.person(full_name="Kim Thị Sô Phia", address="Khóm 2")
    neighbour = factories.person(full_name="Trần Văn Bên")
    officer = factories.user_with_role(
        Role.COMMUNE_POLICE,
        full_name="Sơn Văn Tài",
        organisation=factories.organisation(name="Công an phường Long Đức"),
    )
    audit_record(actor=officer, action="person.read", obj=person, purpose=AccessPurpose.VERIFICATION)
    audit_record(actor=officer, action="population.lookup", obj=person, purpose="Giải quyết hồ sơ khai sinh")
    audit_record(actor=officer, action="person.read", obj=neighbour, purpose=AccessPurpose.SECURITY)
    audit_record(actor=None, action="card.scan", obj=person)
    browser = Client()
    _log_in(browser, personal_id=person.personal_id, level=2)
    response = browser.get(MY_DATA)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kim Thị Sô Phia" in page and person.personal_id in page and "Khóm 2" in page
    assert "Mức độ 2" in page
    assert "Sơn Văn Tài" in page and "Công an phường Long Đức" in page
    assert "Xem hồ sơ của bạn" in page and "Xác minh, đối chiếu thông tin" in page
    assert "Tra cứu thông tin của bạn trong Cơ sở dữ liệu quốc gia về dân cư" in page
    assert "Giải quyết hồ sơ khai sinh" in page and "Quét mã QR trên thẻ căn cước" in page
    # Only this citizen's history: the neighbour's record and its purpose are not there.
    assert "Trần Văn Bên" not in page and "Bảo đảm an ninh, trật tự" not in page
    # The citizen's own reads (this page, the dashboard, the login) are audited but not listed as "access".
    assert AuditEvent.objects.filter(action="person.read_own", object_id=str(person.pk)).exists()
    assert page.count("<tr>") == 1 + 3  # header + the three entries by others
    stamp = AuditEvent.objects.filter(action="person.read").order_by("seq").first()
    assert stamp is not None
    assert timezone.localtime(stamp.at).strftime("%d/%m/%Y %H:%M") in page


@pytest.mark.django_db
def test_my_data_for_a_password_login_and_for_others() -> None:
    person = factories.person()
    citizen = Client()
    citizen.force_login(User.objects.create_user("pw2", kind=User.Kind.CITIZEN, person=person))
    page = citizen.get(MY_DATA).content.decode()
    assert person.personal_id in page and "Chưa đăng nhập bằng VNeID" in page and "Chưa có cán bộ nào" in page
    assert "/dang-nhap/" in _location(Client().get(MY_DATA))
    staff = _staff_browser(factories.user_with_role(Role.SYSTEM_ADMIN, unit_code=factories.PROVINCE))
    assert staff.get(MY_DATA).status_code == 403


# --- page chrome ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_offers_vneid_and_every_page_shows_the_sandbox_strip(settings: SettingsWrapper) -> None:
    page = Client().get("/dang-nhap/?next=/cong-dan/cua-toi/").content.decode()
    assert "Đăng nhập bằng tài khoản định danh điện tử (VNeID)" in page
    assert 'action="/dang-nhap/vneid/"' in page and 'value="/cong-dan/cua-toi/"' in page
    assert "SANDBOX" in page and "dữ liệu giả lập" in page
    settings.DEAN06_SANDBOX = False
    assert "SANDBOX" not in Client().get("/dang-nhap/").content.decode()


@pytest.mark.django_db
def test_the_mixin_and_the_decorator_gate_alike() -> None:
    class Procedure(EidLevelRequiredMixin, View):
        def get(self, request: HttpRequest) -> HttpResponse:
            return HttpResponse("ok")

    @require_eid_level(1)
    def level_one(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    user = User.objects.create_user("m", kind=User.Kind.CITIZEN)
    for level, expected in ((1, (403, 200)), (2, (200, 200))):
        request = RequestFactory().get("/x/")
        request.user = user
        request.session = SessionStore()
        request.session.update({AUTH_METHOD_KEY: "eid", LEVEL_KEY: level, "eid_user_id": user.pk})
        statuses = (Procedure.as_view()(request).status_code, level_one(request).status_code)
        assert statuses == expected
