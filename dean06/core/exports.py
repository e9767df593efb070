"""Spreadsheet-safe cell text, shared by every export (CSV injection, OWASP): a cell that a spreadsheet would run
as a formula gets a leading apostrophe. Pure Python, no Django."""

from __future__ import annotations

from typing import Final

BOM: Final = "\ufeff"
FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """The value as text, with a leading apostrophe if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
