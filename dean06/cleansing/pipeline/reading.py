"""Read a sector list (CSV or XLSX/XLS) into text columns named by `Field`, accounting for every line.

Line numbers are 1-based record numbers of the file (the sheet's row number for Excel). Lines above the header
are title rows; below it each line is either a data row or a skipped line with a reason, so
`data_rows + len(skipped) == lines after the header`. The data row number `row` is the line's offset below the
header (file line = `header_line + row`), so a skipped blank line in the middle leaves a gap rather than renumbering.

Values stay text: IDs keep leading zeros, whole Excel numbers read "123" (not "123.0") and Excel dates read
dd/mm/yyyy, the form sector CSVs use, so the normaliser sees one form.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import polars as pl
from python_calamine import CalamineWorkbook

from dean06.cleansing.pipeline.errors import ReadError
from dean06.cleansing.pipeline.headers import SERIAL, header_key, match_header
from dean06.cleansing.pipeline.legacy_encodings import DETECTION_SAMPLE, convert, detect_legacy, vietnamese_score
from dean06.cleansing.pipeline.schema import ROW, Field
from dean06.text import fold, nfc

HEADER_SCAN_ROWS: Final = 20
_ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"  # legacy .xls
_EXCEL_SUFFIXES: Final = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
_TOTAL_LABEL: Final = re.compile(r"(tong|cong)\b")  # "Tổng cộng", "Cộng:", "Tổng số hộ" (folded)
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class SkippedLine:
    line: int
    reason: str  # "title" | "blank" | "total"
    text: str


@dataclass(frozen=True)
class ReadReport:
    """What was read and what was left out, line by line (see the module docstring)."""

    encoding: str  # utf-8 | utf-8-sig | utf-16 | cp1258 | tcvn3 | vni ("unicode" for Excel without legacy fonts)
    sheet: str | None
    sheets: tuple[str, ...]
    header_line: int  # last line of the header (a merged header spans two)
    header_lines: int
    columns: dict[str, str]  # frame column → header text in the file
    mapping: dict[str, Field]  # header text → field
    title_rows: tuple[SkippedLine, ...]
    skipped: tuple[SkippedLine, ...]
    data_rows: int
    serial_column: int | None = None  # 1-based column of "STT", left out of the frame


@dataclass(frozen=True)
class SectorFrame:
    """`frame`: `row` (Int64) + one String column per mapped `Field` + `extra_<column number>` for the rest."""

    frame: pl.DataFrame
    report: ReadReport


@dataclass(frozen=True)
class _Header:
    index: int  # 0-based index of the header's last row
    rows: int
    labels: list[str]
    targets: list[Field | str | None]

    @property
    def score(self) -> int:
        return sum(t is not None and t != SERIAL for t in self.targets)


def read_sector_file(
    path: Path | str, *, sheet: str | None = None, mapping: dict[str, Field] | None = None
) -> SectorFrame:
    """Read `path`; `mapping` ({"header text": Field}) overrides the header aliases. Raises `ReadError`."""
    path = Path(path)
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(f"Tệp {path.name} trống.", f"File {path.name} is empty.")
    overrides = {header_key(text): target for text, target in (mapping or {}).items()}
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)) or path.suffix.lower() in _EXCEL_SUFFIXES:
        return _read_excel(path, sheet, overrides)
    if sheet is not None:
        raise ReadError(f"Tệp CSV không có trang tính «{sheet}».", f"A CSV file has no sheet {sheet!r}.")
    rows, encoding = _decode_csv(data, path.name)
    if not any(any(c.strip() for c in row) for row in rows):  # a BOM, separators or spaces only
        raise ReadError(f"Tệp {path.name} trống.", f"File {path.name} is empty.")
    header = _find_header(rows, overrides)
    if header is None:
        raise _no_header(rows, path.name)
    return _build(rows, header, encoding=encoding, sheet=None, sheets=())


def _read_excel(path: Path, sheet: str | None, overrides: dict[str, Field]) -> SectorFrame:
    try:
        book = CalamineWorkbook.from_path(str(path))
        names: list[str] = list(book.sheet_names)
        if sheet is not None and sheet not in names:
            raise ReadError(
                f"Không có trang tính «{sheet}»; các trang: {', '.join(names)}.",
                f"No sheet {sheet!r}; sheets: {', '.join(names)}.",
            )
        sheets = {name: _excel_rows(book.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in names}
    except ReadError:
        raise
    except Exception as error:  # calamine raises several unrelated types for a broken zip or XML
        raise ReadError(
            f"Không đọc được tệp Excel {path.name} (tệp hỏng hoặc không phải Excel): {error}",
            f"Cannot read Excel file {path.name} (corrupt or not Excel): {error}",
        ) from error
    candidates = [sheet] if sheet is not None else names
    filled = [name for name in candidates if any(any(row) for row in sheets[name])]
    if not filled:
        raise ReadError(f"Tệp {path.name} trống.", f"File {path.name} is empty.")
    for name in candidates:
        text = "\n".join(c for row in sheets[name] for c in row)
        legacy = detect_legacy(text)
        rows = [[convert(c, legacy) for c in row] for row in sheets[name]]
        header = _find_header(rows, overrides)
        if header is not None:
            return _build(rows, header, encoding=legacy, sheet=name, sheets=tuple(names))
    raise _no_header(sheets[filled[0]], f"{path.name} ({', '.join(candidates)})")


def _excel_cell(value: object) -> str:
    if type(value) is str:  # most cells: one check instead of the chain below (a million rows, ten columns)
        return value
    # datetime before date: a datetime is a date too.
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y" if value.time() == dt.time() else "%d/%m/%Y %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return "" if value is None else str(value)


def _excel_rows(raw: Sequence[Sequence[object]]) -> list[list[str]]:
    return [[_excel_cell(value) for value in row] for row in raw]


def _decode_csv(data: bytes, name: str) -> tuple[list[list[str]], str]:
    text, encoding = _decode_bytes(data, name)
    text = text.removesuffix("\x1a")  # DOS end-of-file marker
    sample = text[:65536]
    # A stray control character is not yet binary; one in a hundred is.
    if len(_CONTROL.findall(sample)) > len(sample) // 100:
        raise _binary(name)
    if encoding.startswith("utf"):  # legacy-font text saved as Unicode ("Nguyeãn" in a UTF-8 file)
        legacy = detect_legacy(text)
        if legacy != "unicode":
            text, encoding = convert(text, legacy), legacy
    delimiter = _sniff_delimiter(text)
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)], encoding


def _binary(name: str) -> ReadError:
    return ReadError(
        f"Tệp {name} không phải tệp văn bản CSV hay Excel (có vẻ là tệp nhị phân).",
        f"File {name} is neither CSV text nor Excel (it looks binary).",
    )


def _decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    head = data[:4096]
    if b"\x00" in head:
        # UTF-16 without a BOM has a NUL in every other byte of ASCII text; anything else with NULs is binary.
        for codec, nuls in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
            if nuls.count(0) > 0.9 * len(nuls):
                return data.decode(codec, errors="replace"), "utf-16"
        raise _binary(name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # 8-bit: Windows-1258 unless a 1252 reading converted from TCVN3/VNI reads as better Vietnamese.
    try:
        as_1252 = data.decode("cp1252")
    except UnicodeDecodeError:
        as_1252 = data.decode("latin-1")
    as_1258 = data.decode("cp1258", errors="replace")
    legacy = detect_legacy(as_1252)
    if legacy != "unicode":
        sample = as_1252[:DETECTION_SAMPLE]
        if vietnamese_score(convert(sample, legacy)) > vietnamese_score(as_1258[: len(sample)]):
            return convert(as_1252, legacy), legacy
    return as_1258, "cp1258"


def _sniff_delimiter(text: str) -> str:
    """The delimiter whose records most often share one width above 1 (title rows spoil the simple count)."""
    sample = "\n".join(text.splitlines()[:60])
    best, best_score = ",", (0, 0)
    for delimiter in (",", ";", "\t"):
        widths = [len(r) for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if len(r) > 1]
        if widths:
            mode = max(set(widths), key=widths.count)
            score = (widths.count(mode), mode)
            if score > best_score:
                best, best_score = delimiter, score
    return best


def _targets(labels: list[str], overrides: dict[str, Field]) -> list[Field | str | None]:
    """Map each label; an override wins, and each field goes to its first column only."""
    keys = [header_key(label) for label in labels]
    targets: list[Field | str | None] = [overrides.get(key) for key in keys]
    taken = {t for t in targets if t is not None}
    for i, label in enumerate(labels):
        if targets[i] is None and keys[i] not in overrides:
            found = match_header(label)
            if found is not None and (found not in taken or found == SERIAL):
                targets[i] = found
                taken.add(found)
    return targets


def _find_header(rows: list[list[str]], overrides: dict[str, Field]) -> _Header | None:
    """The row with most recognised cells among the first rows, merged with the row above or below if that helps."""
    scan = [[nfc(c) for c in row] for row in rows[:HEADER_SCAN_ROWS]]
    best: _Header | None = None
    for i, row in enumerate(scan):
        options = [_Header(i, 1, row, _targets(row, overrides))]
        for upper, lower in ((i - 1, i), (i, i + 1)):
            if upper >= 0 and lower < len(scan):
                labels = _merge(scan[upper], scan[lower], overrides)
                options.append(_Header(lower, 2, labels, _targets(labels, overrides)))
        for option in options:
            # A two-row header only where it names more fields than the single row.
            if best is None or (option.score, -option.rows) > (best.score, -best.rows):
                best = option
    return best if best is not None and best.score > 0 else None


def _merge(upper: list[str], lower: list[str], overrides: dict[str, Field]) -> list[str]:
    """Per column of a two-row header: the cell that names a field, the lower one first; else the non-blank one.

    A merged cell keeps its text in its first cell only: a group title ("Thông tin cá nhân") stands over blanks
    beside it, and a field merged down two rows ("Ngày sinh") has a blank below it.
    """
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))

    def named(cell: str) -> bool:
        return bool(cell) and (match_header(cell) is not None or header_key(cell) in overrides)

    def pick(up: str, low: str) -> str:
        if named(low):
            return low
        return up if named(up) or not low else low

    return [pick(up, low) for up, low in zip(upper, lower, strict=True)]


def _build(
    rows: list[list[str]], header: _Header, *, encoding: str, sheet: str | None, sheets: tuple[str, ...]
) -> SectorFrame:
    width = max([len(header.labels), *(len(r) for r in rows)])
    first_header = header.index - header.rows + 1
    title_rows = tuple(SkippedLine(i + 1, "title", _line_text(rows[i])) for i in range(first_header))
    serial = next((j for j, t in enumerate(header.targets) if t == SERIAL), None)

    body = [[_clean(c) for c in row] + [""] * (width - len(row)) for row in rows[header.index + 1 :]]
    reasons: list[str | None] = ["blank" if not any(row) else None for row in body]
    # Only the run of rows at the end may be totals: a "Tổng" inside the list is data (someone's name, even).
    for k in range(len(body) - 1, -1, -1):
        if reasons[k] == "blank":
            continue
        label = next(c for c in body[k] if c)  # a total row is labelled in its first filled cell
        # No running number: "Tổng cộng" is often merged across the STT column too.
        if (serial is None or not body[k][serial].isdigit()) and _TOTAL_LABEL.match(fold(label)):
            reasons[k] = "total"
            continue
        break
    skipped = tuple(
        SkippedLine(header.index + 2 + k, reason, _line_text(body[k])) for k, reason in enumerate(reasons) if reason
    )

    columns: dict[str, list[str | None]] = {}
    names: dict[str, str] = {}
    mapping: dict[str, Field] = {}
    kept = [k for k, reason in enumerate(reasons) if reason is None]
    for j in range(width):
        label = header.labels[j] if j < len(header.labels) else ""
        target = header.targets[j] if j < len(header.targets) else None
        if target == SERIAL:
            continue
        name = target.value if isinstance(target, Field) else f"extra_{j + 1}"
        if isinstance(target, Field):
            mapping[label] = target
        names[name] = label
        columns[name] = [body[k][j] or None for k in kept]
    frame = pl.DataFrame(
        {ROW: [k + 1 for k in kept], **columns},
        schema={ROW: pl.Int64, **dict.fromkeys(columns, pl.String)},
    )
    report = ReadReport(
        encoding=encoding,
        sheet=sheet,
        sheets=sheets,
        header_line=header.index + 1,
        header_lines=header.rows,
        columns=names,
        mapping=mapping,
        title_rows=title_rows,
        skipped=skipped,
        data_rows=len(kept),
        serial_column=None if serial is None else serial + 1,
    )
    return SectorFrame(frame, report)


def _clean(cell: str) -> str:
    """`nfc(cell)`, without its regex for the common cell whose NFC form has no whitespace but single inner spaces
    (every whitespace character other than the space is unprintable): `nfc` would return that form unchanged."""
    text = unicodedata.normalize("NFC", cell)
    if text.isprintable() and "  " not in text and not text.startswith(" ") and not text.endswith(" "):
        return text
    return nfc(cell)


def _line_text(row: list[str]) -> str:
    return " | ".join(c for c in row if c)[:200]


def _no_header(rows: list[list[str]], name: str) -> ReadError:
    first = next((row for row in rows if any(row)), [])
    cells = [c for c in first if c][:12]
    shown = ", ".join(f"«{c[:40]}»" for c in cells) + (" …" if len([c for c in first if c]) > 12 else "")
    return ReadError(
        f"Không nhận ra dòng tiêu đề trong {name}. Dòng đầu có: {shown}. "
        'Hãy chỉ rõ cột bằng --map "Tên cột=full_name".',
        f"No recognisable header in {name}. The first row has: {shown}. "
        'Name the columns with --map "Column header=full_name".',
    )
