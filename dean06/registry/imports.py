"""`dean06 registry load FILE.csv`: persons from a UTF-8 CSV export of the population database, upserted.

One transaction, so a failed run leaves the registry as it was; memory holds one batch whatever the file size.
1. The CSV is read as a stream. Each row is checked here: a valid one goes into a temporary staging table
   (`registry.bulk`: COPY on PostgreSQL, batched INSERTs on SQLite), a rejected one straight into the rejects
   CSV with its line number and reason.
2. Set-based SQL on the staging table: a later row repeating a personal ID is rejected, new IDs are counted,
   then one `INSERT … SELECT … ON CONFLICT (personal_id) DO UPDATE … WHERE <a column differs>`, so loading the
   same file again writes nothing.
3. One audit entry for the run (`person.bulk_import`) with the counts.

The checks are deliberately minimal (12 digits, 9 digits, real dates…): registry sits below identity, which
holds the full ID-number rules.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Final, NamedTuple, TextIO

from django.db import connection, transaction
from django.db.models import CharField
from django.utils import timezone

from dean06.core.audit import audit_record
from dean06.registry.bulk import BATCH_ROWS, Row, write_rows
from dean06.registry.models import AdministrativeUnit, Person, UnitSuccession
from dean06.registry.models.population import Gender, LifeStatus
from dean06.registry.models.units import Era, Level
from dean06.text import fold, name_collation_key, nfc

HEADER: Final = (
    "personal_id", "old_id", "full_name", "date_of_birth", "gender", "commune_code", "address", "status", "death_date",
)  # fmt: skip
REJECTS_HEADER: Final = ("line", "personal_id", "reason_vi", "reason_en")
STAGING: Final = "registry_person_import"
# Columns the file decides; the upsert compares and writes these (household, phone… are left alone).
DATA_COLUMNS: Final = (
    "old_id", "full_name", "name_key", "sort_name", "date_of_birth", "gender", "commune_id", "address", "status",
    "death_date",
)  # fmt: skip
STAGED_COLUMNS: Final = ("line", "personal_id", *DATA_COLUMNS, "legacy_commune_id")
FIRST_REJECTIONS_KEPT: Final = 20
PROGRESS_EVERY: Final = 100_000
_PERSONAL_ID: Final = re.compile(r"\d{12}")
_OLD_ID: Final = re.compile(r"\d{9}")
_DIGITS: Final = re.compile(r"\d+")
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_GENDERS: Final = frozenset(Gender.values)
_STATUSES: Final = frozenset(LifeStatus.values)  # `.values` is rebuilt on every access: too slow per row
_ERA_NAMES: Final = {Era.Y2025: ("từ 01/7/2025", "2025"), Era.PRE2025: ("trước 01/7/2025", "pre-2025")}
Progress = Callable[[int], None]
_MAX_LENGTHS: Final = {f.name: f.max_length or 0 for f in Person._meta.fields if isinstance(f, CharField)}


class ImportFileError(Exception):
    """The file as a whole cannot be imported (not UTF-8, wrong header, broken CSV); nothing was written."""


class Reason(NamedTuple):
    vi: str
    en: str


class _RowError(Exception):
    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.en)
        self.reason = reason


@dataclass(frozen=True)
class Rejection:
    line: int
    personal_id: str
    reason_vi: str
    reason_en: str


@dataclass(frozen=True)
class ImportReport:
    """Every data row read is inserted, updated, unchanged or rejected."""

    read: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    rejects_path: Path
    first_rejections: tuple[Rejection, ...]


@dataclass(frozen=True, slots=True)
class _Commune:
    id: int  # today's commune
    legacy_id: int | None  # the pre-2025 commune named in the file


def _communes(era: str) -> dict[str, _Commune | Reason]:
    """Commune code → today's commune (or why rows with that code are rejected), for the era of the file."""
    units = AdministrativeUnit.objects.filter(era=era, level=Level.COMMUNE).values_list("id", "code", "name")
    if era == Era.Y2025:
        return {code: _Commune(pk, None) for pk, code, _ in units}
    successors: dict[int, list[tuple[int, str]]] = defaultdict(list)
    links = UnitSuccession.objects.filter(old_unit__era=Era.PRE2025, old_unit__level=Level.COMMUNE)
    for old_id, new_id, new_code in links.values_list("old_unit_id", "new_unit_id", "new_unit__code"):
        successors[old_id].append((new_id, new_code))
    table: dict[str, _Commune | Reason] = {}
    for pk, code, name in units:
        found = successors.get(pk, [])
        if len(found) == 1:
            table[code] = _Commune(found[0][0], pk)
        elif found:
            codes = ", ".join(sorted(new_code for _, new_code in found))
            table[code] = Reason(
                f"Xã/phường cũ {code} ({name}) đã chia tách vào {codes}; cần mã xã, phường mới",
                f"former commune {code} ({name}) was split between {codes}; the new (2025) commune code is needed",
            )
        else:
            table[code] = Reason(
                f"Xã/phường cũ {code} ({name}) không có trong bảng chuyển đổi sang đơn vị mới",
                f"former commune {code} ({name}) is not in the old→new conversion table",
            )
    return table


