"""SMS notifications: the `sms` backend posts to the SANDBOX SMS gateway over real HTTP (pytest-django's live
server), the outbox page shows what the citizen's phone would; a failing gateway is logged, never raised; the
gateway checks its API key and answers 404 unless SANDBOX."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from dean06.core.roles import Role
from dean06.public_services.choices import PetitionKind
from dean06.public_services.notifications import Message, SmsBackend, backend
from dean06.public_services.sandbox_sms import outbox_read
from dean06.public_services.services.petitions import petition_answer, petition_submit
from dean06.public_services.tests import factories as ps
from dean06.testing import factories

KEY = "khoa-sms-thu-nghiem"
PHONE = "0912345678"


@pytest.fixture(autouse=True)
def sandbox_outbox(settings: Settings, tmp_path: Path) -> Path:
    settings.DEAN06_SANDBOX = True
    settings.SMS_SANDBOX_API_KEY = KEY
    settings.SMS_SANDBOX_OUTBOX = str(tmp_path / "sms-outbox.jsonl")
    return Path(settings.SMS_SANDBOX_OUTBOX)


@pytest.fixture
def gateway(settings: Settings, live_server: LiveServer) -> str:
    """dean06 configured to send through the SANDBOX gateway of the live server."""
    url = live_server.url + reverse("sms_sandbox:send")
    settings.NOTIFICATIONS_BACKEND = "sms"
    settings.SMS_GATEWAY_URL, settings.SMS_API_KEY, settings.SMS_TIMEOUT = url, KEY, 5
    return url


def _message(body: str = "Hồ sơ 29263-261127-0001 đã có kết quả.", to: str = PHONE) -> Message:
    return Message(to, "", "Hồ sơ", body, "29263-261127-0001", timezone.now().isoformat())


@pytest.mark.django_db(transaction=True)
def test_the_backend_posts_to_the_sandbox_and_the_outbox_shows_it(units_reloaded: None, gateway: str) -> None:
    backend().send(_message())
    [sent] = outbox_read()
    assert sent["to"] == PHONE and sent["reference"] == "29263-261127-0001" and "đã có kết quả" in sent["message"]
    page = Client().get(reverse("sms_sandbox:outbox"), {"so": PHONE})
    body = page.content.decode()
    assert page.status_code == 200 and page["X-Dean06-Sandbox"] == "true"
    assert "SANDBOX" in body and PHONE in body and "đã có kết quả" in body
    assert "Chưa có tin nhắn nào" in Client().get(reverse("sms_sandbox:outbox"), {"so": "0999999999"}).content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_answered_petition_reaches_the_citizens_phone(units_reloaded: None, gateway: str) -> None:
    citizen = ps.citizen(factories.person(phone=PHONE))
    petition = petition_submit(actor=citizen, kind=PetitionKind.RULES, subject="Phí sao y", body="Phí quá cao.")
    officer = factories.user_with_role(Role.ONE_STOP_OFFICER, factories.LONG_DUC)
    petition_answer(actor=officer, petition_id=petition.pk, answer="Phí theo Thông tư 226/2016.")
    received, answered = reversed(outbox_read(to=PHONE))  # newest first
    assert received["reference"] == petition.code and "Hạn trả lời" in received["message"]
    assert "đã được trả lời: Phí theo Thông tư 226/2016." in answered["message"]


def test_a_gateway_that_does_not_answer_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    unreachable = SmsBackend("http://127.0.0.1:9/messages", KEY, timeout=2)  # the discard port: refused
    with caplog.at_level(logging.ERROR, logger="dean06.public_services.notifications"):
        unreachable.send(_message())
    assert "SMS to 091…678 for 29263-261127-0001 failed" in caplog.text
    assert PHONE not in caplog.text  # the log names the message, not the citizen's number


@pytest.mark.django_db(transaction=True)
def test_a_refused_key_is_logged_not_raised(
    units_reloaded: None, gateway: str, sandbox_outbox: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="dean06.public_services.notifications"):
        SmsBackend(gateway, "sai-khoa", timeout=5).send(_message())
    assert "refused by the gateway: HTTP 401" in caplog.text and not sandbox_outbox.exists()


def test_no_phone_or_no_gateway_sends_nothing(caplog: pytest.LogCaptureFixture, sandbox_outbox: Path) -> None:
    with caplog.at_level(logging.INFO, logger="dean06.public_services.notifications"):
        SmsBackend("", KEY, timeout=1).send(_message())
        SmsBackend("http://127.0.0.1:9/", KEY, timeout=1).send(_message(to=""))
    assert "SMS_GATEWAY_URL is not set" in caplog.text and "no phone number" in caplog.text


def _post(client: Client, data: object, key: str = KEY) -> tuple[int, dict[str, object]]:
    response = client.post(
        reverse("sms_sandbox:send"), json.dumps(data), content_type="application/json", headers={"X-Api-Key": key}
    )
    assert response["X-Dean06-Sandbox"] == "true"
    return response.status_code, response.json()


def test_the_gateway_checks_key_and_body(settings: Settings, sandbox_outbox: Path) -> None:
    client = Client(enforce_csrf_checks=True)  # server to server: no CSRF token, the key authenticates
    good = {"to": "091 234 5678", "message": "Xin chào", "reference": "PA-1"}
    status, answer = _post(client, good)
    assert status == 200 and answer["sandbox"] is True and answer["status"] == "accepted"
    assert outbox_read()[0]["to"] == PHONE  # spaces and dots are dropped, as a gateway normalises numbers
    assert _post(client, good, key="sai")[0] == 401
    for bad in ({"to": "12", "message": "x"}, {"to": PHONE, "message": " "}, [PHONE], {"to": PHONE}):
        assert _post(client, bad)[0] == 400
    settings.SMS_SANDBOX_API_KEY = ""  # no key configured: every message is refused
    assert _post(client, good, key="")[0] == 401
    assert len(outbox_read()) == 1


def test_the_sandbox_gateway_is_404_unless_sandbox(settings: Settings) -> None:
    settings.DEAN06_SANDBOX = False
    client = Client()
    assert client.get(reverse("sms_sandbox:outbox")).status_code == 404
    response = client.post(
        reverse("sms_sandbox:send"),
        json.dumps({"to": PHONE, "message": "x"}),
        content_type="application/json",
        headers={"X-Api-Key": KEY},
    )
    assert response.status_code == 404
