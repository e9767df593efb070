"""Rules of the 12-digit personal ID number and the old 9-digit CMND number (no Django here).

A personal ID (Decree 137/2015 Art. 13, Circular 59/2021 Art. 4) is: 3 digits for the province (or country)
where the birth was registered, 1 digit for gender and century, 2 digits for the birth year, 6 random digits.
There is no check digit. A 12-digit CMND kept its number when the holder got a CCCD, so a 12-digit number is
checked as a personal ID. The 2-digit prefix table of the 9-digit CMND is not published: only its shape is
checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Final, Literal

from dean06.identity.cards.problems import Problem
from dean06.identity.cards.provinces import BIRTH_PROVINCES
from dean06.text import fold

Gender = Literal["Nam", "Nữ"]
IdKind = Literal["personal_id", "old_id_9", "invalid"]

PERSONAL_ID_LENGTH: Final = 12
OLD_ID_LENGTH: Final = 9
_VIETNAM: Final = timezone(timedelta(hours=7), "ICT")  # no daylight saving time
_FULL_WIDTH_DIGITS: Final = str.maketrans({chr(0xFF10 + d): str(d) for d in range(10)})  # East Asian input methods
# Spaces (any width), dots and dashes, full-width ones included.
_SEPARATORS: Final = re.compile(r"[\s.\-\u2010-\u2015\u2212\uff0d\uff0e]+")
# Excel shows an ID typed as a number without its leading zeros: 084085… → 84085…, 001098… → 1098….
_ZEROS_LOST: Final = {11: PERSONAL_ID_LENGTH, 10: PERSONAL_ID_LENGTH, 8: OLD_ID_LENGTH}
_GENDERS: Final[dict[str, Gender]] = {"nam": "Nam", "nu": "Nữ"}
_GENDER_EN: Final[dict[Gender, str]] = {"Nam": "male", "Nữ": "female"}


def today_in_vietnam() -> date:
    return datetime.now(_VIETNAM).date()


def parse_gender(text: str) -> Gender | None:
    """Nam or Nữ, typed in any case and with or without diacritics ("NỮ", "nu"); None for anything else."""
    return _GENDERS.get(fold(text))


@dataclass(frozen=True)
class Normalized:
    """Typed input reduced to digits, with the kind of number its length suggests."""

    digits: str
    kind: IdKind
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class IdCheck:
    """The verdict on one number; the fields read from a personal ID are set even when it has errors."""

    input: str
    normalized: str
    kind: IdKind
    province_code: str | None = None
    province_name: str | None = None
    gender: Gender | None = None
    century: int | None = None
    birth_year_2: str | None = None
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.errors


def normalize_id(text: str) -> Normalized:
    """Digits of a typed number without spaces, dots, dashes or full-width forms; restores zeros Excel lost."""
    digits = _SEPARATORS.sub("", text.translate(_FULL_WIDTH_DIGITS))
    if not digits:
        return Normalized("", "invalid", (Problem("empty", "Chưa nhập số.", "No number was given."),))
    if not (digits.isascii() and digits.isdigit()):
        found = ", ".join(f"“{ch}”" for ch in dict.fromkeys(ch for ch in digits if ch not in "0123456789"))
        return Normalized(
            digits,
            "invalid",
            (
                Problem(
                    "invalid_characters",
                    f"Số chỉ gồm chữ số; có ký tự không phải chữ số: {found}.",
                    f"An ID number has digits only; found: {found}.",
                ),
            ),
        )
    warnings: tuple[Problem, ...] = ()
    if len(digits) in _ZEROS_LOST and not digits.startswith("0"):
        digits, warnings = _restore_zeros(digits)
    if len(digits) == PERSONAL_ID_LENGTH:
        return Normalized(digits, "personal_id", (), warnings)
    if len(digits) == OLD_ID_LENGTH:
        return Normalized(digits, "old_id_9", (), warnings)
    wrong_length = Problem(
        "wrong_length",
        f"Số có {len(digits)} chữ số; số định danh cá nhân có 12 chữ số, số CMND cũ có 9 chữ số.",
        f"The number has {len(digits)} digits; a personal ID number has 12, an old ID card (CMND) number 9.",
    )
    return Normalized(digits, "invalid", (wrong_length,))


def _restore_zeros(digits: str) -> tuple[str, tuple[Problem, ...]]:
    candidate = digits.zfill(_ZEROS_LOST[len(digits)])
    lost = len(candidate) - len(digits)
    warning = Problem(
        "leading_zero_restored",
        f"Số có {len(digits)} chữ số, có lẽ đã mất {lost} số 0 ở đầu (ví dụ khi mở bằng Excel); đã kiểm tra số "
        f"{candidate}.",
        f"The number has {len(digits)} digits; {lost} leading zero(s) were probably lost (e.g. by Excel); "
        f"checked {candidate} instead.",
    )
    return candidate, (warning,)


def check_id(
    text: str, *, date_of_birth: date | None = None, gender: Gender | None = None, today: date | None = None
) -> IdCheck:
    """Check a typed personal ID or CMND number, and cross-check it with a date of birth and gender if given."""
    normalized = normalize_id(text)
    if normalized.kind == "invalid":
        return IdCheck(text, normalized.digits, "invalid", errors=normalized.errors)
    if normalized.kind == "old_id_9":
        warnings = normalized.warnings
        if date_of_birth is not None or gender is not None:
            warnings += (
                Problem(
                    "cross_check_unavailable",
                    "Số CMND 9 số không chứa năm sinh và giới tính nên không đối chiếu được.",
                    "A 9-digit CMND number encodes neither birth year nor gender, so they cannot be cross-checked.",
                ),
            )
        return IdCheck(text, normalized.digits, "old_id_9", warnings=warnings)
    return _check_personal_id(text, normalized, date_of_birth, gender, today or today_in_vietnam())


def _check_personal_id(
    text: str, normalized: Normalized, date_of_birth: date | None, gender: Gender | None, today: date
) -> IdCheck:
    digits = normalized.digits
    province_code, century_digit, year_2 = digits[:3], int(digits[3]), digits[4:6]
    id_gender: Gender = "Nữ" if century_digit % 2 else "Nam"  # even male, odd female
    century = 1900 + 100 * (century_digit // 2)  # 0/1 → 1900s, 2/3 → 2000s, 4/5 → 2100s …
    year = century + int(year_2)
    errors: list[Problem] = []
    if province_code not in BIRTH_PROVINCES:
        errors.append(
            Problem(
                "province_code_unknown",
                f"Ba chữ số đầu “{province_code}”: mã tỉnh nơi đăng ký khai sinh không hợp lệ.",
                f"First three digits “{province_code}”: not a valid code of the province where the birth was "
                "registered.",
            )
        )
    if year > today.year:
        errors.append(
            Problem(
                "birth_year_future",
                f"Chữ số thứ 4 “{century_digit}” và chữ số 5–6 “{year_2}” cho năm sinh {year}, sau năm hiện tại "
                f"({today.year}).",
                f"The 4th digit “{century_digit}” and digits 5–6 “{year_2}” give the birth year {year}, after the "
                f"current year ({today.year}).",
            )
        )
    if date_of_birth is not None and date_of_birth.year != year:
        errors.append(
            Problem(
                "birth_year_mismatch",
                f"Số định danh cho năm sinh {year} (chữ số thứ 4 “{century_digit}”, chữ số 5–6 “{year_2}”), nhưng "
                f"ngày sinh là {date_of_birth:%d/%m/%Y}.",
                f"The ID gives the birth year {year} (4th digit “{century_digit}”, digits 5–6 “{year_2}”), but the "
                f"date of birth is {date_of_birth:%d/%m/%Y}.",
            )
        )
    if gender is not None and gender != id_gender:
        errors.append(
            Problem(
                "gender_mismatch",
                f"Chữ số thứ 4 “{century_digit}” là của giới tính {id_gender}, nhưng giới tính ghi là {gender}.",
                f"The 4th digit “{century_digit}” means {_GENDER_EN[id_gender]}, but the gender given is "
                f"{_GENDER_EN[gender]} ({gender}).",
            )
        )
    return IdCheck(
        text,
        digits,
        "personal_id",
        province_code=province_code,
        province_name=BIRTH_PROVINCES.get(province_code),
        gender=id_gender,
        century=century,
        birth_year_2=year_2,
        errors=tuple(errors),
        warnings=normalized.warnings,
    )