@lru_cache(maxsize=2**16)
def _name_keys(full_name: str) -> tuple[str, str]:
    """(name_key, sort_name). Names repeat a lot and the collation key is slow (~50 µs): a bounded cache of about
    30 MB catches nineteen names in twenty of the demo population and halves the time spent in Python."""
    return fold(full_name), name_collation_key(full_name)


def _personal_id(value: str) -> str:
    if _PERSONAL_ID.fullmatch(value):
        return value
    if len(value) == 11 and _DIGITS.fullmatch(value):
        raise _RowError(
            Reason(
                "Số định danh cá nhân có 11 chữ số, cần 12 (bảng tính có thể đã bỏ số 0 đầu)",
                "the personal ID has 11 digits, 12 are needed (a spreadsheet may have dropped the leading 0)",
            )
        )
    raise _RowError(Reason("Số định danh cá nhân phải gồm đúng 12 chữ số", "the personal ID must be exactly 12 digits"))


def _date(value: str, today: date, vi: str, en: str) -> date:
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError:
        raise _RowError(
            Reason(
                f"{vi} '{value}' không phải ngày có thật dạng YYYY-MM-DD",
                f"{en} '{value}' is not a real YYYY-MM-DD date",
            )
        ) from None
    if day > today:
        raise _RowError(Reason(f"{vi} {value} sau ngày hôm nay", f"{en} {value} is after today"))
    return day


def _text(value: str, field: str, vi: str, en: str) -> str:
    text = nfc(value)
    if len(text) > _MAX_LENGTHS[field]:
        raise _RowError(
            Reason(f"{vi} dài quá {_MAX_LENGTHS[field]} ký tự", f"{en} is over {_MAX_LENGTHS[field]} characters")
        )
    return text


class _Checker:
    """Turns a CSV row into a staging row, or raises _RowError with the first problem found."""

    def __init__(self, era: str, today: date) -> None:
        self.communes = _communes(era)
        self.era_vi, self.era_en = _ERA_NAMES[Era(era)]
        self.today = today

    def staged(self, line: int, row: list[str]) -> Row:
        if len(row) != len(HEADER):
            raise _RowError(
                Reason("Dòng trống", "empty line")
                if not row
                else Reason(f"Dòng có {len(row)} cột, cần {len(HEADER)}", f"{len(row)} columns, {len(HEADER)} expected")
            )
        personal_id, old_id, full_name, born, gender, commune_code, address, status, died = (v.strip() for v in row)
        personal_id = _personal_id(personal_id)
        if old_id and not _OLD_ID.fullmatch(old_id):
            raise _RowError(
                Reason("Số CMND cũ phải gồm 9 chữ số hoặc để trống", "the old ID must be 9 digits or empty")
            )
        full_name = _text(full_name, "full_name", "Họ và tên", "the full name")
        if not full_name:
            raise _RowError(Reason("Thiếu họ và tên", "the full name is missing"))
        date_of_birth = _date(born, self.today, "Ngày sinh", "date of birth")
        gender = nfc(gender)
        if gender not in _GENDERS:
            raise _RowError(Reason("Giới tính phải là Nam hoặc Nữ", "gender must be Nam or Nữ"))
        commune = self._commune(commune_code)
        address = _text(address, "address", "Địa chỉ", "the address")
        death_date = self._death_date(status, died, date_of_birth)
        name_key, sort_name = _name_keys(full_name)
        return (
            line, personal_id, old_id, full_name, name_key, sort_name, born, gender, commune.id, address, status,
            death_date, commune.legacy_id,
        )  # fmt: skip

    def _commune(self, code: str) -> _Commune:
        found = self.communes.get(code)
        if found is None:
            raise _RowError(
                Reason(
                    f"Không có xã, phường mã '{code}' trong danh mục {self.era_vi}",
                    f"no commune with code '{code}' in the {self.era_en} list",
                )
            )
        if isinstance(found, Reason):
            raise _RowError(found)
        return found

    def _death_date(self, status: str, died: str, born: date) -> str | None:
        if status not in _STATUSES:
            raise _RowError(
                Reason("Tình trạng (status) phải là alive hoặc deceased", "status must be alive or deceased")
            )
        if not died:
            return None
        if status != LifeStatus.DECEASED:
            raise _RowError(
                Reason(
                    "Chỉ ghi ngày chết khi status là deceased", "a death_date is allowed only when status is deceased"
                )
            )
        if _date(died, self.today, "Ngày chết", "date of death") < born:
            raise _RowError(Reason("Ngày chết trước ngày sinh", "the date of death is before the date of birth"))
        return died


