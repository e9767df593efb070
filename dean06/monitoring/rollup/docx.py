"""The roll-up as a DOCX in the layout of Vietnamese administrative documents (Decree 30/2020/NĐ-CP, Appendix I):
the agency and the national motto side by side in a borderless table, the title, the body, the recipients and
the signature block; Times New Roman 13 pt on A4 with the decree's margins."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from dean06.monitoring.rollup.data import Issue, Rollup, TaskRollup
from dean06.monitoring.rollup.text import COLUMNS, MOTTO, MOTTO_LINE, RECIPIENTS_LABEL, SECTIONS, TITLE

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 12
TEXT_WIDTH_MM = 165  # A4 210 mm less the 30 mm left and 15 mm right margins
TASK_WIDTHS = (20, 70, 35, 25, 15)
NEXT_WIDTHS = (20, 90, 35, 20)


def _setup(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    style.paragraph_format.space_after = Pt(0)


def _line(
    container: DocxDocument | _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int | None = None,
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.CENTER,
    after: int = 0,
) -> Paragraph:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    return paragraph


def _first(cell: _Cell) -> _Cell:
    """A new cell holds one empty paragraph: drop it so the cell starts with the first added line."""
    paragraph = cell.paragraphs[0]._element
    paragraph.getparent().remove(paragraph)
    return cell


def _widths(table: Table, widths: Sequence[int]) -> None:
    """Column widths in mm, on the grid (LibreOffice reads it) and on the first row's cells (Word reads those)."""
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths, strict=True):
        column.width = cell.width = Mm(width)


def _two_columns(document: DocxDocument, widths: tuple[int, int]) -> tuple[_Cell, _Cell]:
    """A borderless one-row table (the default table style has no borders) for side-by-side blocks."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _widths(table, widths)
    left, right = table.rows[0].cells
    return _first(left), _first(right)


def _header(document: DocxDocument, rollup: Rollup) -> None:
    agency, motto = _two_columns(document, (70, 95))
    _line(agency, rollup.header.governing_body)
    _line(agency, rollup.header.issuing_body, bold=True, after=6)
    _line(agency, rollup.header.number)
    _line(motto, MOTTO, bold=True, size=12)
    _line(motto, MOTTO_LINE, bold=True, after=6)
    _line(motto, rollup.date_line, italic=True)
    _line(document, "")
    _line(document, TITLE, bold=True, size=14)
    _line(document, rollup.subject, bold=True, size=14, after=12)
    _paragraph(document, rollup.opening)


def _heading(document: DocxDocument, text: str) -> None:
    _line(document, text, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=6)


def _paragraph(document: DocxDocument, text: str) -> None:
    paragraph = _line(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)
    paragraph.paragraph_format.first_line_indent = Mm(10)


def _table(
    document: DocxDocument, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]
) -> None:
    table: Table = document.add_table(rows=1, cols=len(headings), style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _widths(table, widths)
    for row_index, values in enumerate([headings, *rows]):
        cells = table.rows[0].cells if row_index == 0 else table.add_row().cells  # type: ignore[no-untyped-call]
        for cell, value, width in zip(cells, values, widths, strict=True):
            cell.width = Mm(width)
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
            run = cell.paragraphs[0].add_run(value)
            run.font.size = Pt(TABLE_PT)
            run.bold = row_index == 0
            if row_index == 0:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _line(document, "", after=6)


def _reporting(document: DocxDocument, rollup: Rollup) -> None:
    _heading(document, SECTIONS["reporting"])
    reporting = rollup.reporting
    _table(document, COLUMNS["reporting"], [(label, str(n)) for label, n in reporting.rows()], (125, 40))
    if reporting.late_units:
        _paragraph(document, "Các đơn vị chưa gửi báo cáo đúng hạn: " + ", ".join(reporting.late_units) + ".")


def _task_row(task: TaskRollup) -> tuple[str, str, str, str, str]:
    return (task.code, task.title, task.lead, task.situation, task.average_text)


def _tasks(document: DocxDocument, rollup: Rollup) -> None:
    _heading(document, SECTIONS["tasks"])
    for group, tasks in rollup.groups:
        _line(document, group, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=3)
        _table(document, COLUMNS["tasks"], [_task_row(t) for t in tasks], TASK_WIDTHS)
    done = rollup.done
    if done:
        _line(document, "Kết quả nổi bật của các đơn vị:", italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=3)
        _issues(document, done)


def _issues(document: DocxDocument, issues: Sequence[Issue]) -> None:
    for issue in issues:
        _paragraph(document, f"- {issue.unit_name} (nhiệm vụ {issue.task_code}): {issue.text}")


def _kpis(document: DocxDocument, rollup: Rollup) -> None:
    _heading(document, SECTIONS["kpis"])
    _paragraph(
        document, f"Số liệu tính trực tiếp từ dữ liệu của nền tảng cho {rollup.unit_name}, tháng {rollup.month_label}."
    )
    _table(document, COLUMNS["kpis"], [(k.name, k.figures, k.display) for k in rollup.kpis], (80, 30, 55))


def _index766(document: DocxDocument, rollup: Rollup) -> None:
    _heading(document, SECTIONS["index766"])
    index = rollup.index766
    _paragraph(
        document,
        f"Tổng điểm của {rollup.unit_name} tháng {rollup.month_label}: {index.total_display}/100 "
        "(chỉ tính các chỉ tiêu có đủ dữ liệu).",
    )
    rows = [(g.name, g.display, g.maximum_display) for g in index.groups]
    _table(document, COLUMNS["groups"], rows, (115, 25, 25))
    for label, ranked in index.blocks:
        if ranked:
            _line(document, label, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=3)
            _table(document, COLUMNS["ranking"], [(str(r.rank), r.unit_name, r.display) for r in ranked], (20, 110, 35))


def _problems(document: DocxDocument, rollup: Rollup) -> None:
    _heading(document, SECTIONS["issues"])
    for label, issues in rollup.issue_blocks:
        _line(document, label, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=3)
        if issues:
            _issues(document, issues)
        else:
            _paragraph(document, "Các đơn vị không báo cáo nội dung này.")


def _next(document: DocxDocument, rollup: Rollup) -> None:
    _heading(document, SECTIONS["next"])
    rows = [(t.code, t.title, t.lead, t.deadline) for t in rollup.next_tasks]
    _table(document, COLUMNS["next"], rows, NEXT_WIDTHS)


def _closing(document: DocxDocument, rollup: Rollup) -> None:
    recipients, signer = _two_columns(document, (80, 85))
    _line(recipients, RECIPIENTS_LABEL, bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    for recipient in rollup.header.recipients:
        _line(recipients, f"- {recipient}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(signer, rollup.header.signer_authority, bold=True)
    _line(signer, rollup.header.signer_title, bold=True)


def rollup_docx(rollup: Rollup) -> bytes:
    document = Document()
    _setup(document)
    _header(document, rollup)
    _reporting(document, rollup)
    _tasks(document, rollup)
    _kpis(document, rollup)
    _index766(document, rollup)
    _problems(document, rollup)
    _next(document, rollup)
    _closing(document, rollup)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
