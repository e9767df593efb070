"""Telling the applicant what happened to their dossier (received, supplement requested, result ready …).

A backend sends each message: `console` (the log, the default), `file` (JSON lines appended to a file, for a
SANDBOX outbox or an operator to forward) or `email` (Django's mail, to the citizen account's address). Chosen by
the setting NOTIFICATIONS_BACKEND; sent after the transaction commits, so a rolled-back step tells nobody.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final, Protocol

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
    dossier: str
    at: str


class Backend(Protocol):
    def send(self, message: Message) -> None: ...


class ConsoleBackend:
    def send(self, message: Message) -> None:
        logger.info("notification to %s: %s", message.to_phone or message.to_email or "?", message.body)


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


def backend() -> Backend:
    name = getattr(settings, "NOTIFICATIONS_BACKEND", "console")
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
        dossier=dossier.code,
        at=timezone.now().isoformat(),
    )


def dossier_notify(dossier: Dossier, action: str, note: str = "") -> None:
    """Queue the applicant's message for `action` (none for steps that concern only officers)."""
    message = dossier_message(dossier, action, note)
    if message is not None:
        transaction.on_commit(lambda: backend().send(message))
