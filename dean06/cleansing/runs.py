"""Cleansing runs from the web: upload, execution as a background job, and officers' decisions (issue #4)."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from enum import StrEnum
from itertools import batched
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dean06.cleansing.models import SECTOR_CHOICES, CleansingRun, RowVerdict
from dean06.cleansing.pipeline.errors import ReadError
from dean06.cleansing.pipeline.schema import ROW, Field, ResultColumn
from dean06.cleansing.quality import QUALITY_FLAGS, quality_snapshot_take, verdict_quality_apply
from dean06.cleansing.services import cleanse_file
from dean06.core.access import access_by_id, require_permission, visible_to
from dean06.core.audit import audit_record
from dean06.core.errors import ApplicationError
from dean06.core.roles import AccessPurpose, Permission
from dean06.registry.models import AdministrativeUnit, Person
from dean06.registry.models.units import Era, Level

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User

logger = logging.getLogger(__name__)

NOT_FOUND = "not_found"
_FIELDS = {f.value for f in Field}
_BATCH = 2000
RESULT_FILE, DETAILS_FILE, CANDIDATES_FILE = "ket-qua.parquet", "chi-tiet.parquet", "ung-vien.parquet"
AGREE_KEYS = ("agree_name", "agree_dob", "agree_gender", "agree_id", "agree_commune")


class Stage(StrEnum):
    """What a running run is doing, shown beside its progress bar."""

    MATCH = "match"
    SAVE = "save"


STAGE_LABELS = {Stage.MATCH: _("Đang đọc tệp và đối chiếu với CSDL dân cư"), Stage.SAVE: _("Đang lưu kết quả")}


@transaction.atomic
def cleansing_run_create(
    *, actor: User, upload: UploadedFile[bytes], sector: str, unit: AdministrativeUnit
) -> CleansingRun:
    """Store the file under MEDIA_ROOT/cleansing/, create the run and queue its job once the run is committed."""
    require_permission(actor, Permission.CLEANSING_RUN, unit_path=unit.path)
    if sector not in dict(SECTOR_CHOICES):
        raise ApplicationError(gettext("Lĩnh vực không hợp lệ."))
    name = Path(upload.name or "tep").name
    run = CleansingRun(unit=unit, sector=sector, original_name=name[:255], created_by=actor)
    run.file.save(name, upload, save=False)
    run.save()
    audit_record(
        actor=actor,
        action="cleansing.upload",
        obj=run,
        purpose=AccessPurpose.DATA_CLEANSING,
        details={"file": run.original_name, "sector": sector, "unit": unit.path},
    )

    cleansing_run_enqueue(run)
    return run


def cleansing_run_enqueue(run: CleansingRun) -> None:
    """Queue the run's job once the transaction that created it commits (the worker must see the row)."""
    from dean06.cleansing.jobs import cleansing_run_execute_job  # the job module imports this one

    run_id = run.pk
    transaction.on_commit(lambda: cleansing_run_execute_job.enqueue(run_id=run_id))


def _raw_values(frame: pl.DataFrame) -> dict[int, dict[str, str]]:
    """The person fields of each data row as the file gave them, by row number."""
    columns = [c for c in frame.columns if c in _FIELDS]
    return {
        int(record[ROW]): {c: str(record[c]) for c in columns if record[c] not in (None, "")}
        for record in frame.select([ROW, *columns]).iter_rows(named=True)
    }


def _candidates_by_row(path: Path) -> dict[int, list[dict[str, object]]]:
    """The review candidates per row (ranked), as stored on the verdict."""
    found: dict[int, list[dict[str, object]]] = {}
    for record in pl.read_parquet(path).sort(ROW, "rank").iter_rows(named=True):
        agreement = {key: record[key] for key in AGREE_KEYS if record.get(key)}
        candidate = {"personal_id": record["personal_id"], "score": round(float(record["score"]), 4)}
        found.setdefault(int(record[ROW]), []).append(candidate | {"agreement": agreement})
    return found


def _verdicts(run: CleansingRun, workdir: Path, raw: dict[int, dict[str, str]]) -> Iterator[RowVerdict]:
    """One unsaved RowVerdict per row of the pipeline's output, with agreement, candidates and quality flags."""
    results = pl.read_parquet(workdir / RESULT_FILE).join(pl.read_parquet(workdir / DETAILS_FILE), on=ROW, how="left")
    candidates = _candidates_by_row(workdir / CANDIDATES_FILE)
    ids = [i for i in results[ResultColumn.PERSONAL_ID].unique().to_list() if i]
    codes = [c for c in results["commune_code"].unique().to_list() if c]
    # Verdict scoping (see models.py): the commune of the person the row names, else the run's unit.
    person_communes = dict(Person.objects.filter(personal_id__in=ids).values_list("personal_id", "commune_id"))
    address_communes = dict(
        AdministrativeUnit.objects.filter(era=Era.Y2025, level=Level.COMMUNE, code__in=codes).values_list("code", "id")
    )
    run_commune = run.unit_id if run.unit.level == Level.COMMUNE else None
    for record in results.iter_rows(named=True):
        row, personal_id = int(record[ROW]), record[ResultColumn.PERSONAL_ID] or ""
        person_commune = person_communes.get(personal_id)
        verdict = RowVerdict(
            run=run,
            unit_id=person_commune or run.unit_id,
            commune_id=person_commune or address_communes.get(record["commune_code"] or "") or run_commune,
            row=row,
            personal_id=personal_id[:12],
            row_class=record[ResultColumn.CLASS],
            confidence=float(record[ResultColumn.CONFIDENCE] or 0),
            reasons=record[ResultColumn.REASONS] or "",
            fixes=record[ResultColumn.FIXES] or "",
            raw=raw.get(row, {}),
            agreement={key: record[key] for key in AGREE_KEYS if record[key]},
            candidates=candidates.get(row, []),
        )
        verdict_quality_apply(verdict)
        yield verdict


