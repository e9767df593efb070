"""Helpers shared by the `dean06` commands: Vietnamese in and out under any locale."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Mapping

from django.core.management.base import OutputWrapper


def argv_text(text: str) -> str:
    """Under a C/POSIX locale Python decodes UTF-8 arguments as ASCII with surrogate escapes: undo that."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", errors="replace")
    return text


def utf8_stdout() -> None:
    """Vietnamese must print even when the locale is not UTF-8."""
    if isinstance(sys.stdout, io.TextIOWrapper) and sys.stdout.encoding.lower().replace("-", "") != "utf8":
        sys.stdout.reconfigure(encoding="utf-8")


def write_json(stdout: OutputWrapper, value: Mapping[str, object]) -> None:
    """Vietnamese JSON (not \\u escapes), printable under any locale."""
    utf8_stdout()
    stdout.write(json.dumps(value, ensure_ascii=False, indent=2))