class _Rejects:
    """The rejects CSV, written as rejections are found (UTF-8 with BOM, so spreadsheets show Vietnamese)."""

    def __init__(self, out: TextIO) -> None:
        self.writer = csv.writer(out)
        self.writer.writerow(REJECTS_HEADER)
        self.count = 0
        self.first: list[Rejection] = []

    def add(self, line: int, personal_id: str, reason: Reason) -> None:
        self.writer.writerow((line, personal_id, reason.vi, reason.en))
        self.count += 1
        if len(self.first) < FIRST_REJECTIONS_KEPT:
            self.first.append(Rejection(line, personal_id, reason.vi, reason.en))


class _Reader:
    """Staging rows of the valid CSV rows, as a stream; counts the data rows read and files the rejected ones."""

    def __init__(self, source: TextIO, checker: _Checker, rejects: _Rejects, progress: Progress | None) -> None:
        self.source, self.checker, self.rejects, self.progress = source, checker, rejects, progress
        self.read = 0

    def rows(self) -> Iterator[Row]:
        reader = csv.reader(self.source)
        try:
            header = tuple(name.strip() for name in next(reader, []))
            if header != HEADER:
                raise ImportFileError(
                    f"Dòng tiêu đề phải là / the header must be: {','.join(HEADER)} "
                    f"(tệp có / found: {','.join(header)})"
                )
            end = reader.line_num
            for row in reader:
                line, end = end + 1, reader.line_num  # a quoted field may span lines: report where the row starts
                self.read += 1
                try:
                    yield self.checker.staged(line, row)
                except _RowError as rejected:
                    self.rejects.add(line, row[0].strip() if row else "", rejected.reason)
                if self.progress and self.read % PROGRESS_EVERY == 0:
                    self.progress(self.read)
        except UnicodeDecodeError as error:
            raise ImportFileError(
                f"Tệp không phải UTF-8 (sau dòng {reader.line_num}) / not UTF-8 (after line {reader.line_num})"
            ) from error
        except csv.Error as error:
            raise ImportFileError(f"Lỗi CSV ở dòng / CSV error at line {reader.line_num}: {error}") from error


def _sql(statement: str, **parts: str) -> str:
    """Fill in the table names (constants, quoted by the backend), the null-safe "differs" operator and `parts`."""
    quote = connection.ops.quote_name
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"  # SQLite's own spelling
    return statement.format(staging=quote(STAGING), person=quote(Person._meta.db_table), differs=differs, **parts)


# A conflicting row is updated only where a column differs, so a second load of the same file writes nothing.
# SQLite needs the `WHERE true` to parse INSERT … SELECT … ON CONFLICT.
_UPSERT = (
    "INSERT INTO {person} (personal_id, {columns}, legacy_commune_id, is_household_head, phone, created_at, "
    "updated_at) SELECT personal_id, {columns}, legacy_commune_id, %s, %s, %s, %s FROM {staging} WHERE true "
    "ON CONFLICT (personal_id) DO UPDATE SET {assignments}, legacy_commune_id = {legacy}, "
    "updated_at = excluded.updated_at WHERE {changed} OR {person}.legacy_commune_id {differs} {legacy}"
)
# A 2025 code says nothing about the old commune: keep the one on record while the commune stays the same.
_LEGACY = (
    "CASE WHEN excluded.legacy_commune_id IS NULL AND excluded.commune_id = {person}.commune_id "
    "THEN {person}.legacy_commune_id ELSE excluded.legacy_commune_id END"
)


def _upsert_sql() -> str:
    changed = " OR ".join(f"{{person}}.{c} {{differs}} excluded.{c}" for c in DATA_COLUMNS)
    return _sql(
        _UPSERT,
        columns=", ".join(DATA_COLUMNS),
        assignments=", ".join(f"{c} = excluded.{c}" for c in DATA_COLUMNS),
        changed=_sql(changed),
        legacy=_sql(_LEGACY),
    )


