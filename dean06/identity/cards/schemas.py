"""The JSON shapes of an ID check and a card reading, shared by the CLI and the API.

Problems carry one `message`, in the active language (Vietnamese unless the user switched to English; the
CLI always speaks Vietnamese), beside a stable `code`.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict

from django.utils import translation

from dean06.identity.cards.idnumbers import Gender, IdCheck, IdKind
from dean06.identity.cards.problems import Problem
from dean06.identity.cards.selectors import CardReading
from dean06.registry.units.resolver import CommuneDict, Resolution, Status


class ProblemDict(TypedDict):
    code: str
    message: str


class IdCheckDict(TypedDict):
    input: str
    normalized: str
    kind: IdKind
    valid: bool
    province_code: str | None
    province_name: str | None
    gender: Gender | None
    century: int | None
    birth_year_2: str | None
    errors: list[ProblemDict]
    warnings: list[ProblemDict]


class CardCommuneDict(TypedDict):
    status: Status
    communes: list[CommuneDict]
    message: str


class CardReadingDict(TypedDict):
    ok: bool
    personal_id: str | None
    old_id: str | None
    full_name: str | None
    date_of_birth: str | None  # YYYY-MM-DD
    gender: Gender | None
    address: str | None
    issue_date: str | None
    commune: CardCommuneDict | None
    warnings: list[ProblemDict]
    errors: list[ProblemDict]
    decoded: NotRequired[bool]  # images only: whether a QR code was found


def _language() -> str:
    return translation.get_language() or "vi"


def _problem_dicts(problems: tuple[Problem, ...]) -> list[ProblemDict]:
    language = _language()
    return [{"code": p.code, "message": p.message(language)} for p in problems]


def id_check_dict(check: IdCheck) -> IdCheckDict:
    return {
        "input": check.input,
        "normalized": check.normalized,
        "kind": check.kind,
        "valid": check.valid,
        "province_code": check.province_code,
        "province_name": check.province_name,
        "gender": check.gender,
        "century": check.century,
        "birth_year_2": check.birth_year_2,
        "errors": _problem_dicts(check.errors),
        "warnings": _problem_dicts(check.warnings),
    }


def _commune_dict(resolution: Resolution) -> CardCommuneDict:
    message = resolution.message_en if _language().startswith("en") else resolution.message_vi
    return {"status": resolution.status, "communes": resolution.as_dict()["communes"], "message": message}


def card_reading_dict(reading: CardReading) -> CardReadingDict:
    card = reading.parse.card
    result: CardReadingDict = {
        "ok": reading.parse.ok,
        "personal_id": card.personal_id if card else None,
        "old_id": card.old_id if card else None,
        "full_name": card.full_name if card else None,
        "date_of_birth": card.date_of_birth.isoformat() if card else None,
        "gender": card.gender if card else None,
        "address": card.address if card else None,
        "issue_date": card.issue_date.isoformat() if card else None,
        "commune": _commune_dict(reading.commune) if reading.commune else None,
        "warnings": _problem_dicts(reading.parse.warnings),
        "errors": _problem_dicts(reading.parse.errors),
    }
    if reading.decoded is not None:
        result["decoded"] = reading.decoded
    return result
