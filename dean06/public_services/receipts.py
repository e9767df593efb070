"""What the applicant is handed: the tracking QR on the receipt, and the apology letter for a late dossier
(Decision 766 counts lateness; Decree 61/2018, Art. 19, requires a written apology with a new appointment)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

import segno
from django.utils import timezone

from dean06.public_services.calendar import add_working_days, working_days_between
from dean06.public_services.models import Dossier

NEW_APPOINTMENT_WORKING_DAYS: Final = 2  # how far the letter's new appointment lies; the officer may agree another


def qr_svg(text: str) -> str:
    """An inline SVG QR code (no file, no external service)."""
    return segno.make(text, error="m").svg_inline(scale=4, border=2)


@dataclass(frozen=True)
class ApologyLetter:
    dated: date
    recipient: str
    dossier_code: str
    procedure: str
    due_on: date
    days_late: int
    new_appointment: date
    agency: str


def apology_letter(dossier: Dossier, today: date | None = None) -> ApologyLetter | None:
    """The letter's content, or None when the dossier is not late."""
    today = today or timezone.localdate()
    if dossier.due_on is None:
        return None
    finished = timezone.localdate(dossier.finished_at) if dossier.finished_at else today
    if finished <= dossier.due_on:
        return None
    return ApologyLetter(
        dated=today,
        recipient=dossier.applicant.full_name,
        dossier_code=dossier.code,
        procedure=dossier.procedure.name,
        due_on=dossier.due_on,
        days_late=working_days_between(dossier.due_on, finished),
        new_appointment=add_working_days(today, NEW_APPOINTMENT_WORKING_DAYS),
        agency=dossier.procedure.agency,
    )
