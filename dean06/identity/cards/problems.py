"""A problem found in an ID number or a card QR code, named in Vietnamese and English (no Django here).

The pure modules return both texts; the Django layer shows the one of the active language.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    code: str  # stable, for programs and tests: "gender_mismatch"
    message_vi: str
    message_en: str

    def message(self, language: str) -> str:
        return self.message_en if language.startswith("en") else self.message_vi
