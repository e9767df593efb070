"""The SANDBOX SMS gateway under /sandbox/sms/ (namespace `sms_sandbox`; 404 unless DEAN06_SANDBOX): it accepts
the messages dean06's `sms` notification backend posts, as a telecom's SMS gateway would, and instead of sending
them keeps them in a JSON-lines file (settings.SMS_SANDBOX_OUTBOX) that its outbox page shows, so that a demo can
read the SMS a citizen would receive. No database table: the stand-in owns nothing of dean06's.

Protocol (docs/public-services.md, "Notifications"): `POST /sandbox/sms/messages` with header `X-Api-Key` and body
`{"to": "0912345678", "message": "…", "reference": "PA-…"}` → 200 `{"sandbox": true, "id": "…", "status":
"accepted"}`; 401 wrong or missing key; 400 a body that is not that JSON. Every answer carries
`X-Dean06-Sandbox: true`.

Included from config/urls.py with `path("sandbox/sms/", include("dean06.public_services.sandbox_sms"))`.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import uuid
from collections import deque
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from dean06.identity.eid.sandbox_idp.views import sandbox_only

logger = logging.getLogger(__name__)

API_KEY_HEADER: Final = "X-Api-Key"
SANDBOX_HEADER: Final = "X-Dean06-Sandbox"
MESSAGE_MAX: Final = 1600  # ten concatenated SMS segments; a longer text is a caller's bug
OUTBOX_SHOWN: Final = 100
_PHONE: Final = re.compile(r"\+?\d{9,15}")


# --- the outbox file -------------------------------------------------------------------------------------------------


def _outbox() -> Path:
    return Path(settings.SMS_SANDBOX_OUTBOX)


def outbox_append(to: str, message: str, reference: str) -> dict[str, str]:
    """Keep one "delivered" message. One short line written in append mode: concurrent writers do not interleave."""
    record = {
        "id": uuid.uuid4().hex[:12],
        "at": timezone.now().isoformat(),
        "to": to,
        "message": message,
        "reference": reference,
    }
    path = _outbox()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return record


def outbox_read(*, to: str = "", limit: int = OUTBOX_SHOWN) -> list[dict[str, str]]:
    """The latest messages (to one number, if given), newest first; damaged lines are skipped."""
    path = _outbox()
    if not path.exists():
        return []
    latest: deque[dict[str, str]] = deque(maxlen=limit)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and (not to or record.get("to") == to):
                latest.append(record)
    return list(reversed(latest))


# --- the gateway -----------------------------------------------------------------------------------------------------


def _answer(body: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse({"sandbox": True, **body}, status=status)
    response[SANDBOX_HEADER] = "true"
    return response


def _key_ok(request: HttpRequest) -> bool:
    expected = settings.SMS_SANDBOX_API_KEY
    given = request.headers.get(API_KEY_HEADER, "")
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())  # empty key: refuse all


def _parse(raw: bytes) -> tuple[str, str, str] | None:
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    to, message, reference = data.get("to"), data.get("message"), data.get("reference", "")
    if not (isinstance(to, str) and isinstance(message, str) and isinstance(reference, str)):
        return None
    to = re.sub(r"[\s.-]", "", to)
    if not _PHONE.fullmatch(to) or not message.strip() or len(message) > MESSAGE_MAX or len(reference) > 40:
        return None
    return to, message, reference


@csrf_exempt  # server to server, authenticated by the API key
@require_POST
def sandbox_sms_send(request: HttpRequest) -> HttpResponse:
    if not _key_ok(request):
        return _answer({"detail": "invalid API key"}, 401)
    parsed = _parse(request.body)
    if parsed is None:
        return _answer({"detail": 'expected {"to": phone, "message": text, "reference": text}'}, 400)
    record = outbox_append(*parsed)
    logger.info("SANDBOX SMS %s accepted for %s", record["id"], record["reference"] or "-")
    return _answer({"id": record["id"], "status": "accepted"})


@never_cache
@require_GET
def sandbox_sms_outbox(request: HttpRequest) -> HttpResponse:
    """What the citizens' phones would show, newest first; `?so=` narrows to one number."""
    to = re.sub(r"[\s.-]", "", request.GET.get("so", ""))[:16]
    shown = [{**m, "sent_at": parse_datetime(m.get("at", ""))} for m in outbox_read(to=to)]
    context = {"messages_sent": shown, "to": to, "shown": OUTBOX_SHOWN}
    response = render(request, "public_services/sms/sandbox_outbox.html", context)
    response[SANDBOX_HEADER] = "true"
    return response


app_name = "sms_sandbox"
urlpatterns: list[URLPattern] = [
    path("", sandbox_only(sandbox_sms_outbox), name="outbox"),
    path("messages", sandbox_only(sandbox_sms_send), name="send"),
]
