"""Split a free-text Vietnamese address into segments and read each segment's unit prefix (no Django here).

"Ấp Phú Hòa, X. Long Đức, TP. Trà Vinh" → three segments; the last two carry the prefixes Xã and Thành phố
and the names "Long Đức" and "Trà Vinh". Names become two lookup keys: `key` (canonical tone marks, lower
case: "Hoà" and "Hòa" agree) and `fold_key` (no diacritics), so the resolver can prefer exact spellings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from dean06.text import canonical_tone, fold, nfc

PROVINCE: Final = "province"
DISTRICT: Final = "district"
COMMUNE: Final = "commune"
ALL_LEVELS: Final = frozenset({PROVINCE, DISTRICT, COMMUNE})


@dataclass(frozen=True)
class Prefix:
    """A unit-type word ("Phường", "TP."): the levels it can name and the official kinds it spells exactly."""

    label: str
    levels: frozenset[str]
    kinds: frozenset[str]


def _prefix(label: str, levels: set[str], kinds: set[str]) -> Prefix:
    return Prefix(label, frozenset(levels), frozenset(kinds))


# Keyed by the folded word; the value also records the word with its diacritics (see `_prefix_at`).
_WORDS: Final[dict[str, tuple[str, Prefix]]] = {
    "thanh pho": ("thành phố", _prefix("Thành phố", {DISTRICT, PROVINCE}, {"thành phố", "thành phố trung ương"})),
    "thi tran": ("thị trấn", _prefix("Thị trấn", {COMMUNE}, {"thị trấn"})),
    "thi xa": ("thị xã", _prefix("Thị xã", {DISTRICT}, {"thị xã"})),
    "dac khu": ("đặc khu", _prefix("Đặc khu", {COMMUNE}, {"đặc khu"})),
    "phuong": ("phường", _prefix("Phường", {COMMUNE}, {"phường"})),
    "huyen": ("huyện", _prefix("Huyện", {DISTRICT}, {"huyện"})),
    "quan": ("quận", _prefix("Quận", {DISTRICT}, {"quận"})),
    "tinh": ("tỉnh", _prefix("Tỉnh", {PROVINCE}, {"tỉnh"})),
    "xa": ("xã", _prefix("Xã", {COMMUNE}, {"xã"})),
}
_ABBREVIATIONS: Final = {
    "tp": "thanh pho",
    "tt": "thi tran",
    "tx": "thi xa",
    "x": "xa",
    "p": "phuong",
    "h": "huyen",
    "q": "quan",
    "t": "tinh",
}
_PREFIX_RE: Final = re.compile(
    r"(?P<word>thanh pho|thi tran|thi xa|dac khu|phuong|huyen|quan|tinh|xa)(?=[\s.\d]|$)\.?"
    r"|(?P<abbr>t\.?p|t\.?t|t\.?x)(?:\.|(?=\s|\d))"
    r"|(?P<letter>[xphqt])\."
    r"|(?P<numbered>[pq])(?=\s*\d)"
)
_STREET_WORD_RE: Final = re.compile(
    r"(?:ap|khom|to|thon|so|duong|khu pho|kp|xom|soc|buon|ban|hem|ngo|ngach)(?=[\s.\d]|$)"
)
_DASHES: Final = "-\u2013\u2014"  # hyphen, en dash, em dash
_JOINER_RE: Final = re.compile(rf"\s*([{_DASHES}'\u2019])\s*")
_PIECE_RE: Final = re.compile(r"\s*[,;\n]+\s*")
_DASH_RE: Final = re.compile(rf"(\s*[{_DASHES}]\s*)")
_ALIASES: Final = {"hcm": "hồ chí minh"}  # "TP.HCM"


@dataclass(frozen=True)
class Segment:
    """One part of an address as written, with its prefix (if any) and the keys of the name after it."""

    text: str
    prefix: Prefix | None
    key: str
    fold_key: str
    street: bool
    accented: bool  # the address uses diacritics, so an unaccented name means what it says ("Nga Thanh")

    @property
    def levels(self) -> frozenset[str]:
        return self.prefix.levels if self.prefix else ALL_LEVELS


def name_keys(name: str) -> tuple[str, str]:
    """(exact key, folded key) of a bare unit name: "Hoà  Thuận" → ("hòa thuận", "hoa thuan"), "02" → "2"."""
    text = _JOINER_RE.sub(lambda m: "-" if m.group(1) in _DASHES else "'", canonical_tone(name).lower())
    text = text.strip(" .")
    if text.isdigit():
        text = str(int(text))  # "Phường 02" is "Phường 2"
    text = _ALIASES.get(fold(text), text)
    return text, fold(text)


def _prefix_at(text: str) -> tuple[Prefix | None, str]:
    """The prefix at the start of `text` and the rest of it; prefix words must be spelt right or fully unaccented."""
    lowered, folded = text.lower(), fold(text)
    if len(lowered) != len(folded):  # characters that do not fold one to one: read the folded text only
        lowered = text = folded
    found = _PREFIX_RE.match(folded)
    if found is None:
        return None, text
    if found.group("word"):
        accented, prefix = _WORDS[found.group("word")]
        written = lowered[: len(found.group("word"))]
        if written not in (accented, found.group("word")):
            return None, text  # "Xá Lợi" is a name, not "Xã Lợi"
    else:
        abbreviation = (found.group("abbr") or found.group("letter") or found.group("numbered")).replace(".", "")
        prefix = _WORDS[_ABBREVIATIONS[abbreviation]][1]
    return prefix, text[found.end() :].strip(" .")


def split_prefix(name: str) -> tuple[Prefix | None, str]:
    """Split an official or written unit name into its prefix and bare name ("Thành Phố Bắc Kạn" → "Bắc Kạn")."""
    return _prefix_at(nfc(name))


def _segment(text: str, accented: bool) -> Segment:
    prefix, bare = _prefix_at(text)
    key, fold_key = name_keys(bare)
    folded = fold(text)
    street = prefix is None and (folded[:1].isdigit() or _STREET_WORD_RE.match(folded) is not None)
    return Segment(text=text, prefix=prefix, key=key, fold_key=fold_key, street=street, accented=accented)


def _split_dashes(piece: str, is_name: Callable[[str], bool]) -> list[str]:
    """Dashes separate parts ("Ấp 3 - Xã Long Đức", "P2-TP Trà Vinh") unless they belong to a name
    ("Bà Rịa - Vũng Tàu", "Phan Rang-Tháp Chàm")."""
    tokens = _DASH_RE.split(piece)
    parts = [tokens[0]]
    for dash, following in zip(tokens[1::2], tokens[2::2], strict=True):
        joined = f"{split_prefix(parts[-1])[1]}-{following}"
        spaced = dash.strip() != dash
        # an unspaced dash separates only before a unit or street word ("P2-TP Trà Vinh", not "12-14 Lê Lợi")
        separates = spaced or _prefix_at(following)[0] is not None or _STREET_WORD_RE.match(fold(following)) is not None
        if separates and not is_name(name_keys(joined)[1]):
            parts.append(following)
        else:
            parts[-1] = f"{parts[-1]}{dash}{following}"
    return parts


def parse_address(text: str, is_name: Callable[[str], bool]) -> list[Segment]:
    """Segments of `text` in written order (most specific first). `is_name(fold_key)` tells whether a dashed
    name such as "bà rịa-vũng tàu" is a real unit name, so that its dash is kept."""
    text = nfc(text)
    accented = fold(text) != text.lower()
    pieces = [p for p in _PIECE_RE.split(text) if p.strip(" .-")]
    parts = [part.strip(" .") for piece in pieces for part in _split_dashes(piece, is_name)]
    return [_segment(part, accented) for part in parts if part]
