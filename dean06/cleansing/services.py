"""Running the cleansing pipeline on a sector file against the registry in the database (issue #4)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.utils import timezone

from dean06.cleansing.extract import communes_resolve, registry_extract
from dean06.cleansing.pipeline.match import SECTOR_SCHEMA
from dean06.cleansing.pipeline.normalize import normalize_frame, year_column
from dean06.cleansing.pipeline.reading import ReadReport, read_sector_file
from dean06.cleansing.pipeline.run import RunSummary, run_matching
from dean06.cleansing.pipeline.schema import ROW, Field, ResultColumn, normalized, quality
from dean06.cleansing.worklists import FIELD_WORK_CLASSES, worklists_write
from dean06.core.audit import audit_record
from dean06.core.models import User
from dean06.registry.models import AdministrativeUnit
from dean06.registry.models.units import Era, Level

SECTORS = ("welfare", "insurance", "land", "housing", "other")
_ID, _OLD_ID, _ID_QUALITY = normalized(Field.PERSONAL_ID), normalized(Field.OLD_ID), quality(Field.PERSONAL_ID)


@dataclass(frozen=True)
class CleanseReport:
    read: ReadReport
    summary: RunSummary
    registry_persons: int
    original: pl.DataFrame | None = None  # the rows as read (SectorFrame.frame)
    communes: pl.DataFrame | None = None  # row, commune_code, commune_name (today's commune, null if unsure)
    worklists: tuple[Path, ...] = field(default=())  # work-list files written (--worklists)
    worklist_rows: int = 0


def _communes(sector: pl.DataFrame) -> pl.DataFrame:
    """Each row's resolved commune (2025 code) with its name."""
    codes = sector.select(pl.col(ROW).cast(pl.Int64), pl.col("n_commune_code").cast(pl.String).alias("commune_code"))
    wanted = [c for c in codes["commune_code"].unique().to_list() if c]
    names = dict(
        AdministrativeUnit.objects.filter(era=Era.Y2025, level=Level.COMMUNE, code__in=wanted).values_list(
            "code", "name"
        )
    )
    return codes.with_columns(
        pl.col("commune_code").replace_strict(names, default=None, return_dtype=pl.String).alias("commune_name")
    )


def _verdicts_read(out: Path) -> pl.DataFrame:
    if out.suffix == ".parquet":
        return pl.read_parquet(out)
    return pl.read_csv(out, infer_schema=False).with_columns(pl.col(ROW).cast(pl.Int64))


def _split_ids(frame: pl.DataFrame) -> pl.DataFrame:
    """The matcher wants 12-digit IDs and 9-digit CMNDs apart; lists often put both in one column. An ID that
    could not be read keeps its digits, so a wrong or missing digit can still be matched (match.py contract)."""
    raw_digits = (
        pl.col(Field.PERSONAL_ID.value).str.replace_all(r"\D", "")
        if Field.PERSONAL_ID.value in frame
        else pl.lit(None, pl.String)
    )
    typed = pl.col(_ID) if _ID in frame else pl.lit(None, pl.String)
    old = pl.col(_OLD_ID) if _OLD_ID in frame else pl.lit(None, pl.String)
    id_quality = pl.col(_ID_QUALITY).cast(pl.String) if _ID_QUALITY in frame else pl.lit("missing")
    return frame.with_columns(
        pl.when(id_quality == "invalid")
        .then(raw_digits)
        .when(typed.str.len_chars() == 12)
        .then(typed)
        .otherwise(None)
        .alias(_ID),
        pl.when(typed.str.len_chars() == 9).then(typed).otherwise(old).alias(_OLD_ID),
        id_quality.alias(_ID_QUALITY),
    )


def _sector_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The normalised list in the matcher's input contract (missing columns become null)."""
    frame = frame.rename({year_column(Field.DATE_OF_BIRTH): "n_birth_year"}, strict=False)
    frame = communes_resolve(_split_ids(frame))
    columns = [
        (pl.col(name) if name in frame else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in SECTOR_SCHEMA.items()
    ]
    return frame.select(columns).with_columns(
        pl.col(quality(Field.FULL_NAME)).fill_null("missing"),
        pl.col(quality(Field.DATE_OF_BIRTH)).fill_null("missing"),
    )


def cleanse_file(
    *,
    actor: User | None,
    path: Path,
    sector: str,
    out: Path,
    sheet: str | None = None,
    mapping: dict[str, Field] | None = None,
    worklists: Path | None = None,
    details: Path | None = None,
    candidates: Path | None = None,
) -> CleanseReport:
    """Read, normalise, match and classify `path` against the whole registry; write the verdicts to `out`.

    With `worklists`, also write the field work lists (one XLSX per commune) into that directory. `details` and
    `candidates` (Parquet) receive the review outputs of `run_matching` (match.DETAILS_SCHEMA, CANDIDATES_SCHEMA).
    Raises pipeline ReadError (with Vietnamese and English messages) for a file that cannot be read."""
    sector_file = read_sector_file(path, sheet=sheet, mapping=mapping)
    normalised = normalize_frame(sector_file.frame, today=timezone.localdate())
    with tempfile.TemporaryDirectory(prefix="dean06-cleanse-") as workdir:
        registry_path, sector_path = Path(workdir, "registry.parquet"), Path(workdir, "sector.parquet")
        persons = registry_extract(registry_path)
        prepared = _sector_frame(normalised).sort(ROW)
        prepared.write_parquet(sector_path)
        summary = run_matching(sector_path, registry_path, out, details_path=details, candidates_path=candidates)
    communes = _communes(prepared)
    files: list[Path] = []
    work_rows = 0
    if worklists is not None:
        verdicts = _verdicts_read(out)
        files = worklists_write(sector_file.frame, verdicts, worklists, communes)
        work_rows = verdicts.filter(pl.col(ResultColumn.CLASS).is_in(sorted(FIELD_WORK_CLASSES))).height
    audit_record(
        actor=actor,
        action="cleansing.run",
        object_type="registry.person",
        purpose="data_cleansing",
        details={
            "file": path.name,
            "sector": sector,
            "rows": summary.rows,
            "classes": {str(k): v for k, v in summary.counts.items()},
            "registry_persons": persons,
        },
    )
    return CleanseReport(
        read=sector_file.report,
        summary=summary,
        registry_persons=persons,
        original=sector_file.frame,
        communes=communes,
        worklists=tuple(files),
        worklist_rows=work_rows,
    )