def _progress(run: CleansingRun, percent: int, stage: str) -> None:
    """Saved at once, outside any transaction, so the page polling the run sees it."""
    run.progress, run.stage = percent, stage
    CleansingRun.objects.filter(pk=run.pk).update(progress=percent, stage=stage)


def _store(run: CleansingRun, verdicts: Iterator[RowVerdict], rows: int) -> None:
    """Insert the verdicts in batches, each committed, with the progress moving from 60 % to 95 %."""
    RowVerdict.objects.filter(run=run).delete()
    done = 0
    for batch in batched(verdicts, _BATCH):
        RowVerdict.objects.bulk_create(batch)
        done += len(batch)
        _progress(run, 60 + 35 * done // max(rows, 1), Stage.SAVE)


def cleansing_run_execute(*, run_id: int) -> CleansingRun:
    """Run the pipeline on the stored file and load one RowVerdict per row; a failure is kept on the run (and its
    partly stored rows removed), so a run is either done with every row or failed with none."""
    run = CleansingRun.objects.select_related("unit", "created_by").get(pk=run_id)
    if run.status != CleansingRun.Status.QUEUED:
        return run
    run.status, run.started_at = CleansingRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at", "updated_at"])
    _progress(run, 10, Stage.MATCH)
    path = Path(run.file.path)
    try:
        with tempfile.TemporaryDirectory(prefix="dean06-run-") as name:
            workdir = Path(name)
            report = cleanse_file(
                actor=run.created_by,
                path=path,
                sector=run.sector,
                out=workdir / RESULT_FILE,
                details=workdir / DETAILS_FILE,
                candidates=workdir / CANDIDATES_FILE,
            )
            _progress(run, 60, Stage.SAVE)
            assert report.original is not None
            _store(run, _verdicts(run, workdir, _raw_values(report.original)), report.summary.rows)
        run.rows = report.summary.rows
        run.counts = {str(k): v for k, v in report.summary.counts.items()}
        run.status = CleansingRun.Status.DONE
        quality_snapshot_take(run)
    except ReadError as exc:
        run.status, run.error = CleansingRun.Status.FAILED, exc.message_vi
    except Exception:
        logger.exception("cleansing run %s failed", run_id)
        run.status, run.error = CleansingRun.Status.FAILED, str(_("Lỗi hệ thống khi xử lý tệp. Vui lòng thử lại."))
    if run.status == CleansingRun.Status.FAILED:
        RowVerdict.objects.filter(run=run).delete()
    run.finished_at = timezone.now()
    run.progress, run.stage = 100, ""
    run.save(update_fields=["status", "rows", "counts", "error", "finished_at", "progress", "stage", "updated_at"])
    return run


def row_verdict_lock(*, actor: User | AnonymousUser, verdict_id: int) -> RowVerdict:
    """A row the actor may review, locked for the rest of the transaction (two officers deciding at once)."""
    return access_by_id(
        RowVerdict.objects.select_related("run").select_for_update(of=("self",)),
        actor=actor,
        permission=Permission.CLEANSING_REVIEW,
        pk=verdict_id,
    )


@transaction.atomic
def row_verdict_decide(*, actor: User | AnonymousUser, verdict_id: int, decision: str) -> RowVerdict:
    """The officer's answer for a row: the personal ID of the person it is, or "not_found"; audited."""
    verdict = row_verdict_lock(actor=actor, verdict_id=verdict_id)
    decision = decision.strip()
    if decision != NOT_FOUND:
        persons = visible_to(Person.objects.all(), actor=actor, permission=Permission.PERSON_VIEW)
        if not (len(decision) == 12 and decision.isdigit() and persons.filter(personal_id=decision).exists()):
            raise ApplicationError(gettext("Không tìm thấy công dân có số định danh này trên địa bàn của bạn."))
    previous = verdict.decision
    verdict.decision, verdict.decided_by_id, verdict.decided_at = decision, actor.pk, timezone.now()
    verdict_quality_apply(verdict)
    verdict.save(update_fields=["decision", "decided_by", "decided_at", *QUALITY_FLAGS])
    audit_record(
        actor=actor,
        action="cleansing.decide",
        obj=verdict,
        purpose=AccessPurpose.DATA_CLEANSING,
        details={
            "run": verdict.run_id,
            "row": verdict.row,
            "class": verdict.row_class,
            "decision": decision,
            "previous": previous,
        },
    )
    quality_snapshot_take(verdict.run)
    return verdict
