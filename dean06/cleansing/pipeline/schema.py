"""Canonical columns of a sector dataset as it moves through the pipeline (all names fixed here).

reading → `RAW_*` columns (strings exactly as read, NFC, with the 1-based data row `row`);
normalise → `N_*` columns (typed, canonical) plus `Q_*` quality flags saying how a value was repaired;
registry extract → `REG_*` columns; match/classify → `RESULT_*` columns.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

ROW: Final = "row"  # 1-based data row of the input (header excluded), kept through every step


class Field(StrEnum):
    """The person fields a sector list may carry; header detection maps columns onto these."""

    FULL_NAME = "full_name"
    DATE_OF_BIRTH = "date_of_birth"
    PERSONAL_ID = "personal_id"
    OLD_ID = "old_id"
    GENDER = "gender"
    ADDRESS = "address"
    COMMUNE = "commune"
    HAMLET = "hamlet"
    PHONE = "phone"
    SOCIAL_INSURANCE_NO = "social_insurance_no"
    BANK_ACCOUNT = "bank_account"


# Normalised columns (normalize.py): one per field, same name with an "n_" prefix.
def normalized(field: Field) -> str:
    return f"n_{field.value}"


# Quality flag per normalised field: how the raw value was read (see normalize.Quality).
def quality(field: Field) -> str:
    return f"q_{field.value}"


class RegistryColumn(StrEnum):
    """Columns of the registry extract (Parquet) the matcher reads."""

    PERSON_ID = "reg_person_id"  # database primary key
    PERSONAL_ID = "reg_personal_id"
    OLD_ID = "reg_old_id"
    FULL_NAME = "reg_full_name"  # canonical_tone(NFC)
    NAME_KEY = "reg_name_key"  # fold()
    DATE_OF_BIRTH = "reg_date_of_birth"  # pl.Date
    GENDER = "reg_gender"  # "Nam" | "Nữ"
    COMMUNE_CODE = "reg_commune_code"  # 2025 code
    LEGACY_COMMUNE_CODE = "reg_legacy_commune_code"  # pre-2025 code or null
    STATUS = "reg_status"  # "alive" | "deceased"
    DEATH_DATE = "reg_death_date"


class RowClass(StrEnum):
    """The verdict on a sector row. Precedence when several apply: not_found, duplicate, deceased, fixable, exact;
    ambiguous only when no person can be chosen."""

    EXACT = "exact"
    FIXABLE = "fixable"
    DECEASED = "deceased"
    NOT_FOUND = "not_found"
    DUPLICATE = "duplicate"
    AMBIGUOUS = "ambiguous"


class ResultColumn(StrEnum):
    PERSONAL_ID = "personal_id"  # matched 12-digit ID or null
    CLASS = "class"
    CONFIDENCE = "confidence"  # 0–1
    REASONS = "reasons"  # Vietnamese text naming each disagreeing field
    FIXES = "fixes"  # "field=value;…"
