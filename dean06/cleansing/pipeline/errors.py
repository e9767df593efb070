"""Errors the pipeline reports to the user, in Vietnamese and English."""

from __future__ import annotations


class ReadError(Exception):
    """A sector file that cannot be read; `str()` gives the Vietnamese message shown to officers."""

    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en
