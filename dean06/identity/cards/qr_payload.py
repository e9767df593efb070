"""Parse the text of the QR code on a chip ID card (CCCD) or căn cước card (no Django here).

Layout: `ID|OLD_ID|FULL NAME|DDMMYYYY|Nam or Nữ|ADDRESS|DDMMYYYY` (birth date, then issue date); the old
9-digit CMND is often empty. Variants handled: 6 fields without the old ID; an 8th field (expiry, unconfirmed
on real cards: ignored with a warning); CR/LF and a byte-order mark from USB scanners; NFD text; mojibake from
decoders that used the wrong character set. Impossible dates are rejected, never rolled over (31022000).

Anything malformed is an error and no card is returned. The card is the state's document, so where its ID's
digits disagree with its gender or birth year (or use an unlisted province code) that is a warning only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Final

from dean06.identity.cards.idnumbers import (
    OLD_ID_LENGTH,
    PERSONAL_ID_LENGTH,
    Gender,
    check_id,
    parse_gender,
    today_in_vietnam,
)
from dean06.identity.cards.mojibake import repair_mojibake
from dean06.identity.cards.problems import Problem
from dean06.text import nfc

FIELDS: Final = 7
SEPARATOR: Final = "|"
MAX_LENGTH: Final = 2000  # for input limits: a card payload is about 150 characters
_DDMMYYYY: Final = re.compile(r"[0-9]{8}")
_SURROGATES: Final = re.compile("[\ud800-\udfff]")  # e.g. from json.loads of "\\ud800"; unwritable as UTF-8
_SHOWN: Final = 40  # characters of a bad value quoted back in a message


@dataclass(frozen=True)
class CardPayload:
    personal_id: str
    old_id: str | None
    full_name: str
    date_of_birth: date
    gender: Gender
    address: str
    issue_date: date


@dataclass(frozen=True)
class PayloadParse:
    """The card read from a payload (None when it has errors), with what was noticed on the way."""

    card: CardPayload | None
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.card is not None


@dataclass(frozen=True)
class _DateField:
    code: str
    label_vi: str
    label_en: str


_BIRTH: Final = _DateField("date_of_birth", "Ngày sinh", "The date of birth")
_ISSUE: Final = _DateField("issue_date", "Ngày cấp", "The issue date")


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN else value[:_SHOWN] + "…"


def _digits(value: str, length: int) -> bool:
    return len(value) == length and value.isascii() and value.isdigit()


def parse_payload(text: str, *, today: date | None = None) -> PayloadParse:
    """Read a card payload as a scanner or decoder delivered it."""
    text = text.lstrip("\ufeff").strip()  # scanners end with CR or CR LF; some decoders keep a BOM
    text = _SURROGATES.sub("\ufffd", text)
    if not text:
        return PayloadParse(None, (Problem("empty", "Mã QR không có nội dung.", "The QR code is empty."),))
    warnings: list[Problem] = []
    repaired = repair_mojibake(text)
    if repaired is not None:
        text = repaired
        warnings.append(
            Problem(
                "encoding_repaired",
                "Chữ tiếng Việt bị đọc sai bảng mã (lỗi của phần mềm giải mã); đã khôi phục.",
                "The Vietnamese text had been decoded with the wrong character set (a decoder fault); restored.",
            )
        )
    fields = [nfc(f) for f in unicodedata.normalize("NFC", text).split(SEPARATOR)]
    if len(fields) == FIELDS - 1:
        fields.insert(1, "")
        warnings.append(
            Problem(
                "six_fields",
                "Mã QR có 6 trường, không có trường số CMND cũ; đã đọc theo bố cục đó.",
                "The QR code has 6 fields, without the old ID number field; read in that layout.",
            )
        )
    elif len(fields) == FIELDS + 1:
        warnings.append(
            Problem(
                "extra_field",
                f"Mã QR có trường thứ 8 “{_shown(fields.pop())}” (có thể là ngày hết hạn), chưa được xác nhận trên "
                "thẻ thật; đã bỏ qua.",
                "The QR code has an 8th field (perhaps the expiry date), not confirmed on real cards; ignored.",
            )
        )
    elif len(fields) != FIELDS:
        return PayloadParse(
            None,
            (
                Problem(
                    "field_count",
                    f"Mã QR có {len(fields)} trường; mã QR trên thẻ căn cước có 7 trường ngăn cách bởi dấu “|”.",
                    f"The QR code has {len(fields)} fields; an ID card's QR code has 7, separated by “|”.",
                ),
            ),
            tuple(warnings),
        )
    return _read_fields(fields, warnings, today or today_in_vietnam())


def _read_fields(fields: list[str], warnings: list[Problem], today: date) -> PayloadParse:
    personal_id, old_id, full_name, birth_text, gender_text, address, issue_text = fields
    errors: list[Problem] = []
    if not _digits(personal_id, PERSONAL_ID_LENGTH):
        errors.append(
            Problem(
                "personal_id_format",
                f"Trường 1 (số định danh cá nhân) phải có đúng 12 chữ số, nhưng là “{_shown(personal_id)}”.",
                "Field 1 (personal ID number) must be exactly 12 digits.",
            )
        )
    if old_id and not _digits(old_id, OLD_ID_LENGTH):
        errors.append(
            Problem(
                "old_id_format",
                f"Trường 2 (số CMND cũ) phải trống hoặc có đúng 9 chữ số, nhưng là “{_shown(old_id)}”.",
                "Field 2 (old ID card number) must be empty or exactly 9 digits.",
            )
        )
    if not full_name:
        errors.append(Problem("full_name_empty", "Trường họ và tên bị trống.", "The full name field is empty."))
    date_of_birth = _read_date(birth_text, _BIRTH, today, errors)
    gender = parse_gender(gender_text)
    if gender is None:
        errors.append(
            Problem(
                "gender_unknown",
                f"Trường giới tính phải là Nam hoặc Nữ, nhưng là “{_shown(gender_text)}”.",
                "The gender field must be Nam (male) or Nữ (female).",
            )
        )
    if not address:
        errors.append(Problem("address_empty", "Trường nơi thường trú bị trống.", "The address field is empty."))
    issue_date = _read_date(issue_text, _ISSUE, today, errors)
    if date_of_birth and issue_date and issue_date < date_of_birth:
        errors.append(
            Problem(
                "issue_before_birth",
                "Ngày cấp thẻ trước ngày sinh.",
                "The issue date is before the date of birth.",
            )
        )
    if errors or date_of_birth is None or gender is None or issue_date is None:
        return PayloadParse(None, tuple(errors), tuple(warnings))
    check = check_id(personal_id, date_of_birth=date_of_birth, gender=gender, today=today)
    card = CardPayload(personal_id, old_id or None, full_name, date_of_birth, gender, address, issue_date)
    return PayloadParse(card, (), (*warnings, *check.errors, *check.warnings))


def _read_date(value: str, which: _DateField, today: date, errors: list[Problem]) -> date | None:
    """A `ddmmyyyy` date; an impossible or future one is an error (appended), not rolled over."""
    if not _DDMMYYYY.fullmatch(value):
        errors.append(
            Problem(
                f"{which.code}_format",
                f"{which.label_vi} phải có dạng ngày tháng năm liền nhau (ddmmyyyy), nhưng là “{_shown(value)}”.",
                f"{which.label_en} must be written ddmmyyyy (8 digits, no separators).",
            )
        )
        return None
    try:
        found = date(int(value[4:]), int(value[2:4]), int(value[:2]))
    except ValueError:
        errors.append(
            Problem(
                f"{which.code}_impossible",
                f"{which.label_vi} “{value}” không có trên lịch (ngày {value[:2]}/{value[2:4]}/{value[4:]}).",
                f"{which.label_en} “{value}” does not exist ({value[:2]}/{value[2:4]}/{value[4:]}).",
            )
        )
        return None
    if found > today:
        errors.append(
            Problem(
                f"{which.code}_future",
                f"{which.label_vi} {found:%d/%m/%Y} ở sau ngày hôm nay.",
                f"{which.label_en} {found:%d/%m/%Y} is after today.",
            )
        )
        return None
    return found
