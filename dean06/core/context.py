"""Per-request context that services read without threading it through every call."""

from __future__ import annotations

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("dean06_request_id", default="")
