"""Vietnamese text rules shared by every layer, the pure batch pipeline included (no Django here).

- `nfc`: Unicode NFC with whitespace collapsed.
- `canonical_tone`: one tone-mark placement for oa/oe/uy, so "Hoà" == "Hòa" and "Thuỷ" == "Thủy"
  (the old style, which NSO names mostly use; closed syllables keep the mark on the second vowel).
- `fold`: search key without diacritics, đ → d, lower case.
- `sort_key` / `name_sort_key`: Vietnamese alphabetical order (a ă â b c d đ e ê …, then tones).
"""

from __future__ import annotations

import re
import unicodedata

_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_VOWELS = "aăâeêioôơuưy"
_DIPHTHONG = re.compile(rf"([^{_VOWELS}]*)(oa|oe|uy)([^{_VOWELS}]*)")
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}


def nfc(text: str) -> str:
    """NFC form with runs of whitespace collapsed and ends trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _retone_word(match: re.Match[str]) -> str:
    word = match.group(0)
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) != 1:
        return word
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    found = _DIPHTHONG.fullmatch(base.lower())
    if found is None or found.group(1).endswith("q"):
        return word  # "quý": the u belongs to qu, only one placement exists
    position = len(found.group(1)) + (1 if found.group(3) else 0)
    marked = unicodedata.normalize("NFC", base[position] + tones[0])
    return base[:position] + marked + base[position + 1 :]


def canonical_tone(text: str) -> str:
    """NFC text with tone marks of oa/oe/uy syllables placed one way (Hoà → Hòa, Thuỷ → Thủy)."""
    return _WORD.sub(_retone_word, nfc(text))


def name_key(text: str) -> str:
    """Equality key for names as people write them: NFC, single spaces, one tone placement, any case
    ("Sở Tư Pháp" == "sở tư  pháp", "Hoà" == "Hòa")."""
    return canonical_tone(text).casefold()


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Search key: no diacritics, lower case, single spaces ("Nguyễn  Thị Thuỷ" → "nguyen thi thuy")."""
    return nfc(strip_diacritics(nfc(text))).lower()


def _char_key(ch: str) -> tuple[int, int]:
    if ch == " ":
        return -1, 0  # word boundary sorts before any letter: "An Bình" < "Anh"
    decomposed = unicodedata.normalize("NFD", ch)
    tone = next((_TONES[c] for c in decomposed if c in _TONES), 0)
    letter = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return _LETTER_RANK.get(letter, 100 + ord(letter[0]) if letter else 0), tone


def sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Vietnamese collation: letters first (ă after a, đ after d), tones only to break ties."""
    keys = [_char_key(ch) for ch in canonical_tone(text).lower()]
    return tuple(k[0] for k in keys), tuple(k[1] for k in keys)


def name_sort_key(full_name: str) -> tuple[object, ...]:
    """Order people as Vietnamese lists do: by given name (last word), then by the full name."""
    words = nfc(full_name).split(" ")
    return sort_key(words[-1]), sort_key(full_name)


def _encode(ranks: tuple[int, ...]) -> str:
    return "".join(f"{min(rank, 98) + 1:02d}" for rank in ranks)


def collation_key(text: str) -> str:
    """`sort_key` as a string of digits, so a database orders it Vietnamese-style under any collation."""
    letters, tones = sort_key(text)
    return _encode(letters) + "00" + _encode(tones)


def name_collation_key(full_name: str) -> str:
    """`name_sort_key` as digits: given name first, then the full name (stored in Person.sort_name)."""
    words = nfc(full_name).split(" ")
    return f"{collation_key(words[-1])}00{collation_key(full_name)}"[:255]
