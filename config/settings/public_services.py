"""Public services (issue #5): how applicants are notified."""

from __future__ import annotations

from pathlib import Path

# console (the log) | file (JSON lines at NOTIFICATIONS_FILE) | email (Django mail to the citizen account)
NOTIFICATIONS_BACKEND = "console"
NOTIFICATIONS_FILE = str(Path(__file__).resolve().parents[2] / "var" / "notifications.jsonl")
