"""Reads of cleansing runs and row verdicts, through visible_to; rows shown to an officer are audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dean06.cleansing.models import CleansingRun, RowClassChoice, RowVerdict
from dean06.core.access import access_by_id, granted_unit_paths, visible_to
from dean06.core.audit import audit_record
from dean06.core.roles import AccessPurpose, Permission
from dean06.registry.models import AdministrativeUnit, Person
from dean06.registry.models.units import Era
from dean06.text import collation_key

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User

    type Actor = User | AnonymousUser

REVIEW_CONFIDENCE = 0.8
# Compared field by field on the review page: (field of the file and attribute of Person, label, the matcher's
# agreement key). The address is compared through its commune.
REVIEW_FIELDS: tuple[tuple[str, Promise, str], ...] = (
    ("full_name", _("Họ và tên"), "agree_name"),
    ("personal_id", _("Số định danh cá nhân"), "agree_id"),
    ("date_of_birth", _("Ngày sinh"), "agree_dob"),
    ("gender", _("Giới tính"), "agree_gender"),
    ("address", _("Địa chỉ (xã, phường)"), "agree_commune"),
)
AGREEING = frozenset({"agree", "form"})


def cleansing_upload_units(*, actor: Actor) -> QuerySet[AdministrativeUnit]:
    """The 2025 units over which the actor may start a run (a run belongs to one of them)."""
    paths = granted_unit_paths(actor, Permission.CLEANSING_RUN)
    return AdministrativeUnit.objects.filter(era=Era.Y2025, path__in=paths).order_by("path")


def cleansing_run_list(*, actor: Actor) -> QuerySet[CleansingRun]:
    """Runs of the actor's units, newest first: file names and counts, no personal data."""
    runs = CleansingRun.objects.select_related("unit", "created_by")
    return visible_to(runs, actor=actor, permission=Permission.CLEANSING_RUN)


def cleansing_run_get(*, actor: Actor, run_id: int) -> CleansingRun:
    """One run; NotFoundError alike for a missing run and one outside the actor's units."""
    runs = CleansingRun.objects.select_related("unit", "created_by")
    return access_by_id(runs, actor=actor, permission=Permission.CLEANSING_RUN, pk=run_id)


@dataclass(frozen=True)
class ClassCount:
    value: str
    label: str
    count: int


def cleansing_run_counts(run: CleansingRun) -> list[ClassCount]:
    """The counts per class of a finished run, in the order officers read them."""
    return [ClassCount(c.value, str(c.label), int(run.counts.get(c.value, 0))) for c in RowClassChoice]


def row_verdict_list(*, actor: Actor, run: CleansingRun, row_class: str = "") -> QuerySet[RowVerdict]:
    """The verdicts of `run` the actor may see (unevaluated, for paging); audit the page shown."""
    verdicts = visible_to(RowVerdict.objects.filter(run=run), actor=actor, permission=Permission.CLEANSING_RUN)
    if row_class:
        verdicts = verdicts.filter(row_class=row_class)
    return verdicts.select_related("commune", "decided_by").order_by("row")


def row_verdict_review_queue(*, actor: Actor, run: CleansingRun) -> QuerySet[RowVerdict]:
    """Rows an officer must decide: ambiguous, or matched with a confidence under 0.8; not yet decided."""
    verdicts = visible_to(RowVerdict.objects.filter(run=run), actor=actor, permission=Permission.CLEANSING_REVIEW)
    needs_review = Q(row_class=RowClassChoice.AMBIGUOUS) | (
        Q(confidence__lt=REVIEW_CONFIDENCE) & ~Q(personal_id="") & ~Q(row_class=RowClassChoice.NOT_FOUND)
    )
    return verdicts.filter(needs_review, decision="").select_related("commune").order_by("row")


def row_verdict_get(*, actor: Actor, verdict_id: int) -> RowVerdict:
    return access_by_id(
        RowVerdict.objects.select_related("run", "decided_by"),
        actor=actor,
        permission=Permission.CLEANSING_REVIEW,
        pk=verdict_id,
    )


@dataclass(frozen=True)
class FieldPair:
    label: str
    given: str
    registry: str
    agrees: bool


@dataclass(frozen=True)
class Candidate:
    person: Person
    score: float | None
    fields: list[FieldPair]


@dataclass(frozen=True)
class ReviewRow:
    verdict: RowVerdict
    candidates: list[Candidate]  # best first; the matched person alone when the matcher kept no candidates


def _registry_text(person: Person, field: str) -> str:
    if field == "address":
        return person.commune.name if person.commune_id else ""
    value = getattr(person, field, "")
    return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value or "")


