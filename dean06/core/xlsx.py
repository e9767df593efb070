"""Tables as XLSX workbooks, shared by every export of figures: bold title lines and header, text through
exports.cell() (formula injection), numbers kept as numbers, the header row frozen. No Django."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import xlsxwriter  # type: ignore[import-untyped]

from dean06.core.exports import cell

Value = str | int | float | None
# A typed number stays text ("0123" is not 123) and nothing typed becomes a formula.
WORKBOOK_OPTIONS = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}


@dataclass(frozen=True)
class Sheet:
    name: str  # at most 31 characters are kept, as Excel allows
    header: Sequence[str]
    rows: Sequence[Sequence[Value]]
    widths: Sequence[int] = ()  # per column; a column without one is as wide as its longest text (12–60)
    title_lines: Sequence[str] = ()  # bold lines above the table, then a blank line


def _width(sheet: Sheet, column: int) -> int:
    if column < len(sheet.widths):
        return sheet.widths[column]
    return min(max([len(str(row[column] or "")) for row in sheet.rows] + [12]) + 2, 60)


def xlsx_tables(sheets: Sequence[Sheet]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    try:
        bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        for table in sheets:
            sheet = book.add_worksheet(table.name[:31])
            for line, text in enumerate(table.title_lines):
                sheet.write_string(line, 0, cell(text), book.add_format({"bold": True}))
            first = len(table.title_lines) + 1 if table.title_lines else 0
            for column, title in enumerate(table.header):
                sheet.set_column(column, column, _width(table, column), wrap)
                sheet.write_string(first, column, cell(title), bold)
            for row_index, row in enumerate(table.rows, start=first + 1):
                for column, value in enumerate(row):
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        sheet.write_number(row_index, column, value)
                    elif value is not None:
                        sheet.write_string(row_index, column, cell(value))
            sheet.freeze_panes(first + 1, 0)
    finally:
        book.close()
    return buffer.getvalue()
