"""Cleansing runs from the web: upload, execution as a background job, and officers' decisions (issue #4)."""

from __future__ import annotations

import csv
import logging
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dean06.cleansing.models import SECTOR_CHOICES, CleansingRun, RowVerdict
from dean06.cleansing.pipeline.errors import ReadError
from dean06.cleansing.pipeline.reading import read_sector_file
from dean06.cleansing.pipeline.schema import ROW, Field
from dean06.cleansing.services import cleanse_file
from dean06.core.access import access_by_id, require_permission, visible_to
from dean06.core.audit import audit_record
from dean06.core.errors import ApplicationError
from dean06.core.roles import AccessPurpose, Permission
from dean06.registry.models import AdministrativeUnit, Person
from dean06.registry.models.units import Level

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User

logger = logging.getLogger(__name__)

NOT_FOUND = "not_found"
_FIELDS = {f.value for f in Field}
_BATCH = 2000


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

    from dean06.cleansing.jobs import cleansing_run_execute_job  # the job module imports this one

    run_id = run.pk
    transaction.on_commit(lambda: cleansing_run_execute_job.enqueue(run_id=run_id))
    return run


def _raw_values(path: Path) -> dict[int, dict[str, str]]:
    """The person fields of each data row as the file gave them, by row number."""
    frame = read_sector_file(path).frame
    columns = [c for c in frame.columns if c in _FIELDS]
    return {
        int(record[ROW]): {c: str(record[c]) for c in columns if record[c] not in (None, "")}
        for record in frame.select([ROW, *columns]).iter_rows(named=True)
    }


def _verdicts(run: CleansingRun, out: Path, raw: dict[int, dict[str, str]]) -> list[RowVerdict]:
    with out.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    ids = {r["personal_id"] for r in records if r["personal_id"]}
    # Verdict scoping (see models.py): the commune of the person the row names, else the run's unit.
    communes = dict(Person.objects.filter(personal_id__in=ids).values_list("personal_id", "commune_id"))
    run_commune = run.unit_id if run.unit.level == Level.COMMUNE else None
    verdicts = []
    for record in records:
        row = int(record["row"])
        commune_id = communes.get(record["personal_id"]) or run_commune
        verdicts.append(
            RowVerdict(
                run=run,
                unit_id=commune_id or run.unit_id,
                commune_id=commune_id,
                row=row,
                personal_id=record["personal_id"][:12],
                row_class=record["class"],
                confidence=float(record["confidence"] or 0),
                reasons=record["reasons"],
                fixes=record["fixes"],
                raw=raw.get(row, {}),
            )
        )
    return verdicts


def cleansing_run_execute(*, run_id: int) -> CleansingRun:
    """Run the pipeline on the stored file and load one RowVerdict per row; a failure is kept on the run."""
    run = CleansingRun.objects.select_related("unit", "created_by").get(pk=run_id)
    if run.status != CleansingRun.Status.QUEUED:
        return run
    run.status, run.started_at = CleansingRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at", "updated_at"])
    path = Path(run.file.path)
    try:
        with tempfile.TemporaryDirectory(prefix="dean06-run-") as workdir:
            out = Path(workdir, "ket-qua.csv")
            report = cleanse_file(actor=run.created_by, path=path, sector=run.sector, out=out)
            raw = _raw_values(path)
            with transaction.atomic():
                RowVerdict.objects.filter(run=run).delete()
                RowVerdict.objects.bulk_create(_verdicts(run, out, raw), batch_size=_BATCH)
                run.rows = report.summary.rows
                run.counts = {str(k): v for k, v in report.summary.counts.items()}
                run.status = CleansingRun.Status.DONE
    except ReadError as exc:
        run.status, run.error = CleansingRun.Status.FAILED, exc.message_vi
    except Exception:
        logger.exception("cleansing run %s failed", run_id)
        run.status, run.error = CleansingRun.Status.FAILED, str(_("Lỗi hệ thống khi xử lý tệp. Vui lòng thử lại."))
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "rows", "counts", "error", "finished_at", "updated_at"])
    return run


@transaction.atomic
def row_verdict_decide(*, actor: User | AnonymousUser, verdict_id: int, decision: str) -> RowVerdict:
    """The officer's answer for a row: the personal ID of the person it is, or "not_found"; audited."""
    verdict = access_by_id(
        RowVerdict.objects.select_related("run").select_for_update(of=("self",)),
        actor=actor,
        permission=Permission.CLEANSING_REVIEW,
        pk=verdict_id,
    )
    decision = decision.strip()
    if decision != NOT_FOUND:
        persons = visible_to(Person.objects.all(), actor=actor, permission=Permission.PERSON_VIEW)
        if not (len(decision) == 12 and decision.isdigit() and persons.filter(personal_id=decision).exists()):
            raise ApplicationError(gettext("Không tìm thấy công dân có số định danh này trên địa bàn của bạn."))
    previous = verdict.decision
    verdict.decision, verdict.decided_by_id, verdict.decided_at = decision, actor.pk, timezone.now()
    verdict.save(update_fields=["decision", "decided_by", "decided_at"])
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
    return verdict
