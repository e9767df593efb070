"""Vietnamese column headers of sector lists → canonical `Field`s (exact match after folding)."""

from __future__ import annotations

import re
from typing import Final

from dean06.cleansing.pipeline.schema import Field
from dean06.text import fold

SERIAL: Final = "serial"  # the "STT" column: a running number, not a person field

_ALIASES: Final[dict[Field | str, tuple[str, ...]]] = {
    Field.FULL_NAME: ("Họ và tên", "Họ tên", "Tên", "Họ và tên công dân"),
    Field.DATE_OF_BIRTH: ("Ngày sinh", "Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "NS"),
    Field.PERSONAL_ID: ("Số CCCD", "Số CCCD/CMND", "Số định danh", "Số định danh cá nhân", "Số ĐDCN", "CCCD"),
    Field.OLD_ID: ("CMND", "Số CMND"),
    Field.GENDER: ("Giới tính", "GT", "Nam/Nữ"),
    Field.ADDRESS: ("Địa chỉ", "Thường trú", "Nơi thường trú", "Địa chỉ thường trú"),
    Field.COMMUNE: ("Xã", "Phường", "Xã/Phường", "Xã, phường"),
    Field.HAMLET: ("Ấp", "Khóm", "Ấp/Khóm", "Thôn"),
    Field.PHONE: ("Số điện thoại", "SĐT", "Điện thoại"),
    Field.SOCIAL_INSURANCE_NO: ("Mã số BHXH", "Số BHXH", "Mã BHXH"),
    Field.BANK_ACCOUNT: ("Số tài khoản", "STK"),
    SERIAL: ("STT", "TT", "Số TT", "Số thứ tự"),
}

_PARENTHESISED = re.compile(r"\([^)]*\)")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def header_key(text: str) -> str:
    """Comparison key of a header cell: folded, "(…)" notes and punctuation dropped.

    "Số CCCD/CMND (*)" → "so cccd cmnd"."""
    return _NON_ALNUM.sub(" ", fold(_PARENTHESISED.sub(" ", text))).strip()


_BY_KEY: Final = {header_key(alias): target for target, aliases in _ALIASES.items() for alias in aliases}


def match_header(text: str) -> Field | str | None:
    """The `Field` a header cell names, `SERIAL` for the running-number column, or None."""
    return _BY_KEY.get(header_key(text)) if text else None
