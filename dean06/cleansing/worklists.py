"""Field work lists: one XLSX per commune, one sheet per village (ấp/khóm/tổ/thôn), only the rows a team must check.

Pure Polars + xlsxwriter, no models: the caller passes each row's commune (`communes`: row, commune_code,
commune_name). Every text cell goes through the shared formula-injection escape (dean06.core.exports.cell).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import polars as pl
import xlsxwriter  # type: ignore[import-untyped]

from dean06.cleansing.pipeline.schema import ROW, Field, ResultColumn, RowClass
from dean06.core.exports import cell
from dean06.text import strip_diacritics

CLASS_LABELS: Final[dict[str, str]] = {
    RowClass.FIXABLE.value: "Sai/thiếu thông tin — cần sửa",
    RowClass.NOT_FOUND.value: "Không tìm thấy trong CSDL dân cư",
    RowClass.AMBIGUOUS.value: "Cần cán bộ xác định",
    RowClass.DECEASED.value: "Đã chết",
    RowClass.DUPLICATE.value: "Trùng lặp",
    RowClass.EXACT.value: "Đúng, đủ",
}
FIELD_WORK_CLASSES: Final = frozenset(CLASS_LABELS) - {RowClass.EXACT.value}
FIX_LABELS: Final[dict[str, str]] = {
    Field.FULL_NAME.value: "Họ tên",
    Field.DATE_OF_BIRTH.value: "Ngày sinh",
    Field.GENDER.value: "Giới tính",
    Field.PERSONAL_ID.value: "Số định danh",
    Field.COMMUNE.value: "Mã xã/phường",
}
HEADER: Final = (
    "Dòng",
    "Họ và tên",
    "Ngày sinh",
    "Số định danh",
    "Địa chỉ",
    "Kết quả đối chiếu",
    "Nội dung sai",
    "Đề xuất sửa",
    "Kết quả xác minh thực tế",
)
WIDTHS: Final = (7, 26, 12, 15, 40, 30, 50, 40, 35)
UNKNOWN_HAMLET: Final = "Chưa rõ ấp"
UNKNOWN_COMMUNE_FILE: Final = "chua-xac-dinh-xa.xlsx"
_HAMLET = re.compile(r"(?<!\w)(ấp|khóm|tổ|thôn)\s+([^,;]+)", re.IGNORECASE)
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX: Final = 31


def slug(text: str) -> str:
    """ASCII file-name slug: "Phường Long Đức" → "phuong-long-duc"."""
    ascii_text = strip_diacritics(text).replace("đ", "d").replace("Đ", "D")
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def hamlet_of(hamlet: str | None, address: str | None) -> str:
    """The village named by the `hamlet` column, else by the address ("Ấp …", "Khóm …", "Tổ …", "Thôn …")."""
    if hamlet and hamlet.strip():
        return " ".join(hamlet.split())
    found = _HAMLET.search(address or "")
    if found is None:
        return UNKNOWN_HAMLET
    kind, name = found.group(1), " ".join(found.group(2).split())
    return f"{kind[0].upper()}{kind[1:].lower()} {name}" if name else UNKNOWN_HAMLET


def sheet_names(hamlets: list[str]) -> dict[str, str]:
    """A valid, unique Excel sheet name (≤ 31 characters, none of []:*?/\\) for each hamlet."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for hamlet in hamlets:
        base = _SHEET_FORBIDDEN.sub(" ", hamlet).strip().strip("'")[:_SHEET_MAX].strip() or UNKNOWN_HAMLET
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            name = base[: _SHEET_MAX - len(suffix)].rstrip() + suffix
        taken.add(name.casefold())
        names[hamlet] = name
    return names


def fixes_text(fixes: str | None) -> str:
    """`field=value;…` in readable Vietnamese: "Họ tên: Nguyễn Văn An; Ngày sinh: 15/05/1985"."""
    parts = []
    for item in (fixes or "").split(";"):
        field, sep, value = item.partition("=")
        if not sep:
            continue
        if field == Field.DATE_OF_BIRTH.value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            value = f"{value[8:10]}/{value[5:7]}/{value[0:4]}"
        parts.append(f"{FIX_LABELS.get(field, field)}: {value}")
    return "; ".join(parts)


def _text(frame: pl.DataFrame, name: str) -> pl.Expr:
    return pl.col(name).cast(pl.String) if name in frame.columns else pl.lit(None, pl.String)


