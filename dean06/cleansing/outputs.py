"""What a finished run gives back: a commune's work list, the cleaned dataset, and a re-run with the corrections.

All three start from the stored file read again (so every column the office typed comes back) and the run's
verdicts the actor may see, with the corrections of officers and field teams applied. Audited.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Final

import polars as pl
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext

from dean06.cleansing.exports import NOTE, RESOLUTION, RESOLUTION_LABEL, cleaned_export, fix_values
from dean06.cleansing.models import CleansingRun, Resolution, RowClassChoice, RowVerdict
from dean06.cleansing.pipeline.reading import SectorFrame, read_sector_file
from dean06.cleansing.pipeline.schema import ROW, Field, ResultColumn
from dean06.cleansing.runs import cleansing_run_enqueue
from dean06.cleansing.worklists import worklists_write
from dean06.core.access import require_permission, visible_to
from dean06.core.audit import audit_record
from dean06.core.errors import ApplicationError, NotFoundError
from dean06.core.roles import AccessPurpose, Permission

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User

    type Actor = User | AnonymousUser

EXPORT_FORMATS: Final = ("xlsx", "csv")
_APPLIED: Final = (Field.FULL_NAME, Field.DATE_OF_BIRTH, Field.GENDER, Field.PERSONAL_ID)


def _original(run: CleansingRun) -> SectorFrame:
    return read_sector_file(Path(run.file.path))


def _visible_verdicts(actor: Actor, run: CleansingRun) -> list[RowVerdict]:
    verdicts = visible_to(RowVerdict.objects.filter(run=run), actor=actor, permission=Permission.CLEANSING_RUN)
    return list(verdicts.select_related("commune").order_by("row"))


def verdict_frame(verdicts: list[RowVerdict]) -> pl.DataFrame:
    """The verdicts as the pipeline's result columns, plus the resolution and the field team's note."""
    return pl.DataFrame(
        {
            ROW: [v.row for v in verdicts],
            ResultColumn.PERSONAL_ID.value: [v.personal_id or None for v in verdicts],
            ResultColumn.CLASS.value: [v.row_class for v in verdicts],
            ResultColumn.CONFIDENCE.value: [v.confidence for v in verdicts],
            ResultColumn.REASONS.value: [v.reasons for v in verdicts],
            ResultColumn.FIXES.value: [v.fixes for v in verdicts],
            RESOLUTION: [v.resolution for v in verdicts],
            RESOLUTION_LABEL: [v.get_resolution_display() if v.resolution else "" for v in verdicts],
            NOTE: [v.field_note for v in verdicts],
        },
        schema={
            ROW: pl.Int64,
            ResultColumn.PERSONAL_ID.value: pl.String,
            ResultColumn.CLASS.value: pl.String,
            ResultColumn.CONFIDENCE.value: pl.Float64,
            ResultColumn.REASONS.value: pl.String,
            ResultColumn.FIXES.value: pl.String,
            RESOLUTION: pl.String,
            RESOLUTION_LABEL: pl.String,
            NOTE: pl.String,
        },
    )


def corrections_of(verdict: RowVerdict) -> dict[str, str]:
    """The values a row gets from its review and corrections: the person an officer chose, the suggested fixes
    when applied, the values a field team found."""
    values: dict[str, str] = {}
    if verdict.decision and verdict.decision != "not_found":
        values[Field.PERSONAL_ID.value] = verdict.decision
    if verdict.resolution == Resolution.APPLY_FIXES:
        fixes = fix_values(verdict.fixes)
        values |= {f.value: fixes[f.value] for f in _APPLIED if f.value in fixes}
    elif verdict.resolution == Resolution.CORRECTED:
        values |= verdict.corrected_values
    return values


def corrected_original(original: pl.DataFrame, verdicts: list[RowVerdict]) -> pl.DataFrame:
    """The rows of `verdicts` as read, with their corrections applied in place (columns added when absent)."""
    rows = original.filter(pl.col(ROW).is_in([v.row for v in verdicts]))
    changes = {v.row: corrections_of(v) for v in verdicts}
    columns = {name for change in changes.values() for name in change}
    if not columns:
        return rows
    records = rows.to_dicts()
    for record in records:
        record.update(changes.get(int(record[ROW]), {}))
    schema = {**rows.schema, **{name: pl.String() for name in columns if name not in rows.columns}}
    return pl.DataFrame(records, schema=schema, orient="row")


def _worklist_verdicts(verdicts: list[RowVerdict]) -> pl.DataFrame:
    return verdict_frame(verdicts).filter(pl.col(RESOLUTION) == "")  # a resolved row needs no visit


def run_worklist(*, actor: Actor, run: CleansingRun, commune_code: str, workdir: Path) -> Path:
    """The work list of one commune (the rows of the actor's units whose row names it), written in `workdir`."""
    verdicts = [v for v in _visible_verdicts(actor, run) if v.commune and v.commune.code == commune_code]
    if not verdicts:
        raise NotFoundError()
    commune = verdicts[0].commune
    assert commune is not None
    communes = pl.DataFrame(
        {ROW: [v.row for v in verdicts], "commune_code": commune.code, "commune_name": commune.name},
        schema={ROW: pl.Int64, "commune_code": pl.String, "commune_name": pl.String},
    )
    paths = worklists_write(_original(run).frame, _worklist_verdicts(verdicts), workdir, communes)
    audit_record(
        actor=actor,
        action="cleansing.worklist_export",
        obj=run,
        purpose=AccessPurpose.DATA_CLEANSING,
        details={"commune": commune_code, "rows": [v.row for v in verdicts if v.row_class != RowClassChoice.EXACT]},
    )
    if not paths:
        raise ApplicationError(gettext("Xã, phường này không có dòng nào cần xác minh."))
    return paths[0]


def run_cleaned_export(*, actor: Actor, run: CleansingRun, file_format: str, workdir: Path) -> Path:
    """The cleaned dataset of the actor's rows of `run` as XLSX or CSV, corrections applied."""
    if file_format not in EXPORT_FORMATS:
        raise NotFoundError()
    verdicts = _visible_verdicts(actor, run)
    read = _original(run)
    path = workdir / f"{Path(run.original_name).stem}-da-lam-sach.{file_format}"
    cleaned_export(corrected_original(read.frame, verdicts), verdict_frame(verdicts), path, read.report.columns)
    audit_record(
        actor=actor,
        action="cleansing.export",
        obj=run,
        purpose=AccessPurpose.DATA_CLEANSING,
        details={"format": file_format, "rows": len(verdicts)},
    )
    return path


def _rerun_file(read: SectorFrame, verdicts: list[RowVerdict]) -> bytes:
    """The list again as CSV (UTF-8 with BOM), the file's own headers, corrections applied, removed rows left out."""
    kept = [v for v in verdicts if v.resolution != Resolution.REMOVE]
    frame = corrected_original(read.frame, kept)
    columns = [c for c in frame.columns if c != ROW]
    headers = {**{f.value: f.value for f in Field}, **read.report.columns}
    with tempfile.SpooledTemporaryFile(mode="w+", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([_header_for(headers, c) for c in columns])
        writer.writerows([("" if v is None else v) for v in row] for row in frame.select(columns).iter_rows())
        handle.seek(0)
        return ("\ufeff" + handle.read()).encode("utf-8")


# Headers the reader recognises for a column the original file did not have (a correction added it).
_ADDED_HEADERS: Final = {Field.PERSONAL_ID.value: "Số định danh", Field.GENDER.value: "Giới tính"}


def _header_for(headers: dict[str, str], column: str) -> str:
    header = headers.get(column, column)
    return _ADDED_HEADERS.get(column, header) if header == column else header


@transaction.atomic
def cleansing_run_rerun(*, actor: User, run: CleansingRun) -> CleansingRun:
    """A new run of the same list with every correction applied and removed rows left out; needs the whole run
    visible (a re-run of part of a list would lose rows)."""
    require_permission(actor, Permission.CLEANSING_RUN, unit_path=run.unit.path)
    if run.status != CleansingRun.Status.DONE:
        raise ApplicationError(gettext("Chỉ chạy lại được lượt đã hoàn thành."))
    verdicts = _visible_verdicts(actor, run)
    if len(verdicts) != run.rows:
        raise ApplicationError(gettext("Bạn không xem được mọi dòng của lượt này nên không chạy lại được."))
    content = _rerun_file(_original(run), verdicts)
    stem = Path(run.original_name).stem
    generation = CleansingRun.objects.filter(parent=run).count() + 2
    name = f"{stem}-lan-{generation}.csv"
    rerun = CleansingRun(unit=run.unit, sector=run.sector, original_name=name, created_by=actor, parent=run)
    rerun.file.save(name, ContentFile(content), save=False)
    rerun.save()
    audit_record(
        actor=actor,
        action="cleansing.rerun",
        obj=rerun,
        purpose=AccessPurpose.DATA_CLEANSING,
        details={"parent": run.pk, "rows": sum(1 for v in verdicts if v.resolution != Resolution.REMOVE)},
    )
    cleansing_run_enqueue(rerun)
    return rerun
