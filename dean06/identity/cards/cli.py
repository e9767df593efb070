"""Helpers of the `dean06 id` and `dean06 qr` commands: Vietnamese in and out under any locale."""

from __future__ import annotations

from argparse import ArgumentTypeError
from datetime import date

from dean06.core.cli import argv_text
from dean06.identity.cards.idnumbers import Gender, parse_gender


def gender_argument(text: str) -> Gender:
    gender = parse_gender(argv_text(text))
    if gender is None:
        raise ArgumentTypeError(f"“{text}”: phải là Nam hoặc Nữ / must be Nam or Nữ")
    return gender


def date_argument(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"“{text}”: không phải ngày dạng YYYY-MM-DD / not a YYYY-MM-DD date") from None
