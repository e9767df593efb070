"""From verified ID token claims to who logged in and at which level. Pure: no I/O, no Django models.

Claim names are the national portal's ("vnconnect" attributes, docs/eid.md):
- personal ID: `SoDinhDanh`, else `preferred_username` (the national Keycloak realm puts the 12-digit ID there);
- full name: `HoVaTen`, else `name`;
- date of birth: `NgayThangNamSinh` as yyyymmdd (dd/mm/yyyy and yyyy-mm-dd are accepted too);
- assurance level: `acr` — "LoA1"/"1"/"level1" → 1, "LoA2"/"2"/"level2" → 2 (case and spaces ignored);
  a missing or unknown `acr` counts as level 1, the lowest any e-ID account has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

PERSONAL_ID = re.compile(r"^\d{12}$")
LEVEL_1 = 1
LEVEL_2 = 2

# acr values (lower case, no spaces, dashes or underscores) → level.
ACR_LEVELS: dict[str, int] = {
    "loa1": LEVEL_1,
    "1": LEVEL_1,
    "level1": LEVEL_1,
    "muc1": LEVEL_1,
    "loa2": LEVEL_2,
    "2": LEVEL_2,
    "level2": LEVEL_2,
    "muc2": LEVEL_2,
}


class ClaimsError(ValueError):
    """The provider's claims do not identify a citizen (no valid 12-digit personal ID)."""


@dataclass(frozen=True)
class EidIdentity:
    """A citizen as the e-ID provider asserts them."""

    personal_id: str
    full_name: str
    date_of_birth: date | None
    level: int
    acr: str
    subject: str
    warnings: list[str] = field(default_factory=list)


def level_from_acr(acr: object) -> int:
    """The e-ID level for an `acr` claim; missing or unknown values give level 1."""
    if not isinstance(acr, str | int):
        return LEVEL_1
    key = re.sub(r"[\s_\-]", "", str(acr)).lower()
    return ACR_LEVELS.get(key, LEVEL_1)


def parse_birth_date(value: object) -> date | None:
    """`NgayThangNamSinh`: yyyymmdd as the national portal sends it; dd/mm/yyyy and ISO dates also accepted."""
    if not isinstance(value, str | int):
        return None
    text = str(value).strip()
    for layout in ("%Y%m%d", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, layout).date()  # noqa: DTZ007  a calendar date, no time zone
        except ValueError:
            continue
    return None


def _text(claims: dict[str, Any], *names: str) -> str:
    for name in names:
        value = claims.get(name)
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()
    return ""


def identity_from_claims(claims: dict[str, Any]) -> EidIdentity:
    """Map the verified claims; ClaimsError when no 12-digit personal ID is present."""
    personal_id = _text(claims, "SoDinhDanh", "preferred_username")
    if not PERSONAL_ID.fullmatch(personal_id):
        raise ClaimsError(f"no 12-digit personal ID in SoDinhDanh/preferred_username: {personal_id!r}")
    warnings = []
    raw_birth = _text(claims, "NgayThangNamSinh", "birthdate")
    birth = parse_birth_date(raw_birth)
    if raw_birth and birth is None:
        warnings.append("birth_date_unreadable")
    acr = _text(claims, "acr")
    return EidIdentity(
        personal_id=personal_id,
        full_name=_text(claims, "HoVaTen", "name"),
        date_of_birth=birth,
        level=level_from_acr(acr),
        acr=acr,
        subject=_text(claims, "sub"),
        warnings=warnings,
    )
