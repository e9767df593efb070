"""Corrections to a run's rows: entered by an officer, or read back from a work list the field team returned.

A correction gives the row a `Resolution` (apply the suggested fixes, corrected values, confirmed as typed, removed
from the list), optional corrected values (name, date of birth, ID, gender) and the field team's note. Values are
checked with the pipeline's own normalisers, so a re-run reads them the way it reads any list. Every correction is
audited and refreshes the run's quality snapshot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from python_calamine import CalamineWorkbook

from dean06.cleansing.models import CleansingRun, Resolution, RowVerdict
from dean06.cleansing.pipeline.normalize import (
    Quality,
    normalize_date,
    normalize_gender,
    normalize_name,
    normalize_personal_id,
)
from dean06.cleansing.pipeline.schema import Field
from dean06.cleansing.quality import QUALITY_FLAGS, quality_snapshot_take, verdict_quality_apply
from dean06.cleansing.runs import row_verdict_lock
from dean06.cleansing.worklists import HEADER
from dean06.core.access import visible_to
from dean06.core.audit import audit_record
from dean06.core.errors import ApplicationError
from dean06.core.roles import AccessPurpose, Permission
from dean06.text import canonical_tone, fold, nfc

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User

    type Actor = User | AnonymousUser

_UNREADABLE: Final = frozenset({Quality.INVALID, Quality.MISSING})


def correction_values_check(values: dict[str, str]) -> dict[str, str]:
    """The corrected values in canonical form (dd/mm/yyyy dates, 12-digit IDs, Nam/Nữ); ApplicationError naming
    the first value that cannot be read. Empty values are dropped."""
    checked: dict[str, str] = {}
    today = timezone.localdate()
    for name, raw in values.items():
        text = nfc(raw or "")
        if not text:
            continue
        quality: Quality
        if name == Field.FULL_NAME:
            found = normalize_name(text)
            value, quality = found.value, found.quality
        elif name == Field.DATE_OF_BIRTH:
            day = normalize_date(text, today=today)
            value, quality = (day.value.strftime("%d/%m/%Y") if day.value else None), day.quality
        elif name == Field.PERSONAL_ID:
            person_id = normalize_personal_id(text)
            value, quality = (person_id.value if person_id.kind == "personal_id" else None), person_id.quality
        elif name == Field.GENDER:
            found = normalize_gender(text)
            value, quality = found.value, found.quality
        else:
            continue
        if value is None or quality in _UNREADABLE:
            raise ApplicationError(gettext("Giá trị không hợp lệ: %(value)s") % {"value": text})
        checked[name] = value
    return checked


def _apply(verdict: RowVerdict, *, actor: Actor, resolution: str, values: dict[str, str], note: str) -> None:
    if resolution not in Resolution.values and resolution != "":
        raise ApplicationError(gettext("Cách xử lý không hợp lệ."))
    checked = correction_values_check(values)
    if resolution == Resolution.CORRECTED and not checked:
        raise ApplicationError(gettext("Hãy nhập ít nhất một giá trị đã sửa."))
    if resolution == Resolution.APPLY_FIXES and not verdict.fixes:
        raise ApplicationError(gettext("Dòng này không có đề xuất sửa."))
    verdict.resolution = resolution
    verdict.corrected_values = checked if resolution == Resolution.CORRECTED else {}
    verdict.field_note = note.strip()
    verdict.corrected_by_id, verdict.corrected_at = actor.pk, timezone.now()
    verdict_quality_apply(verdict)


_SAVED: Final = ["resolution", "corrected_values", "field_note", "corrected_by", "corrected_at", *QUALITY_FLAGS]


@transaction.atomic
def row_verdict_correct(
    *, actor: Actor, verdict_id: int, resolution: str, values: dict[str, str], note: str = ""
) -> RowVerdict:
    """An officer's correction of one row (audited; the run's quality snapshot refreshed)."""
    verdict = row_verdict_lock(actor=actor, verdict_id=verdict_id)
    previous = verdict.resolution
    _apply(verdict, actor=actor, resolution=resolution, values=values, note=note)
    verdict.save(update_fields=_SAVED)
    audit_record(
        actor=actor,
        action="cleansing.correct",
        obj=verdict,
        purpose=AccessPurpose.DATA_CLEANSING,
        details={
            "run": verdict.run_id,
            "row": verdict.row,
            "resolution": resolution,
            "fields": sorted(verdict.corrected_values),
            "previous": previous,
            "source": "web",
        },
    )
    quality_snapshot_take(verdict.run)
    return verdict


# --- returned work lists -----------------------------------------------------------------------------------------

# What a field team writes in "Kết quả xác minh thực tế", checked in this order. Phrases are compared without marks
# (typed either way), single words with their marks, since "dung" may be "đúng" or "dừng".
_KEYWORDS: Final[tuple[tuple[Resolution, tuple[str, ...], tuple[str, ...]], ...]] = (
    (
        Resolution.REMOVE,
        ("da chet", "qua doi", "chuyen di", "khong co thuc", "khong co nguoi", "loai khoi danh sach"),
        ("chết",),
    ),
    (Resolution.CONFIRMED, ("giu nguyen", "thong tin dung", "dung nhu danh sach"), ()),
    (Resolution.APPLY_FIXES, ("dong y", "sua theo de xuat", "dung theo de xuat", "ok", "x"), ("đúng",)),
)
# "Ngày sinh: 12/03/1980; Họ tên: Nguyễn Văn A" — labels a team may write before a value.
_LABELS: Final[dict[str, str]] = {
    "ho ten": Field.FULL_NAME.value,
    "ho va ten": Field.FULL_NAME.value,
    "ten": Field.FULL_NAME.value,
    "ngay sinh": Field.DATE_OF_BIRTH.value,
    "ns": Field.DATE_OF_BIRTH.value,
    "so dinh danh": Field.PERSONAL_ID.value,
    "so ddcn": Field.PERSONAL_ID.value,
    "dinh danh": Field.PERSONAL_ID.value,
    "cccd": Field.PERSONAL_ID.value,
    "so cccd": Field.PERSONAL_ID.value,
    "gioi tinh": Field.GENDER.value,
    "gt": Field.GENDER.value,
}
_LABELLED: Final = re.compile(r"([^:;\n]+):\s*([^;\n]+)")


@dataclass(frozen=True)
class Finding:
    """What a note in a returned work list says: a resolution and corrected values, or nothing usable."""

    resolution: str
    values: dict[str, str] = field(default_factory=dict)


def finding_parse(note: str) -> Finding | None:
    """Read a field team's note; None when it says nothing the system can apply (an officer reads it)."""
    labelled = {
        _LABELS[fold(label).strip()]: value.strip()
        for label, value in _LABELLED.findall(note)
        if fold(label).strip() in _LABELS
    }
    if labelled:
        return Finding(Resolution.CORRECTED, labelled)
    folded = f" {' '.join(re.sub(r'[^a-z0-9 ]', ' ', fold(note)).split())} "
    words = set(re.findall(r"\w+", canonical_tone(note).lower()))
    for resolution, phrases, marked in _KEYWORDS:
        if any(f" {phrase} " in folded for phrase in phrases) or words.intersection(marked):
            return Finding(resolution)
    return None


