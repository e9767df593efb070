"""Staff login (issue #3, point 6): TOTP enrolment and verification, recovery codes, who must use them,
lockout after wrong passwords or codes, idle timeout, the SANDBOX hint and the demo accounts."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from io import StringIO
from urllib.parse import quote

import pyotp
import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.hashers import check_password
from django.contrib.messages import get_messages
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from dean06.core.errors import PermissionDeniedError
from dean06.core.models import AuditEvent, RoleAssignment, User
from dean06.core.roles import ROLE_PERMISSIONS, Permission, Role
from dean06.demo.accounts import DEMO_ACCOUNTS, demo_accounts_create, demo_totp_secret
from dean06.identity.models import RecoveryCode, TotpDevice
from dean06.identity.staff_auth.crypto import SecretUnreadableError, secret_decrypt, secret_encrypt
from dean06.identity.staff_auth.selectors import SECOND_FACTOR_ROLES, sandbox_current_code, second_factor_required
from dean06.identity.staff_auth.services import (
    CodeCheck,
    recovery_code_use,
    totp_enrol_confirm,
    totp_enrol_sandbox,
    totp_enrol_start,
    totp_reset,
    totp_verify,
)
from dean06.identity.staff_auth.session import LAST_SEEN_SESSION_KEY, SECOND_FACTOR_SESSION_KEY
from dean06.testing import factories
from dean06.testing.auth import login

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem"  # factories.user_with_role's default
VERIFY, ENROL, RECOVERY = "/xac-thuc-2-buoc/", "/xac-thuc-2-buoc/dang-ky/", "/xac-thuc-2-buoc/ma-du-phong/"


def _enrol(user: User, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[str]]:
    """Enrol through the services with a code from five minutes ago, so that every current code is unused."""
    earlier = timezone.now() - timedelta(minutes=5)
    with monkeypatch.context() as m:
        m.setattr(timezone, "now", lambda: earlier)
        secret = totp_enrol_start(user).secret
        codes = totp_enrol_confirm(user, pyotp.TOTP(secret).at(earlier))
    assert codes is not None
    return secret, codes


def _officer(**fields: str) -> User:
    return factories.user_with_role(Role.COMMUNE_POLICE, **fields)


def _actions(user: User) -> list[str]:
    return list(AuditEvent.objects.filter(object_id=str(user.pk)).order_by("seq").values_list("action", flat=True))


def _signed_in(user: User) -> Client:
    """Past the password step only, as after the login form."""
    client = Client()
    client.force_login(user)
    return client


# Who must use the second factor


def test_roles_needing_the_second_factor_come_from_the_permission_table() -> None:
    sensitive = {Permission.PERSON_VIEW, Permission.PERSON_EXPORT, Permission.PERSON_CHANGE, Permission.AUDIT_VIEW}
    assert set(SECOND_FACTOR_ROLES) == {role for role, perms in ROLE_PERMISSIONS.items() if perms & sensitive}
    # As the catalogue stands: everyone but the clinic receptionist, who sees no personal data.
    assert set(SECOND_FACTOR_ROLES) == set(Role) - {Role.CLINIC_RECEPTIONIST}


@pytest.mark.parametrize("role", list(Role))
def test_every_page_sends_an_unverified_officer_to_the_second_step(role: Role) -> None:
    client = _signed_in(factories.user_with_role(role))
    response = client.get(reverse("web:home"))
    if role in SECOND_FACTOR_ROLES:
        assert response.status_code == 302 and response["Location"] == f"{ENROL}?next=%2F"
    else:
        assert response.status_code == 200


def test_an_enrolled_officer_is_sent_to_verify_with_the_page_to_return_to(monkeypatch: pytest.MonkeyPatch) -> None:
    user = _officer()
    _enrol(user, monkeypatch)
    response = _signed_in(user).get("/cong-dan/?q=an")
    assert response.status_code == 302 and response["Location"] == f"{VERIFY}?next=%2Fcong-dan%2F%3Fq%3Dan"


def test_citizens_signed_in_with_eid_pass_without_a_second_factor() -> None:
    citizen = User.objects.create_user("congdan.eid", kind=User.Kind.CITIZEN, person=factories.person())
    client = _signed_in(citizen)
    session = client.session
    session["auth_method"] = "eid"
    session.save()
    assert client.get(reverse("web:home")).status_code == 200
    assert not second_factor_required(citizen)


def test_admin_site_users_need_it_even_without_a_role() -> None:
    assert second_factor_required(factories.user_with_role(None, is_staff=True))
    assert not second_factor_required(factories.user_with_role(None))


def test_a_role_granted_mid_session_takes_effect_at_the_next_request() -> None:
    user = factories.user_with_role(Role.CLINIC_RECEPTIONIST)
    client = _signed_in(user)
    assert client.get(reverse("web:home")).status_code == 200
    RoleAssignment.objects.create(user=user, role=Role.LABOUR_OFFICER, unit=factories.unit(factories.LONG_DUC))
    assert client.get(reverse("web:home"))["Location"].startswith(ENROL)


def test_api_answers_401_in_vietnamese_instead_of_redirecting() -> None:
    response = _signed_in(_officer()).get(reverse("api:person_list"))
    assert response.status_code == 401
    assert "xác thực 2 bước" in response.json()["detail"]


def test_htmx_requests_get_hx_redirect() -> None:
    response = _signed_in(_officer()).get(reverse("web:person_list"), headers={"hx-request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"].startswith(ENROL)


def test_logout_language_switch_and_sandbox_paths_stay_reachable() -> None:
    client = _signed_in(_officer())
    assert client.post(reverse("set_language"), {"language": "en", "next": VERIFY})["Location"] == VERIFY
    assert client.get("/sandbox/khong-co/").status_code == 404  # not the 2FA redirect
    assert client.post(reverse("web:logout"))["Location"] == reverse("web:login")
    assert "_auth_user_id" not in client.session


def test_a_verified_session_reaches_the_pages() -> None:
    assert login(Client(), _officer()).get(reverse("web:person_list")).status_code == 200


# Enrolment


def test_enrolment_page_shows_a_qr_code_and_the_secret_and_keeps_them_on_reload() -> None:
    user = _officer(username="congan.moi")
    client = _signed_in(user)
    body = client.get(ENROL).content.decode()
    assert '<img src="data:image/svg+xml' in body
    secret = secret_decrypt(TotpDevice.objects.get(user=user).encrypted_secret)
    assert " ".join(re.findall(".{4}", secret)) in body
    assert 'autocomplete="one-time-code"' in body and 'inputmode="numeric"' in body
    assert '<label for="id_code">Mã xác thực</label>' in body
    assert client.get(ENROL).content.decode().count(secret[:4] + " " + secret[4:8]) == 1  # same secret again
    assert _actions(user) == ["auth.totp_enrol_start"]


def test_the_uri_names_the_issuer_and_the_user() -> None:
    enrolment = totp_enrol_start(_officer(username="congan.qr"))
    issuer = quote("Đề án 06 Vĩnh Long")
    assert enrolment.uri == f"otpauth://totp/{issuer}:congan.qr?secret={enrolment.secret}&issuer={issuer}"
    assert enrolment.qr_data_uri.startswith("data:image/svg+xml")


def test_the_secret_is_encrypted_at_rest() -> None:
    user = _officer()
    secret = totp_enrol_start(user).secret
    stored = TotpDevice.objects.get(user=user).encrypted_secret
    assert secret not in stored and secret_decrypt(stored) == secret


def test_confirming_shows_ten_recovery_codes_once_and_stores_only_hashes() -> None:
    user = _officer()
    client = _signed_in(user)
    client.get(ENROL)
    secret = secret_decrypt(TotpDevice.objects.get(user=user).encrypted_secret)
    key_before = client.session.session_key
    response = client.post(ENROL, {"code": pyotp.TOTP(secret).now(), "next": "/cong-dan/"})
    body = response.content.decode()
    codes = re.findall(r"<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>", body)
    assert response.status_code == 200 and len(set(codes)) == 10
    assert "no-store" in response["Cache-Control"]
    assert 'href="/cong-dan/"' in body
    stored = list(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not any(code.replace("-", "") in h for code in codes for h in stored)
    assert any(check_password(codes[0].replace("-", ""), h) for h in stored)
    # Verified, under a new session key; the codes are not shown again.
    assert SECOND_FACTOR_SESSION_KEY in client.session and client.session.session_key != key_before
    again = client.get(ENROL + "?next=/cong-dan/")
    assert again.status_code == 302 and again["Location"] == "/cong-dan/"
    assert client.get(reverse("web:person_list")).status_code == 200
    assert _actions(user) == ["auth.totp_enrol_start", "auth.totp_enrol"]


def test_a_wrong_first_code_is_shown_beside_the_field() -> None:
    user = _officer()
    client = _signed_in(user)
    client.get(ENROL)
    body = client.post(ENROL, {"code": "12345"}).content.decode()
    assert 'id="id_code_error"' in body and "6 chữ số" in body
    secret = secret_decrypt(TotpDevice.objects.get(user=user).encrypted_secret)
    wrong = f"{(int(pyotp.TOTP(secret).now()) + 1) % 1_000_000:06d}"
    body = client.post(ENROL, {"code": wrong}).content.decode()
    assert "Mã không đúng" in body and 'aria-invalid="true"' in body
    assert TotpDevice.objects.get(user=user).confirmed_at is None


# Verification


def test_codes_of_the_neighbouring_steps_are_accepted_and_none_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    user = _officer()
    secret, _codes = _enrol(user, monkeypatch)
    mid_step = datetime.fromtimestamp(int(time.time()) // 30 * 30 + 15, tz=UTC)  # no step boundary nearby
    monkeypatch.setattr(timezone, "now", lambda: mid_step)
    totp = pyotp.TOTP(secret)

    def code(steps: int) -> str:
        return str(totp.at(mid_step + timedelta(seconds=30 * steps)))

    assert totp_verify(user, code(-2)) == CodeCheck.WRONG  # outside the window
    assert totp_verify(user, code(-1)) == CodeCheck.ACCEPTED
    assert totp_verify(user, code(-1)) == CodeCheck.WRONG  # used already
    assert totp_verify(user, code(0)) == CodeCheck.ACCEPTED
    assert totp_verify(user, code(-1)) == CodeCheck.WRONG  # older than the last one used
    assert totp_verify(user, code(1)) == CodeCheck.ACCEPTED
    assert totp_verify(user, code(2)) == CodeCheck.WRONG
    assert TotpDevice.objects.get(user=user).failed_attempts == 1  # a success resets the count


def test_verify_page_passes_the_session_and_returns_to_next(monkeypatch: pytest.MonkeyPatch) -> None:
    user = _officer()
    secret, _codes = _enrol(user, monkeypatch)
    client = _signed_in(user)
    page = client.get(VERIFY + "?next=/cong-dan/").content.decode()
    assert 'name="next" value="/cong-dan/"' in page and 'autocomplete="one-time-code"' in page
    key_before = client.session.session_key
    response = client.post(VERIFY, {"code": pyotp.TOTP(secret).now(), "next": "/cong-dan/"})
    assert response.status_code == 302 and response["Location"] == "/cong-dan/"
    assert SECOND_FACTOR_SESSION_KEY in client.session and client.session.session_key != key_before
    assert client.get(reverse("web:person_list")).status_code == 200
    assert _actions(user)[-1] == "auth.totp_verify"


def test_next_pointing_elsewhere_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    user = _officer()
    secret, _codes = _enrol(user, monkeypatch)
    response = _signed_in(user).post(VERIFY, {"code": pyotp.TOTP(secret).now(), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_wrong_code_is_shown_beside_the_field_and_audited(monkeypatch: pytest.MonkeyPatch) -> None:
    user = _officer()
    _enrol(user, monkeypatch)
    body = _signed_in(user).post(VERIFY, {"code": "000000"}).content.decode()
    assert 'id="id_code_error"' in body and "Mã không đúng" in body and "5 lần" in body
    assert _actions(user)[-1] == "auth.totp_verify_failed"


def test_verify_before_enrolment_goes_to_enrolment() -> None:
    response = _signed_in(_officer()).get(VERIFY + "?next=/nhat-ky/")
    assert response["Location"] == f"{ENROL}?next=%2Fnhat-ky%2F"


def test_anonymous_visitors_are_sent_to_the_login_page() -> None:
    assert Client().get(VERIFY)["Location"].startswith(reverse("web:login"))


# Recovery codes


def test_a_recovery_code_works_once_typed_loosely(monkeypatch: pytest.MonkeyPatch) -> None:
    user = _officer()
    _secret, codes = _enrol(user, monkeypatch)
    assert recovery_code_use(user, codes[3].lower().replace("-", " ")) == CodeCheck.ACCEPTED
    assert recovery_code_use(user, codes[3]) == CodeCheck.WRONG
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=False).count() == 1
    used = AuditEvent.objects.get(action="auth.recovery_code_used", object_id=str(user.pk))
    assert used.details == {"left": 9}


def test_recovery_page_passes_the_session(monkeypatch: pytest.MonkeyPatch) -> None:
    user = _officer()
    _secret, codes = _enrol(user, monkeypatch)
    client = _signed_in(user)
    assert f'href="{RECOVERY}?next=' in client.get(VERIFY).content.decode()
    body = client.post(RECOVERY, {"code": "ABC"}).content.decode()
    assert 'id="id_code_error"' in body
    response = client.post(RECOVERY, {"code": codes[0], "next": "/nhat-ky/"})
    assert response["Location"] == "/nhat-ky/" and SECOND_FACTOR_SESSION_KEY in client.session


# Lockout


def _log_in(client: Client, username: str, password: str, address: str = "127.0.0.1") -> int:
    return client.post(
        reverse("web:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    ).status_code


def test_five_wrong_passwords_lock_the_username_on_that_address_for_15_minutes() -> None:
    _officer(username="congan.khoa")
    client = Client()
    assert [_log_in(client, "congan.khoa", "sai") for _ in range(4)] == [200] * 4
    response = client.post(reverse("web:login"), {"username": "congan.khoa", "password": "sai"})
    body = response.content.decode()
    assert response.status_code == 429
    assert '<html lang="vi">' in body and "Tài khoản tạm khóa" in body and "chờ 15 phút" in body
    assert _log_in(client, "congan.khoa", PASSWORD) == 429  # even the right password, while locked
    assert "_auth_user_id" not in client.session
    assert _log_in(Client(), "congan.khoa", PASSWORD, address="10.0.0.9") == 302  # not from elsewhere


def test_a_successful_login_resets_the_count() -> None:
    _officer(username="congan.quen")
    client = Client()
    for _ in range(4):
        _log_in(client, "congan.quen", "sai")
    assert _log_in(client, "congan.quen", PASSWORD) == 302
    client.post(reverse("web:logout"))
    assert [_log_in(client, "congan.quen", "sai") for _ in range(4)] == [200] * 4


def test_five_wrong_codes_end_the_session_and_lock_even_across_logins(monkeypatch: pytest.MonkeyPatch) -> None:
    user = _officer(username="congan.doan")
    secret, _codes = _enrol(user, monkeypatch)
    client = _signed_in(user)
    for _ in range(3):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 200
    assert _log_in(client, "congan.doan", PASSWORD) == 302  # signing in again buys no new guesses
    assert client.post(VERIFY, {"code": "000000"}).status_code == 200
    response = client.post(VERIFY, {"code": "000000"})
    body = response.content.decode()
    assert response.status_code == 429 and "Tài khoản tạm khóa" in body and "đăng nhập lại sau" in body
    assert "_auth_user_id" not in client.session
    assert _actions(user)[-2:] == ["auth.totp_verify_failed", "auth.totp_locked"]
    # The password still works, but the second step does not, not even with the right code.
    assert _log_in(client, "congan.doan", PASSWORD) == 302
    assert client.get(VERIFY).status_code == 429 and "_auth_user_id" not in client.session
    assert totp_verify(user, pyotp.TOTP(secret).now()) == CodeCheck.LOCKED
    TotpDevice.objects.filter(user=user).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert totp_verify(user, pyotp.TOTP(secret).now()) == CodeCheck.ACCEPTED


def test_wrong_recovery_codes_count_towards_the_same_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    user = _officer()
    _secret, codes = _enrol(user, monkeypatch)
    results = [recovery_code_use(user, "AAAAA-AAAAA") for _ in range(5)]
    assert results == [CodeCheck.WRONG] * 4 + [CodeCheck.LOCKED]
    assert recovery_code_use(user, codes[0]) == CodeCheck.LOCKED


# Idle timeout and session age


def _age_last_seen(client: Client, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN_SESSION_KEY] = int(time.time()) - seconds
    session.save()


def test_a_session_idle_for_longer_than_the_timeout_ends_with_a_message() -> None:
    user = _officer()
    client = login(Client(), user)
    assert client.get(reverse("web:home")).status_code == 200
    _age_last_seen(client, 29 * 60)
    assert client.get(reverse("web:home")).status_code == 200  # within 30 minutes
    _age_last_seen(client, 31 * 60)
    response = client.get("/cong-dan/?q=an")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:login") + "?next=/cong-dan/%3Fq%3Dan"
    assert "_auth_user_id" not in client.session
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == ["Phiên làm việc đã hết hạn do không hoạt động. Vui lòng đăng nhập lại."]
    assert shown[0] in client.get(response["Location"]).content.decode()  # on the login page
    assert _actions(user)[-1] == "auth.session_idle_timeout"


def test_idle_timeout_follows_the_setting(settings: Settings) -> None:
    settings.DEAN06_IDLE_TIMEOUT_MINUTES = 5
    client = login(Client(), _officer())
    client.get(reverse("web:home"))
    _age_last_seen(client, 6 * 60)
    assert client.get(reverse("web:home"))["Location"].startswith(reverse("web:login"))


def test_idle_api_and_htmx_requests_are_told_in_their_own_way() -> None:
    client = login(Client(), _officer())
    client.get(reverse("web:home"))
    _age_last_seen(client, 31 * 60)
    response = client.get(reverse("api:person_list"))
    assert response.status_code == 401 and "hết hạn" in response.json()["detail"]
    client = login(Client(), _officer())
    client.get(reverse("web:home"))
    _age_last_seen(client, 31 * 60)
    response = client.get(reverse("web:person_list"), headers={"hx-request": "true"})
    assert response["HX-Redirect"].startswith(reverse("web:login"))


def test_activity_does_not_extend_the_eight_hour_session() -> None:
    client = login(Client(), _officer())
    client.get(reverse("web:home"))
    end = client.session.get_expiry_date()
    assert timedelta(hours=7, minutes=59) < end - timezone.now() <= timedelta(hours=8)
    _age_last_seen(client, 5 * 60)  # old enough for the stamp to be rewritten
    client.get(reverse("web:home"))
    assert client.session[LAST_SEEN_SESSION_KEY] >= int(time.time()) - 5
    assert client.session.get_expiry_date() == end


# SANDBOX hint


def test_sandbox_verify_page_shows_a_working_code(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.DEAN06_SANDBOX = True
    user = _officer()
    _enrol(user, monkeypatch)
    client = _signed_in(user)
    match = re.search(r"SANDBOX: mã hiện tại là (\d{6})", client.get(VERIFY).content.decode())
    assert match is not None
    assert client.post(VERIFY, {"code": match.group(1)})["Location"] == "/"
    # Once that code is used, the hint moves on to the next step's.
    next_code = sandbox_current_code(user)
    assert next_code is not None and next_code != match.group(1)


def test_no_hint_outside_the_sandbox(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    user = _officer()
    _enrol(user, monkeypatch)
    settings.DEAN06_SANDBOX = False
    body = _signed_in(user).get(VERIFY).content.decode()
    assert "SANDBOX" not in body and "mã hiện tại" not in body
    assert sandbox_current_code(user) is None
    with pytest.raises(ImproperlyConfigured):
        totp_enrol_sandbox(user, pyotp.random_base32())


# Reset by an administrator


def test_system_admin_resets_a_lost_device_and_the_officer_enrols_again(monkeypatch: pytest.MonkeyPatch) -> None:
    user = _officer()
    _enrol(user, monkeypatch)
    admin = factories.user_with_role(Role.SYSTEM_ADMIN, factories.PROVINCE)
    with pytest.raises(PermissionDeniedError):
        totp_reset(factories.user_with_role(Role.WORKING_GROUP, factories.PROVINCE), user)
    totp_reset(admin, user)
    assert not TotpDevice.objects.filter(user=user).exists() and not RecoveryCode.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(action="auth.totp_reset")
    assert (event.actor_id, event.object_id) == (admin.pk, str(user.pk))
    assert _signed_in(user).get(VERIFY)["Location"].startswith(ENROL)


def test_admin_action_resets_through_the_service(monkeypatch: pytest.MonkeyPatch) -> None:
    user = _officer()
    _enrol(user, monkeypatch)
    admin = factories.user_with_role(Role.SYSTEM_ADMIN, factories.PROVINCE, is_staff=True, is_superuser=True)
    client = login(Client(), admin)
    changelist = reverse("admin:identity_totpdevice_changelist")
    assert client.get(changelist).status_code == 200
    device = TotpDevice.objects.get(user=user)
    response = client.post(changelist, {"action": "reset", "_selected_action": [device.pk]})
    assert response.status_code == 302 and not TotpDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="auth.totp_reset", actor_id=admin.pk).exists()


# Keys


def test_keys_rotate_and_an_unknown_key_is_reported(settings: Settings) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.DEAN06_TOTP_KEYS = [old]
    token = secret_encrypt("JBSWY3DPEHPK3PXP")
    settings.DEAN06_TOTP_KEYS = [new, old]
    assert secret_decrypt(token) == "JBSWY3DPEHPK3PXP"
    settings.DEAN06_TOTP_KEYS = [new]
    with pytest.raises(SecretUnreadableError):
        secret_decrypt(token)


def test_signing_in_re_encrypts_the_secret_under_the_first_key(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.DEAN06_TOTP_KEYS = [old]
    user = _officer()
    secret, _codes = _enrol(user, monkeypatch)
    settings.DEAN06_TOTP_KEYS = [new, old]
    assert totp_verify(user, pyotp.TOTP(secret).now()) == CodeCheck.ACCEPTED
    settings.DEAN06_TOTP_KEYS = [new]
    assert secret_decrypt(TotpDevice.objects.get(user=user).encrypted_secret) == secret


def test_a_pending_enrolment_under_a_lost_key_gets_a_new_secret(settings: Settings) -> None:
    user = _officer()
    settings.DEAN06_TOTP_KEYS = [Fernet.generate_key().decode()]
    first = totp_enrol_start(user).secret
    settings.DEAN06_TOTP_KEYS = [Fernet.generate_key().decode()]
    assert totp_enrol_start(user).secret != first


# Demo accounts


def test_sandbox_demo_accounts_that_need_it_are_enrolled_with_their_derived_secret(settings: Settings) -> None:
    settings.DEAN06_SANDBOX = True
    for account, user in demo_accounts_create():
        device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
        if account.role in SECOND_FACTOR_ROLES:
            assert device is not None and secret_decrypt(device.encrypted_secret) == demo_totp_secret(user.username)
        else:
            assert device is None, account.username
    assert demo_totp_secret("congan.longduc") == demo_totp_secret("congan.longduc") != demo_totp_secret("quantri")


def test_demo_accounts_outside_the_sandbox_enrol_like_anyone(settings: Settings) -> None:
    settings.DEAN06_SANDBOX = False
    demo_accounts_create()
    assert not TotpDevice.objects.exists()


def test_demo_command_prints_the_secrets_beside_the_passwords(settings: Settings) -> None:
    settings.DEAN06_SANDBOX = True
    out = StringIO()
    call_command("demo", persons=30, stdout=out)
    lines = {line.split()[0]: line for line in out.getvalue().splitlines() if line.startswith("  ")}
    assert demo_totp_secret("congan.longduc") in lines["congan.longduc"]
    assert " — " in lines["tiepdon.longduc"] and " — " in lines["congdan"]
    assert {a.username for a in DEMO_ACCOUNTS} <= set(lines)
