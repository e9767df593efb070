"""The cleaned dataset: the input's columns with the registry's values applied to fixable rows, plus the verdict.

XLSX (xlsxwriter, every value written as text) or CSV (UTF-8 with BOM, for Excel) by the file's suffix; every
cell goes through the shared formula-injection escape (dean06.core.exports.cell). Pure Polars, no models.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Final

import polars as pl
import xlsxwriter  # type: ignore[import-untyped]

from dean06.cleansing.pipeline.schema import ROW, Field, ResultColumn, RowClass
from dean06.cleansing.worklists import CLASS_LABELS, fixes_text
from dean06.core.exports import BOM, cell

# Fixes applied in place (the commune fix is a code, not text a list would hold: it stays in "Đề xuất sửa").
APPLIED_FIELDS: Final = (Field.FULL_NAME, Field.DATE_OF_BIRTH, Field.GENDER, Field.PERSONAL_ID)
VERDICT_HEADER: Final = (
    "Số định danh (CSDL dân cư)",
    "Mã kết quả",
    "Kết quả đối chiếu",
    "Độ tin cậy",
    "Nội dung sai",
    "Đề xuất sửa",
)
# Optional review columns of the verdicts (the web's corrections; see outputs.verdict_frame).
RESOLUTION, RESOLUTION_LABEL, NOTE = "resolution", "resolution_label", "field_note"
REVIEW_COLUMNS: Final = (RESOLUTION, RESOLUTION_LABEL, NOTE)
REVIEW_HEADER: Final = ("Xử lý", "Kết quả xác minh thực tế")
FIXES_APPLY_WHEN: Final = frozenset({"", None, "apply"})  # unreviewed, or the fixes accepted


def fix_values(fixes: str | None) -> dict[str, str]:
    values = {}
    for item in (fixes or "").split(";"):
        field, sep, value = item.partition("=")
        if sep:
            if field == Field.DATE_OF_BIRTH.value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                value = f"{value[8:10]}/{value[5:7]}/{value[0:4]}"
            values[field] = value
    return values


def cleaned_rows(
    original: pl.DataFrame, verdicts: pl.DataFrame, headers: dict[str, str] | None = None
) -> tuple[list[str], list[list[object]]]:
    """Header and rows of the cleaned dataset (unescaped), ordered by row.

    `headers` maps the frame's columns to the file's header texts (ReadReport.columns); by default the column
    names are used. When `verdicts` carries the review columns (`REVIEW_COLUMNS`: the resolution's code and label,
    the field team's note), they follow the verdict, and a row an officer corrected or kept keeps its own values
    instead of the registry's fixes."""
    headers = headers or {}
    columns = [name for name in original.columns if name != ROW]
    reviewed = all(c in verdicts.columns for c in REVIEW_COLUMNS)
    judged = verdicts.select(
        pl.col(ROW).cast(pl.Int64),
        pl.col(ResultColumn.PERSONAL_ID).cast(pl.String).alias("_personal_id"),
        pl.col(ResultColumn.CLASS).cast(pl.String).alias("_class"),
        pl.col(ResultColumn.CONFIDENCE).cast(pl.Float64).alias("_confidence"),
        pl.col(ResultColumn.REASONS).cast(pl.String).alias("_reasons"),
        pl.col(ResultColumn.FIXES).cast(pl.String).alias("_fixes"),
        *(pl.col(c).cast(pl.String) for c in (REVIEW_COLUMNS if reviewed else ())),
    )
    frame = original.with_columns(pl.col(ROW).cast(pl.Int64)).join(judged, on=ROW, how="left").sort(ROW)
    header = ["Dòng", *(headers.get(name, name) for name in columns), *VERDICT_HEADER]
    header += list(REVIEW_HEADER) if reviewed else []
    applied = {f.value for f in APPLIED_FIELDS}
    rows: list[list[object]] = []
    for record in frame.iter_rows(named=True):
        fixable = record["_class"] == RowClass.FIXABLE.value and record.get(RESOLUTION, "") in FIXES_APPLY_WHEN
        fixes = fix_values(record["_fixes"]) if fixable else {}
        values: list[object] = [record[ROW]]
        values.extend(fixes[name] if name in applied and name in fixes else record[name] for name in columns)
        confidence = record["_confidence"]
        values += [
            record["_personal_id"],
            record["_class"],
            CLASS_LABELS.get(record["_class"] or "", record["_class"]),
            None if confidence is None else f"{confidence:.4f}".rstrip("0").rstrip("."),
            record["_reasons"],
            fixes_text(record["_fixes"]),
        ]
        values += [record[RESOLUTION_LABEL], record[NOTE]] if reviewed else []
        rows.append(values)
    return header, rows


def cleaned_export(
    original: pl.DataFrame, verdicts: pl.DataFrame, path: Path, headers: dict[str, str] | None = None
) -> int:
    """Write the cleaned dataset to `path` (".xlsx" → XLSX, anything else → CSV); return the number of rows."""
    header, rows = cleaned_rows(original, verdicts, headers)
    if path.suffix.lower() == ".xlsx":
        _write_xlsx(path, header, rows)
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(BOM)
            writer = csv.writer(handle)
            writer.writerow([cell(h) for h in header])
            writer.writerows([cell(v) for v in row] for row in rows)
    return len(rows)


def _write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    try:
        bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        text = workbook.add_format({"num_format": "@"})
        sheet = workbook.add_worksheet("Dữ liệu đã làm sạch")
        for j, title in enumerate(header):
            sheet.write_string(0, j, cell(title), bold)
            sheet.set_column(j, j, 7 if j == 0 else 20, None if j == 0 else text)
        for i, row in enumerate(rows, start=1):
            sheet.write_number(i, 0, int(str(row[0])))
            for j, value in enumerate(row[1:], start=1):
                sheet.write_string(i, j, cell(value), text)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), len(header) - 1)
    finally:
        workbook.close()
