"""Telling the applicant what happened to their dossier (received, supplement requested, result ready …).

The `Message` and its backends carry any reference (a dossier's, a petition's, a monthly report's): monitoring
sends its report reminders through them too.

A backend sends each message: `console` (the log, the default), `file` (JSON lines appended to a file, for a
SANDBOX outbox or an operator to forward), `email` (Django's mail, to the citizen account's address) or `sms` (a
JSON POST to an SMS gateway, such as the SANDBOX one under /sandbox/sms/; docs/public-services.md). Chosen by
the setting NOTIFICATIONS_BACKEND; sent after the transaction commits, so a rolled-back step tells nobody.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final, Protocol

import requests
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from dean06.core.models import User
from dean06.public_services.models import Dossier
from dean06.public_services.workflow import Action

logger = logging.getLogger(__name__)

# Vietnamese on purpose: the citizen reads it, whatever language the officer's screen was in.
TEMPLATES: Final[dict[str, str]] = {
    Action.SUBMIT: "Hồ sơ {code} ({procedure}) đã được tiếp nhận. Hạn trả kết quả: {due}.",
    Action.REQUEST_SUPPLEMENT: "Hồ sơ {code} cần bổ sung: {note}",
    Action.RESUBMIT: "Hồ sơ {code} đã được bổ sung.",
    Action.REFUSE: "Hồ sơ {code} bị từ chối giải quyết. Lý do: {note}",
    Action.ISSUE_RESULT: "Hồ sơ {code} đã có kết quả, có chữ ký số. Công dân tải về tại mục Hồ sơ của tôi.",
    Action.RETURN: "Hồ sơ {code} đã trả kết quả. Mời đánh giá mức độ hài lòng.",
}


@dataclass(frozen=True)
class Message:
    to_phone: str
    to_email: str
    subject: str
    body: str
    reference: str  # what the recipient quotes: a dossier, a petition or a report
    at: str


class Backend(Protocol):
    def send(self, message: Message) -> None: ...


class ConsoleBackend:
    def send(self, message: Message) -> None:
        # The log is not the citizen's to read: the number or address is masked, as for the SMS gateway.
        logger.info("notification to %s: %s", _masked(message.to_phone or message.to_email), message.body)


class FileBackend:
    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, message: Message) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(message), ensure_ascii=False) + "\n")


class EmailBackend:
    def send(self, message: Message) -> None:
        if message.to_email:
            send_mail(message.subject, message.body, None, [message.to_email])


def _masked(phone: str) -> str:
    """A phone number as the log may show it: enough to tell messages apart, not to call anyone."""
    return f"{phone[:3]}…{phone[-3:]}" if len(phone) > 6 else "…"


class SmsBackend:
    """POSTs `{"to", "message", "reference"}` as JSON to an SMS gateway with the deployment's API key.

    Runs after the commit, outside the request's transaction: a gateway that is down, slow or refusing is logged
    for the operator and never turns the citizen's or officer's completed step into an error page."""

    API_KEY_HEADER: Final = "X-Api-Key"

    def __init__(self, url: str, api_key: str, *, timeout: float) -> None:
        self.url, self.api_key, self.timeout = url, api_key, timeout

    def send(self, message: Message) -> None:
        if not message.to_phone:
            logger.info("SMS for %s not sent: no phone number", message.reference)
            return
        if not self.url:
            logger.error("SMS for %s not sent: SMS_GATEWAY_URL is not set", message.reference)
            return
        payload = {"to": message.to_phone, "message": message.body, "reference": message.reference}
        try:
            response = requests.post(
                self.url, json=payload, headers={self.API_KEY_HEADER: self.api_key}, timeout=self.timeout
            )
        except requests.RequestException as exc:
            logger.error("SMS to %s for %s failed: %s", _masked(message.to_phone), message.reference, exc)
            return
        if response.status_code >= 300:
            logger.error(
                "SMS to %s for %s refused by the gateway: HTTP %s",
                _masked(message.to_phone), message.reference, response.status_code,
            )  # fmt: skip


def backend() -> Backend:
    name = getattr(settings, "NOTIFICATIONS_BACKEND", "console")
    if name == "sms":
        return SmsBackend(settings.SMS_GATEWAY_URL, settings.SMS_API_KEY, timeout=settings.SMS_TIMEOUT)
    if name == "file":
        return FileBackend(Path(settings.NOTIFICATIONS_FILE))
    if name == "email":
        return EmailBackend()
    return ConsoleBackend()


def dossier_message(dossier: Dossier, action: str, note: str = "") -> Message | None:
    template = TEMPLATES.get(action)
    if template is None:
        return None
    due = dossier.due_on.strftime("%d/%m/%Y") if dossier.due_on else "—"
    account = User.objects.filter(person_id=dossier.applicant_id, kind=User.Kind.CITIZEN).first()
    return Message(
        to_phone=dossier.applicant.phone,
        to_email=account.email if account else "",
        subject=f"Hồ sơ {dossier.code}",
        body=template.format(code=dossier.code, procedure=dossier.procedure.name, due=due, note=note),
        reference=dossier.code,
        at=timezone.now().isoformat(),
    )


def dossier_notify(dossier: Dossier, action: str, note: str = "") -> None:
    """Queue the applicant's message for `action` (none for steps that concern only officers)."""
    message = dossier_message(dossier, action, note)
    if message is not None:
        transaction.on_commit(lambda: backend().send(message))
