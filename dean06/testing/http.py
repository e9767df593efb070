"""Reading test-client responses."""

from __future__ import annotations

from django.http import HttpResponseBase


def body_of(response: HttpResponseBase) -> bytes:
    """The whole body, streamed or not. A streamed response is closed here: left open, it would be closed when
    garbage-collected, firing request_finished (and a database check) in whichever test runs then."""
    if not response.streaming:
        return response.content  # type: ignore[attr-defined, no-any-return]
    try:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    finally:
        response.close()