_DUPLICATES = (
    "SELECT s.line, s.personal_id, MIN(f.line) FROM {staging} s "
    "JOIN {staging} f ON f.personal_id = s.personal_id AND f.line < s.line "
    "GROUP BY s.line, s.personal_id ORDER BY s.line"
)
_DROP_DUPLICATES = (
    "DELETE FROM {staging} WHERE EXISTS (SELECT 1 FROM {staging} f "
    "WHERE f.personal_id = {staging}.personal_id AND f.line < {staging}.line)"
)
_NEW = (
    "SELECT COUNT(*) FROM {staging} s WHERE NOT EXISTS (SELECT 1 FROM {person} p WHERE p.personal_id = s.personal_id)"
)


def _create_staging() -> None:
    day = "date" if connection.vendor == "postgresql" else "text"  # SQLite keeps dates as ISO text
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Check foreign keys row by row instead of queueing a million deferred checks until commit.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            _sql(
                "CREATE TEMPORARY TABLE {staging} (line integer NOT NULL, personal_id text NOT NULL, "
                "old_id text NOT NULL, full_name text NOT NULL, name_key text NOT NULL, sort_name text NOT NULL, "
                f"date_of_birth {day} NOT NULL, gender text NOT NULL, commune_id bigint NOT NULL, "
                f"address text NOT NULL, status text NOT NULL, death_date {day}, legacy_commune_id bigint)"
            )
        )


def _reject_duplicates(rejects: _Rejects) -> None:
    """A personal ID repeated in the file: the first row counts, the later ones are rejected."""
    with connection.cursor() as cursor:
        cursor.execute(_sql("CREATE INDEX registry_person_import_id ON {staging} (personal_id, line)"))
        if connection.vendor == "postgresql":
            cursor.execute(_sql("ANALYZE {staging}"))  # a temporary table has no statistics otherwise
    before = rejects.count
    with connection.chunked_cursor() as cursor:  # server-side on PostgreSQL: a doubled file has many
        cursor.execute(_sql(_DUPLICATES))
        for line, personal_id, first in cursor:
            reason = Reason(
                f"Số định danh trùng với dòng {first} (giữ dòng {first})", f"same personal ID as line {first}"
            )
            rejects.add(line, personal_id, reason)
    if rejects.count > before:
        with connection.cursor() as cursor:
            cursor.execute(_sql(_DROP_DUPLICATES))


def _upsert() -> tuple[int, int]:
    """Write the staging rows into the registry; returns (inserted, updated). Unchanged rows are not touched."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_sql(_NEW))
        (inserted,) = cursor.fetchone()
        cursor.execute(_upsert_sql(), [False, "", now, now])
        written = cursor.rowcount  # inserted + updated: a conflict whose WHERE is false writes nothing
        cursor.execute(_sql("DROP TABLE {staging}"))
    return inserted, written - inserted


def persons_import(
    path: Path,
    *,
    unit_era: str = Era.Y2025,
    rejects_path: Path | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_ROWS,
) -> ImportReport:
    """Upsert the persons of a CSV file by personal ID; rejected rows go to `rejects_path` (default: next to
    the file, `<name>.rejects.csv`). Raises ImportFileError when the file as a whole is unusable."""
    rejects_path = rejects_path or path.with_name(f"{path.stem}.rejects.csv")
    checker = _Checker(unit_era, timezone.localdate())
    with ExitStack() as files:
        source = files.enter_context(path.open(encoding="utf-8-sig", newline=""))  # the BOM is optional
        rejects = _Rejects(files.enter_context(rejects_path.open("w", encoding="utf-8-sig", newline="")))
        reader = _Reader(source, checker, rejects, progress)
        with transaction.atomic():
            _create_staging()
            write_rows(STAGING, STAGED_COLUMNS, reader.rows(), batch_size=batch_size)
            _reject_duplicates(rejects)
            inserted, updated = _upsert()
            report = ImportReport(
                read=reader.read,
                inserted=inserted,
                updated=updated,
                unchanged=reader.read - rejects.count - inserted - updated,
                rejected=rejects.count,
                rejects_path=rejects_path,
                first_rejections=tuple(rejects.first),
            )
            audit_record(
                actor=None,
                action="person.bulk_import",
                object_type="registry.person",
                details={
                    "file": path.name,
                    "unit_era": str(unit_era),
                    "read": report.read,
                    "inserted": report.inserted,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "rejected": report.rejected,
                },
            )
    return report