def _candidate(verdict: RowVerdict, person: Person, score: float | None, agreement: dict[str, str]) -> Candidate:
    pairs = []
    for field, label, key in REVIEW_FIELDS:
        given, registry = str(verdict.raw.get(field, "")), _registry_text(person, field)
        agrees = agreement[key] in AGREEING if key in agreement else given.strip() == registry
        pairs.append(FieldPair(str(label), given, registry, agrees))
    return Candidate(person, score, pairs)


def review_rows(*, actor: Actor, verdicts: list[RowVerdict]) -> list[ReviewRow]:
    """Each row beside its candidates (or the person it was matched to), field by field; only persons the actor
    may see are shown."""
    wanted = {v.personal_id for v in verdicts if v.personal_id}
    wanted |= {str(c["personal_id"]) for v in verdicts for c in v.candidates}
    persons = visible_to(
        Person.objects.filter(personal_id__in=wanted).select_related("commune"),
        actor=actor,
        permission=Permission.PERSON_VIEW,
    )
    by_id = {p.personal_id: p for p in persons}
    rows = []
    for verdict in verdicts:
        found = [
            _candidate(verdict, by_id[str(c["personal_id"])], float(c["score"]), dict(c.get("agreement", {})))
            for c in verdict.candidates
            if str(c["personal_id"]) in by_id
        ]
        if not found and verdict.personal_id in by_id:
            found = [_candidate(verdict, by_id[verdict.personal_id], verdict.confidence, verdict.agreement)]
        rows.append(ReviewRow(verdict, found))
    return rows


@dataclass(frozen=True)
class CommuneCounts:
    code: str
    name: str
    counts: list[ClassCount]  # in RowClassChoice order
    total: int
    field_work: int  # rows a work list would hold


def run_commune_counts(*, actor: Actor, run: CleansingRun) -> list[CommuneCounts]:
    """Rows per commune and class among the rows the actor may see (communes in Vietnamese order; rows whose
    commune is unknown last)."""
    verdicts = visible_to(RowVerdict.objects.filter(run=run), actor=actor, permission=Permission.CLEANSING_RUN)
    grouped = verdicts.values("commune__code", "commune__name", "row_class").annotate(n=Count("pk"))
    table: dict[tuple[str, str], dict[str, int]] = {}
    for item in grouped:
        key = (item["commune__code"] or "", item["commune__name"] or "")
        table.setdefault(key, {})[item["row_class"]] = item["n"]
    result = [
        CommuneCounts(
            code,
            name,
            [ClassCount(c.value, str(c.label), counts.get(c.value, 0)) for c in RowClassChoice],
            sum(counts.values()),
            sum(n for c, n in counts.items() if c != RowClassChoice.EXACT),
        )
        for (code, name), counts in table.items()
    ]
    return sorted(result, key=lambda c: (not c.code, collation_key(c.name)))


def row_verdict_list_audit(*, actor: Actor, run: CleansingRun, shown: list[RowVerdict], view: str) -> None:
    """Record that rows of a run (names, IDs, registry values) were shown to the actor."""
    audit_record(
        actor=actor,
        action="cleansing.list",
        obj=run,
        purpose=AccessPurpose.DATA_CLEANSING,
        details={"view": view, "count": len(shown), "rows": [v.row for v in shown]},
    )


# --- KPI facts for monitoring: the đúng/đủ/sạch/sống snapshots of a unit, by unit path (counts only) -------------

from datetime import date  # noqa: E402

from dean06.cleansing.models import SECTOR_CHOICES, QualitySnapshot  # noqa: E402


@dataclass(frozen=True)
class SnapshotFacts:
    sector: str
    unit_id: int
    day: date
    rows: int
    correct: int
    complete: int
    clean: int
    alive: int


def quality_sectors() -> list[tuple[str, str]]:
    """(code, Vietnamese label) of every cleansing sector."""
    return [(code, str(label)) for code, label in SECTOR_CHOICES]


def quality_snapshot_facts(*, unit_path: str, until: date) -> list[SnapshotFacts]:
    """Quality snapshots of the unit or any unit inside it taken on or before `until`, in the order they were
    taken (a later one supersedes an earlier one of the same sector and unit, as on the dashboard). Scoped by the
    unit path, not by an actor: monitoring scopes by unit."""
    rows = QualitySnapshot.objects.filter(unit__path__startswith=unit_path, day__lte=until).order_by("taken_at", "pk")
    return [
        SnapshotFacts(s.sector, s.unit_id, s.day, s.rows, s.rows_correct, s.rows_complete, s.rows_clean, s.rows_alive)
        for s in rows
    ]
