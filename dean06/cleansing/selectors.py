"""Reads of cleansing runs and row verdicts, through visible_to; rows shown to an officer are audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dean06.cleansing.models import CleansingRun, RowClassChoice, RowVerdict
from dean06.core.access import access_by_id, granted_unit_paths, visible_to
from dean06.core.audit import audit_record
from dean06.core.roles import AccessPurpose, Permission
from dean06.registry.models import AdministrativeUnit, Person
from dean06.registry.models.units import Era

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User

    type Actor = User | AnonymousUser

REVIEW_CONFIDENCE = 0.8
# Compared field by field on the review page: (field of the file and attribute of Person, label).
REVIEW_FIELDS: tuple[tuple[str, Promise], ...] = (
    ("full_name", _("Họ và tên")),
    ("personal_id", _("Số định danh cá nhân")),
    ("date_of_birth", _("Ngày sinh")),
    ("gender", _("Giới tính")),
    ("address", _("Địa chỉ")),
)


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
class ReviewRow:
    verdict: RowVerdict
    candidate: Person | None
    fields: list[FieldPair]


def review_rows(*, actor: Actor, verdicts: list[RowVerdict]) -> list[ReviewRow]:
    """Each row beside the registry person it was matched to (when the actor may see that person)."""
    ids = {v.personal_id for v in verdicts if v.personal_id}
    persons = visible_to(Person.objects.filter(personal_id__in=ids), actor=actor, permission=Permission.PERSON_VIEW)
    by_id = {p.personal_id: p for p in persons}
    rows = []
    for verdict in verdicts:
        person = by_id.get(verdict.personal_id)
        pairs = []
        for field, label in REVIEW_FIELDS:
            given = str(verdict.raw.get(field, ""))
            value = getattr(person, field, "") if person else ""
            registry = value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value or "")
            pairs.append(FieldPair(str(label), given, registry, bool(person) and given.strip() == registry))
        rows.append(ReviewRow(verdict, person, pairs))
    return rows


def row_verdict_list_audit(*, actor: Actor, run: CleansingRun, shown: list[RowVerdict], view: str) -> None:
    """Record that rows of a run (names, IDs, registry values) were shown to the actor."""
    audit_record(
        actor=actor,
        action="cleansing.list",
        obj=run,
        purpose=AccessPurpose.DATA_CLEANSING,
        details={"view": view, "count": len(shown), "rows": [v.row for v in shown]},
    )