@dataclass(frozen=True)
class ReturnedRow:
    sheet: str
    line: int  # 1-based line in the sheet
    row: int | None  # the run's data row ("Dòng"), None when unreadable
    outcome: str  # applied | note_only | error | blank
    message: str = ""


@dataclass
class ReturnReport:
    rows: list[ReturnedRow] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def applied(self) -> int:
        return self.count("applied")

    @property
    def note_only(self) -> int:
        return self.count("note_only")

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def blank(self) -> int:
        return self.count("blank")


_ROW_HEADER, _NAME_HEADER, _FINDING_HEADER = HEADER[0], HEADER[1], HEADER[-1]


def _read_returned(path: Path) -> list[tuple[str, int, str, str, str]]:
    """(sheet, line, row text, name, note) for every line under the header of every sheet of a work list."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every unreadable workbook
        raise ApplicationError(gettext("Không đọc được tệp danh sách trả về (cần tệp XLSX).")) from exc
    lines = []
    for sheet_name in workbook.sheet_names:
        data = workbook.get_sheet_by_name(sheet_name).to_python()
        if not data:
            continue
        header = [nfc(str(v)) for v in data[0]]
        if _ROW_HEADER not in header or _FINDING_HEADER not in header:
            raise ApplicationError(
                gettext("Trang “%(sheet)s” không phải danh sách rà soát của hệ thống (thiếu cột “%(column)s”).")
                % {"sheet": sheet_name, "column": _FINDING_HEADER}
            )
        row_at, name_at, note_at = (header.index(h) for h in (_ROW_HEADER, _NAME_HEADER, _FINDING_HEADER))
        for number, values in enumerate(data[1:], start=2):
            cells = [nfc(str(v)) if v is not None else "" for v in values]
            cells += [""] * (len(header) - len(cells))
            lines.append((sheet_name, number, cells[row_at], cells[name_at], cells[note_at].strip()))
    return lines


def _row_number(text: str) -> int | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() and number > 0 else None


@transaction.atomic
def worklist_returned_import(*, actor: Actor, run: CleansingRun, path: Path) -> ReturnReport:
    """Apply the notes of a returned work list to the run's rows; every line of the file is reported.

    A line whose row is not in the run (or not in the actor's units), whose name no longer matches the row, or
    whose values cannot be read is reported as an error and changes nothing; a note the system cannot read is kept
    on the row for an officer. Audited once with the counts."""
    lines = _read_returned(path)
    verdicts = visible_to(
        RowVerdict.objects.filter(run=run).select_for_update(of=("self",)),
        actor=actor,
        permission=Permission.CLEANSING_REVIEW,
    )
    wanted = {n for n in (_row_number(line[2]) for line in lines) if n is not None}
    by_row = {v.row: v for v in verdicts.filter(row__in=wanted)}
    report = ReturnReport()
    changed: list[RowVerdict] = []
    for sheet, line, row_text, name, note in lines:
        row = _row_number(row_text)
        verdict = by_row.get(row) if row is not None else None
        if not note:
            report.rows.append(ReturnedRow(sheet, line, row, "blank"))
            continue
        if verdict is None:
            message = gettext("Dòng %(row)s không có trong lượt đối chiếu này (hoặc ngoài địa bàn của bạn).")
            report.rows.append(ReturnedRow(sheet, line, row, "error", message % {"row": row_text}))
            continue
        if fold(name) != fold(str(verdict.raw.get("full_name", ""))):
            message = gettext("Họ tên “%(name)s” không khớp với dòng %(row)s của lượt đối chiếu.")
            report.rows.append(ReturnedRow(sheet, line, row, "error", message % {"name": name, "row": row}))
            continue
        finding = finding_parse(note)
        try:
            if finding is None:
                _apply(verdict, actor=actor, resolution=verdict.resolution, values=verdict.corrected_values, note=note)
                outcome = "note_only"
            else:
                # "Đúng" on a row with nothing to fix means the row is right as typed.
                resolution = finding.resolution
                if resolution == Resolution.APPLY_FIXES and not verdict.fixes:
                    resolution = Resolution.CONFIRMED
                _apply(verdict, actor=actor, resolution=resolution, values=finding.values, note=note)
                outcome = "applied"
        except ApplicationError as exc:
            report.rows.append(ReturnedRow(sheet, line, row, "error", exc.message))
            continue
        changed.append(verdict)
        report.rows.append(ReturnedRow(sheet, line, row, outcome))
    RowVerdict.objects.bulk_update(changed, _SAVED, batch_size=1000)
    audit_record(
        actor=actor,
        action="cleansing.worklist_import",
        obj=run,
        purpose=AccessPurpose.DATA_CLEANSING,
        details={
            "file": path.name,
            "lines": len(report.rows),
            "applied": report.applied,
            "note_only": report.note_only,
            "errors": report.errors,
            "rows": sorted(v.row for v in changed),
        },
    )
    if changed:
        quality_snapshot_take(run)
    return report
