"""Public services (issue #5): how applicants are notified. Values that differ between deployments come from
config.env only (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path

from config import env

_VAR = Path(__file__).resolve().parents[2] / "var"

# console (the log) | file (JSON lines at NOTIFICATIONS_FILE) | email (Django mail to the citizen account)
# | sms (a JSON POST to SMS_GATEWAY_URL with SMS_API_KEY; failures are logged, never raised)
NOTIFICATIONS_BACKEND = env.NOTIFICATIONS_BACKEND.value
NOTIFICATIONS_FILE = str(_VAR / "notifications.jsonl")
SMS_GATEWAY_URL = env.SMS_GATEWAY_URL.value
SMS_API_KEY = env.SMS_API_KEY.value
SMS_TIMEOUT = env.SMS_TIMEOUT.value

# The SANDBOX SMS gateway under /sandbox/sms/ (404 unless DEAN06_SANDBOX): the key it accepts, and the file of the
# messages it "delivered", which its outbox page shows.
SMS_SANDBOX_API_KEY = env.SANDBOX_SMS_API_KEY.value
SMS_SANDBOX_OUTBOX = str(_VAR / "sms-sandbox-outbox.jsonl")
