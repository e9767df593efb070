"""Reading test-client responses."""

from __future__ import annotations

from django.http import HttpResponseBase


def body_of(response: HttpResponseBase) -> bytes:
    """The whole body, streamed or not. Reading a streamed response to its end lets the test client close it
    (with its connection handling); closing it again here would close the test's database connection."""
    if not response.streaming:
        return response.content  # type: ignore[attr-defined, no-any-return]
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]
