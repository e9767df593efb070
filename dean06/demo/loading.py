"""Write the generated demo population into the database as a stream, batch by batch.

PostgreSQL gets `COPY … FROM STDIN` (psycopg 3), other databases (SQLite) batched `executemany` INSERTs (the
statements come from `dean06.registry.bulk`).
Households get explicit ids (max id + household number), so person rows can point at them without a
round trip. The whole load is one transaction: an interrupted run leaves no half population behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

from dean06.core.audit import audit_record
from dean06.core.models import User
from dean06.demo.accounts import PROVINCE
from dean06.demo.population import (
    DECEASED,
    Geography,
    HouseholdRow,
    LegacyCommune,
    NewCommune,
    PersonRow,
    population_generate,
)
from dean06.registry.bulk import copy_sql, insert_sql
from dean06.registry.models import AdministrativeUnit, Household, Person, UnitSuccession
from dean06.registry.models.units import Era, Level

BATCH_PERSONS = 5000
HOUSEHOLD_COLUMNS = ("id", "code", "commune_id", "address", "created_at", "updated_at")
PERSON_COLUMNS = (
    "personal_id", "old_id", "full_name", "name_key", "sort_name", "date_of_birth", "gender", "commune_id",
    "legacy_commune_id", "address", "household_id", "is_household_head", "status", "death_date", "phone",
    "created_at", "updated_at",
)  # fmt: skip
URBAN_KINDS = frozenset({"phường", "thị trấn"})

Row = tuple[Any, ...]
Progress = Callable[[int], None]


class PopulationExistsError(Exception):
    """The database already holds persons or households and replacing them was not asked for."""


@dataclass(frozen=True)
class LoadReport:
    persons: int
    households: int
    deceased: int
    seed: int
    unlinked_accounts: int  # citizen accounts detached from their person by --replace


def _legacy_commune(successions: Sequence[UnitSuccession]) -> LegacyCommune:
    old = successions[0].old_unit
    district = old.parent
    assert district is not None and district.parent is not None  # pre-2025 communes sit in a district
    return LegacyCommune(
        id=old.pk,
        province_code=district.parent.code,
        name=old.name,
        district=district.name,
        province=district.parent.name,
        urban=old.kind in URBAN_KINDS,
        successors=tuple(NewCommune(s.new_unit.pk, s.new_unit.code, s.new_unit.name) for s in successions),
    )


def geography_load(province_code: str = PROVINCE) -> Geography:
    """The pre-2025 communes that now make up the province, each with its 2025 successor(s), in code order
    (so the generator sees the same sequence on every database)."""
    province = AdministrativeUnit.objects.get(era=Era.Y2025, level=Level.PROVINCE, code=province_code)
    successions = (
        UnitSuccession.objects.filter(new_unit__parent=province, old_unit__level=Level.COMMUNE)
        .select_related("old_unit__parent__parent", "new_unit")
        .order_by("old_unit__code", "new_unit__code")
    )
    communes = tuple(_legacy_commune(list(group)) for _, group in groupby(successions, key=lambda s: s.old_unit_id))
    return Geography(province=province.name, communes=communes)


def _clear() -> int:
    """Delete every person and household; returns how many citizen accounts were unlinked first
    (User.person is PROTECT). Rows of other tables still pointing at a person make the database refuse."""
    unlinked = User.objects.filter(person__isnull=False).update(person=None)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Plain DELETE, not TRUNCATE … CASCADE: that would also empty core_user and any other referencing table.
        for model in (Person, Household):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608  table name from the model
    return unlinked


def population_exists() -> bool:
    return Person.objects.exists() or Household.objects.exists()


def _make_room(replace: bool) -> int:
    if replace:
        return _clear()
    if population_exists():
        raise PopulationExistsError(
            "Cơ sở dữ liệu đã có công dân/hộ gia đình; dùng --replace để xóa và tạo lại. "
            "The database already has persons/households; use --replace to delete and regenerate them."
        )
    return 0


@dataclass
class _Batch:
    households: list[Row] = field(default_factory=list)
    persons: list[Row] = field(default_factory=list)
    deceased: int = 0


def _person_values(person: PersonRow, household_id: int, stamp: object) -> Row:
    return (
        person.personal_id, person.old_id, person.full_name, person.name_key, person.sort_name,
        person.date_of_birth, person.gender, person.commune_id, person.legacy_commune_id, person.address, household_id,
        person.is_household_head, person.status, person.death_date, person.phone, stamp, stamp,
    )  # fmt: skip


def _batches(stream: Iterator[HouseholdRow], batch_size: int) -> Iterator[_Batch]:
    """Database rows, about `batch_size` persons at a time (whole households), the only rows ever held."""
    first_id = (Household.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    batch = _Batch()
    for household in stream:
        pk = first_id + household.number - 1
        batch.households.append((pk, household.code, household.commune_id, household.address, stamp, stamp))
        batch.persons.extend(_person_values(p, pk, stamp) for p in household.members)
        batch.deceased += sum(p.status == DECEASED for p in household.members)
        if len(batch.persons) >= batch_size:
            yield batch
            batch = _Batch()
    if batch.persons:
        yield batch


def _copy_batches(batches: Iterator[_Batch]) -> Iterator[_Batch]:
    """COPY each batch. The next batch is generated while the persons COPY is still open: a psycopg worker
    thread sends the rows and the server indexes them meanwhile, so client and server work in parallel."""
    households_copy = copy_sql(Household._meta.db_table, HOUSEHOLD_COLUMNS)
    persons_copy = copy_sql(Person._meta.db_table, PERSON_COLUMNS)
    raw = connection.connection  # the psycopg connection, inside Django's open transaction
    with raw.cursor() as cursor:
        batch = next(batches, None)
        while batch is not None:
            with cursor.copy(households_copy) as copy:
                for row in batch.households:
                    copy.write_row(row)
            with cursor.copy(persons_copy, writer=QueuedLibpqWriter(cursor)) as copy:
                for row in batch.persons:
                    copy.write_row(row)
                done, batch = batch, next(batches, None)
            yield done


def _insert_batches(batches: Iterator[_Batch]) -> Iterator[_Batch]:
    households_insert = insert_sql(Household._meta.db_table, HOUSEHOLD_COLUMNS)
    persons_insert = insert_sql(Person._meta.db_table, PERSON_COLUMNS)
    with connection.cursor() as cursor:
        for batch in batches:
            cursor.executemany(households_insert, batch.households)
            cursor.executemany(persons_insert, batch.persons)
            yield batch


def _write_stream(stream: Iterator[HouseholdRow], batch_size: int, progress: Progress | None) -> tuple[int, int, int]:
    """Write households and their members batch by batch; returns (persons, households, deceased)."""
    write = _copy_batches if connection.vendor == "postgresql" else _insert_batches
    persons = households = deceased = 0
    for batch in write(_batches(stream, batch_size)):
        persons += len(batch.persons)
        households += len(batch.households)
        deceased += batch.deceased
        if progress:
            progress(persons)
    return persons, households, deceased


def _reset_household_sequence() -> None:
    """Move the id sequence past the explicit ids (PostgreSQL; SQLite's AUTOINCREMENT follows by itself)."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Household]):
            cursor.execute(statement)


def population_load(
    *, persons: int, seed: int, replace: bool = False, progress: Progress | None = None, batch_size: int = BATCH_PERSONS
) -> LoadReport:
    """Generate `persons` people for the demo province and write them; one audit entry per run."""
    geography = geography_load()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Check foreign keys at each COPY instead of queueing millions of checks until commit.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        unlinked = _make_room(replace)
        stream = population_generate(geography, persons=persons, seed=seed)
        written, households, deceased = _write_stream(stream, batch_size, progress)
        _reset_household_sequence()
        report = LoadReport(written, households, deceased, seed, unlinked)
        audit_record(
            actor=None,
            action="person.bulk_load",
            object_type="registry.person",
            purpose="Dữ liệu mẫu / demo data",
            details={
                "persons": written,
                "households": households,
                "deceased": deceased,
                "seed": seed,
                "replaced": replace,
                "unlinked_accounts": unlinked,
            },
        )
    return report
