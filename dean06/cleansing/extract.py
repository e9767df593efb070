"""Bridges between the database and the pure pipeline: the registry extract and address → commune codes.

These are the only cleansing modules that read Django models; the pipeline itself sees Parquet files and
Polars frames (ADR-0006 §4, architecture.md).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dean06.cleansing.pipeline.schema import Field, RegistryColumn, normalized
from dean06.registry.models import Person
from dean06.registry.models.units import Era
from dean06.registry.units.resolver import resolve_address
from dean06.text import canonical_tone

_REGISTRY_FIELDS = (
    "pk",
    "personal_id",
    "old_id",
    "full_name",
    "name_key",
    "date_of_birth",
    "gender",
    "commune__code",
    "legacy_commune__code",
    "status",
    "death_date",
)
_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    RegistryColumn.PERSON_ID: pl.Int64,
    RegistryColumn.PERSONAL_ID: pl.String,
    RegistryColumn.OLD_ID: pl.String,
    RegistryColumn.FULL_NAME: pl.String,
    RegistryColumn.NAME_KEY: pl.String,
    RegistryColumn.DATE_OF_BIRTH: pl.Date,
    RegistryColumn.GENDER: pl.String,
    RegistryColumn.COMMUNE_CODE: pl.String,
    RegistryColumn.LEGACY_COMMUNE_CODE: pl.String,
    RegistryColumn.STATUS: pl.String,
    RegistryColumn.DEATH_DATE: pl.Date,
}
CHUNK = 100_000


def registry_extract(path: Path) -> int:
    """Write every registry person to Parquet in the pipeline's columns; return the count."""
    rows = Person.objects.order_by("pk").values_list(*_REGISTRY_FIELDS).iterator(chunk_size=CHUNK)
    frames: list[pl.DataFrame] = []
    batch: list[tuple[object, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            frames.append(pl.DataFrame(batch, schema=_SCHEMA, orient="row"))
            batch = []
    frames.append(pl.DataFrame(batch, schema=_SCHEMA, orient="row"))
    registry = pl.concat(frames).with_columns(
        pl.col(RegistryColumn.FULL_NAME).map_elements(canonical_tone, return_dtype=pl.String),
        pl.col(RegistryColumn.OLD_ID).replace("", None),
    )
    registry.write_parquet(path)
    return registry.height


def _address_text(frame: pl.DataFrame) -> pl.Series:
    """One address per row, from whichever address columns the list has, smallest unit first as Vietnamese
    addresses are written ("Ấp Phú Hòa, Xã Long Đức, Tỉnh Vĩnh Long"): the resolver reads units in that order."""
    columns = (normalized(Field.HAMLET), normalized(Field.ADDRESS), normalized(Field.COMMUNE))
    parts = [c for c in columns if c in frame]
    if not parts:
        return pl.Series("address", [None] * frame.height, dtype=pl.String)
    return frame.select(pl.concat_str([pl.col(c) for c in parts], separator=", ", ignore_nulls=True)).to_series()


def communes_resolve(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `n_commune_code` (today's commune, or null unless the resolver is sure) and `n_commune_era`."""
    addresses = _address_text(frame)
    codes: dict[str | None, tuple[str | None, str | None]] = {None: (None, None), "": (None, None)}
    for text in addresses.unique().to_list():
        if text in codes:
            continue
        resolution = resolve_address(text).as_dict()
        eras = [str(e) for e in resolution["legacy"]["eras"]]
        if resolution["status"] == "ok":
            era = Era.PRE2025 if Era.PRE2025 in eras and Era.Y2025 not in eras else Era.Y2025
            codes[text] = (resolution["communes"][0]["code"], str(era))
        else:
            codes[text] = (None, None)
    resolved = [codes[text] for text in addresses.to_list()]
    return frame.with_columns(
        pl.Series("n_commune_code", [code for code, _ in resolved], dtype=pl.String),
        pl.Series("n_commune_era", [era for _, era in resolved], dtype=pl.String),
    )
