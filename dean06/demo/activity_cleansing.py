"""Cleansing runs of the demo sector lists (the welfare XLSX and the insurance CSV that `dean06 demo
--sector-files` writes), uploaded by the working group for the province and executed by the cleansing pipeline as
the background job would (cleansing.runs). Each sector list is cleansed once, early in the window (a run of the
pipeline takes seconds); its quality snapshot is dated that day and retaken on the first working day of each later
month, so the CLEANSING_* KPIs have a value for every month of the window and the trend has points (a flat one:
no row is reviewed in between)."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from random import Random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from dean06.cleansing.models import CleansingRun, QualitySnapshot
from dean06.cleansing.quality import quality_snapshot_take
from dean06.cleansing.runs import cleansing_run_create, cleansing_run_execute
from dean06.core.models import User
from dean06.demo.accounts import PROVINCE
from dean06.demo.activity_context import Window
from dean06.demo.management.commands.demo import SECTOR_FILES
from dean06.registry.models import AdministrativeUnit
from dean06.registry.models.units import Era

RUN_WORKING_DAY = 5  # the lists are cleansed in the first weeks of the window


def _standing_days(window: Window) -> list[date]:
    """The day of the run, then the first working day of each later month: a snapshot of the standing on each."""
    first = window.working_days(window.first_day, window.today)
    days = [first[min(RUN_WORKING_DAY, len(first) - 1)]] if first else [window.today]
    for year, month in window.months[1:]:
        days.extend(window.month_days(year, month)[:1])
    return days


def _snapshots_dated(run: CleansingRun, window: Window, days: list[date]) -> None:
    """Take the run's quality snapshot on each of `days` (the pipeline took the first one today)."""
    for number, day in enumerate(days):
        if number:
            quality_snapshot_take(run)
        taken = window.office_moment(Random(run.pk + number), day)
        QualitySnapshot.objects.filter(run=run, day=window.today).update(day=day, taken_at=taken)


def cleansing_runs_write(rng: Random, actor: User, window: Window, seed: int) -> int:
    """Cleanse each demo sector list once, early in the window; returns how many runs completed."""
    province = AdministrativeUnit.objects.get(era=Era.Y2025, code=PROVINCE)
    days = _standing_days(window)
    moment = window.office_moment(rng, days[0])
    done = 0
    with tempfile.TemporaryDirectory(prefix="dean06-demo-activity-") as name:
        try:
            call_command(
                "demo", "--keep-existing", "--no-accounts", "--sector-files", name, "--seed", str(seed),
                stdout=StringIO(),
            )  # fmt: skip
        except CommandError:  # too few persons for a sector list: no cleansing, the rest of the activity goes on
            return 0
        for sector, file_name in SECTOR_FILES:
            upload = SimpleUploadedFile(file_name, (Path(name) / file_name).read_bytes())
            run = cleansing_run_create(actor=actor, upload=upload, sector=sector, unit=province)
            run = cleansing_run_execute(run_id=run.pk)
            if run.status != CleansingRun.Status.DONE:
                continue
            done += 1
            finished = moment + timedelta(minutes=2)
            CleansingRun.objects.filter(pk=run.pk).update(
                created_at=moment, started_at=moment, finished_at=finished, updated_at=finished
            )
            _snapshots_dated(run, window, days)
    return done