def field_work_rows(original: pl.DataFrame, verdicts: pl.DataFrame, communes: pl.DataFrame | None) -> pl.DataFrame:
    """The rows that need field work, with their commune, hamlet and the work-list columns (ordered by row)."""
    source = original.select(
        pl.col(ROW).cast(pl.Int64),
        _text(original, Field.FULL_NAME.value).alias("full_name"),
        _text(original, Field.DATE_OF_BIRTH.value).alias("date_of_birth"),
        pl.coalesce(_text(original, Field.PERSONAL_ID.value), _text(original, Field.OLD_ID.value)).alias("id"),
        _text(original, Field.ADDRESS.value).alias("address"),
        _text(original, Field.HAMLET.value).alias("hamlet"),
    )
    judged = verdicts.select(
        pl.col(ROW).cast(pl.Int64),
        pl.col(ResultColumn.CLASS).cast(pl.String).alias("class"),
        pl.col(ResultColumn.REASONS).cast(pl.String).alias("reasons"),
        pl.col(ResultColumn.FIXES).cast(pl.String).alias("fixes"),
    ).filter(pl.col("class").is_in(sorted(FIELD_WORK_CLASSES)))
    rows = judged.join(source, on=ROW, how="left")
    if communes is None:
        communes = pl.DataFrame(schema={ROW: pl.Int64, "commune_code": pl.String, "commune_name": pl.String})
    rows = rows.join(communes.select(pl.col(ROW).cast(pl.Int64), "commune_code", "commune_name"), on=ROW, how="left")
    hamlets = [hamlet_of(h, a) for h, a in zip(rows["hamlet"].to_list(), rows["address"].to_list(), strict=True)]
    return rows.with_columns(pl.Series("village", hamlets, dtype=pl.String)).sort(ROW)


def _file_name(code: str | None, name: str | None) -> str:
    if not code:
        return UNKNOWN_COMMUNE_FILE
    name_slug = slug(name or "")
    safe_code = re.sub(r"[^0-9A-Za-z]+", "", code) or "xa"
    return f"{safe_code}-{name_slug}.xlsx" if name_slug else f"{safe_code}.xlsx"


def _write_workbook(path: Path, rows: pl.DataFrame) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    try:
        bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7"})
        text = workbook.add_format({"num_format": "@", "valign": "top", "text_wrap": True})
        villages = sorted(set(rows["village"].to_list()), key=lambda v: (v == UNKNOWN_HAMLET, v))
        names = sheet_names(villages)
        for village in villages:
            sheet = workbook.add_worksheet(names[village])
            for j, (title, width) in enumerate(zip(HEADER, WIDTHS, strict=True)):
                sheet.write_string(0, j, cell(title), bold)
                sheet.set_column(j, j, width, text if j else None)
            part = rows.filter(pl.col("village") == village)
            for i, record in enumerate(part.iter_rows(named=True), start=1):
                sheet.write_number(i, 0, int(record[ROW]))
                values = (
                    record["full_name"],
                    record["date_of_birth"],
                    record["id"],
                    record["address"],
                    CLASS_LABELS.get(record["class"], record["class"]),
                    record["reasons"],
                    fixes_text(record["fixes"]),
                    "",
                )
                for j, value in enumerate(values, start=1):
                    sheet.write_string(i, j, cell(value), text)
            sheet.freeze_panes(1, 0)
            sheet.autofilter(0, 0, max(part.height, 1), len(HEADER) - 1)
    finally:
        workbook.close()


def worklists_write(
    original: pl.DataFrame, verdicts: pl.DataFrame, out_dir: Path, communes: pl.DataFrame | None = None
) -> list[Path]:
    """Write one work list per commune into `out_dir` (created); return the files written, sorted by name.

    `original`: the read frame (`row` + field columns); `verdicts`: classify's output; `communes`: row,
    commune_code, commune_name (rows without one go to `chua-xac-dinh-xa.xlsx`)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = field_work_rows(original, verdicts, communes)
    groups: dict[str, pl.DataFrame] = {}
    for (code, name), part in rows.group_by(["commune_code", "commune_name"], maintain_order=True):
        file_name = _file_name(code if isinstance(code, str) else None, name if isinstance(name, str) else None)
        groups[file_name] = pl.concat([groups[file_name], part]) if file_name in groups else part
    paths = []
    for file_name in sorted(groups):
        path = out_dir / file_name
        _write_workbook(path, groups[file_name].sort(ROW))
        paths.append(path)
    return paths
