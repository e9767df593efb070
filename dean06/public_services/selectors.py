"""Reads of the public-services domain. The catalogue is public; dossiers are read by their applicant (a citizen,
their own) or by officers of the handling unit (visible_to), and every read of a dossier is audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from dean06.core.access import access_by_id, visible_to
from dean06.core.audit import audit_record
from dean06.core.errors import NotFoundError
from dean06.core.models import User
from dean06.core.roles import AccessPurpose, Permission
from dean06.identity.population.base import personal_id_from_qr
from dean06.public_services.choices import DossierStatus, PaymentMethod, PaymentStatus
from dean06.public_services.models import CitizenDocument, Dossier, FeePayment, Procedure
from dean06.public_services.workflow import OPEN_STATUSES
from dean06.registry.models import Person
from dean06.text import fold

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    type Actor = User | AnonymousUser

_DOSSIER_RELATED = ("procedure", "applicant", "applicant__commune", "unit", "assigned_to", "submitted_by")


def procedure_list(*, query: str = "") -> list[Procedure]:
    """The catalogue, searched by code or by name with or without marks ("khai sinh" finds "Đăng ký khai sinh")."""
    procedures = list(Procedure.objects.all())
    wanted = fold(query.strip())
    if not wanted:
        return procedures
    return [p for p in procedures if wanted in fold(p.name) or wanted in p.code.lower()]


def procedure_get(*, code: str) -> Procedure:
    try:
        return Procedure.objects.get(code=code)
    except Procedure.DoesNotExist as exc:
        raise NotFoundError() from exc


def is_citizen(actor: Actor) -> bool:
    return isinstance(actor, User) and actor.kind == User.Kind.CITIZEN and actor.person_id is not None


def _own_or_scoped[M: Model](queryset: QuerySet[M], *, actor: Actor, owner: str, permission: Permission, pk: int) -> M:
    """A citizen's own row (`owner` names the path to their Person), or a row of the officer's units holding
    `permission`; NotFoundError alike for a missing row and one that is not theirs."""
    if isinstance(actor, User) and actor.kind == User.Kind.CITIZEN and actor.person_id is not None:
        found = queryset.filter(pk=pk, **{owner: actor.person_id}).first()
        if found is None:
            raise NotFoundError()
        return found
    return access_by_id(queryset, actor=actor, permission=permission, pk=pk)


def dossier_list_own(*, actor: Actor) -> QuerySet[Dossier]:
    """A citizen's own dossiers (as applicant), newest first."""
    if not is_citizen(actor):
        return Dossier.objects.none()
    assert isinstance(actor, User)
    return Dossier.objects.filter(applicant_id=actor.person_id).select_related("procedure", "unit", "applicant")


def document_list_own(*, actor: Actor) -> QuerySet[CitizenDocument]:
    """The signed-in citizen's own document store, newest first (their own data: nothing to scope or audit)."""
    if not isinstance(actor, User) or actor.kind != User.Kind.CITIZEN or actor.person_id is None:
        return CitizenDocument.objects.none()
    return CitizenDocument.objects.filter(person_id=actor.person_id).order_by("-created_at", "-pk")


def dossier_list(*, actor: Actor, status: str = "", late_only: bool = False, query: str = "") -> QuerySet[Dossier]:
    """Dossiers handled in the officer's units (no drafts), the most urgent first."""
    dossiers = visible_to(
        Dossier.objects.exclude(status=DossierStatus.DRAFT), actor=actor, permission=Permission.DOSSIER_PROCESS
    )
    if status:
        dossiers = dossiers.filter(status=status)
    if late_only:
        dossiers = dossiers.filter(status__in=list(OPEN_STATUSES), due_on__lt=timezone.localdate())
    if query.strip():
        term = query.strip()
        dossiers = dossiers.filter(Q(code__icontains=term) | Q(applicant__personal_id=term))
    return dossiers.select_related("procedure", "applicant", "unit", "assigned_to").order_by("due_on", "pk")


def dossier_list_audit(*, actor: Actor, shown: list[Dossier]) -> None:
    audit_record(
        actor=actor,
        action="dossier.list",
        object_type="public_services.dossier",
        purpose=AccessPurpose.PUBLIC_SERVICE,
        details={"codes": [d.code for d in shown]},
    )


def dossier_get(*, actor: Actor, dossier_id: int) -> Dossier:
    """One dossier for its applicant or an officer of its unit; NotFoundError alike otherwise. Audited."""
    dossiers = Dossier.objects.select_related(*_DOSSIER_RELATED)
    dossier = _own_or_scoped(
        dossiers, actor=actor, owner="applicant_id", permission=Permission.DOSSIER_PROCESS, pk=dossier_id
    )
    audit_record(actor=actor, action="dossier.read", obj=dossier, purpose=AccessPurpose.PUBLIC_SERVICE)
    return dossier


def dossier_editable(*, actor: Actor, dossier_id: int) -> Dossier:
    """A dossier the actor may fill in: the citizen's own, or one filed at a counter of the officer's units."""
    dossiers = Dossier.objects.select_related(*_DOSSIER_RELATED)
    return _own_or_scoped(
        dossiers, actor=actor, owner="applicant_id", permission=Permission.DOSSIER_FILE, pk=dossier_id
    )


def dossier_track(*, code: str) -> Dossier | None:
    """Public tracking by code (the receipt's QR): status and dates only, no personal data leaves through it."""
    return Dossier.objects.exclude(status=DossierStatus.DRAFT).select_related("procedure").filter(code=code).first()


def store_documents(*, dossier: Dossier) -> list[CitizenDocument]:
    """Documents of the applicant's store that a requirement of the dossier's procedure can reuse."""
    kinds = [d["store_kind"] for d in dossier.procedure.documents if d.get("store_kind")]
    return list(CitizenDocument.objects.filter(person=dossier.applicant, kind__in=kinds))


def store_references(*, dossier: Dossier) -> dict[str, str]:
    """The latest document of each kind in the applicant's store, as the text a form field shows."""
    references: dict[str, str] = {}
    for document in CitizenDocument.objects.filter(person=dossier.applicant).order_by("created_at"):
        references[document.kind] = f"{document.title} ({document.issued_by})".strip()
    return references


def counter_applicant(*, actor: Actor, scanned: str) -> Person:
    """The applicant at the counter, from the ID-card QR the scanner typed in or a 12-digit personal ID, among the
    persons of the officer's units; audited as a read for a public service."""
    text = scanned.strip()
    personal_id = text if text.isdigit() and len(text) == 12 else personal_id_from_qr(text)
    person = (
        visible_to(Person.objects.select_related("commune"), actor=actor, permission=Permission.PERSON_VIEW)
        .filter(personal_id=personal_id)
        .first()
    )
    if person is None:
        message = gettext("Không tìm thấy công dân có số định danh %(id)s trên địa bàn.")
        raise NotFoundError(message % {"id": personal_id})
    audit_record(actor=actor, action="person.read", obj=person, purpose=AccessPurpose.PUBLIC_SERVICE)
    return person


def document_get(*, actor: Actor, document_id: int) -> CitizenDocument:
    """A document of the actor's own store (citizen), or of a person of the officer's units; audited."""
    documents = CitizenDocument.objects.select_related("person")
    document = _own_or_scoped(
        documents, actor=actor, owner="person_id", permission=Permission.DOSSIER_PROCESS, pk=document_id
    )
    audit_record(actor=actor, action="document.read", obj=document, purpose=AccessPurpose.PUBLIC_SERVICE)
    return document


def pending_transfer(*, dossier: Dossier) -> FeePayment | None:
    """The latest VietQR transfer of the dossier still awaiting the bank's confirmation."""
    transfers = dossier.payments.filter(method=PaymentMethod.VIETQR, status=PaymentStatus.PENDING)
    return transfers.order_by("-created_at").first()


def fee_paid(*, dossier: Dossier) -> bool:
    return dossier.payments.filter(status=PaymentStatus.PAID).exists()


# --- petitions (phản ánh, kiến nghị) ---------------------------------------------------------------------------------
# Appended as a block so that concurrent work on the functions above does not collide with it.

from collections.abc import Iterable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import date, datetime  # noqa: E402

from django.db.models import Case, IntegerField, Value, When  # noqa: E402

from dean06.public_services.models import Petition  # noqa: E402
from dean06.registry.models import AdministrativeUnit  # noqa: E402

_PETITION_RELATED = ("unit", "submitted_by", "submitted_by__person", "answered_by", "dossier")


def petition_list_own(*, actor: Actor) -> QuerySet[Petition]:
    """A citizen's own petitions, newest first."""
    if not is_citizen(actor):
        return Petition.objects.none()
    return Petition.objects.filter(submitted_by_id=actor.pk).select_related("unit", "dossier")


def petition_list(*, actor: Actor, open_only: bool = False, kind: str = "") -> QuerySet[Petition]:
    """Petitions received by the officer's units: unanswered and past due first, then unanswered by due day, then
    the answered ones."""
    today = timezone.localdate()
    petitions = visible_to(Petition.objects.all(), actor=actor, permission=Permission.DOSSIER_PROCESS)
    if open_only:
        petitions = petitions.filter(answered_at=None)
    if kind:
        petitions = petitions.filter(kind=kind)
    urgency = Case(
        When(answered_at=None, due_on__lt=today, then=Value(0)),
        When(answered_at=None, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return petitions.select_related(*_PETITION_RELATED).annotate(urgency=urgency).order_by("urgency", "due_on", "-pk")


def petition_list_audit(*, actor: Actor, shown: list[Petition]) -> None:
    audit_record(
        actor=actor,
        action="petition.list",
        object_type="public_services.petition",
        purpose=AccessPurpose.PUBLIC_SERVICE,
        details={"codes": [p.code for p in shown]},
    )


def petition_get(*, actor: Actor, petition_id: int) -> Petition:
    """One petition for its submitter or an officer of the receiving unit; NotFoundError alike otherwise. Audited."""
    petitions = Petition.objects.select_related(*_PETITION_RELATED)
    petition = _own_or_scoped(
        petitions, actor=actor, owner="submitted_by__person_id", permission=Permission.DOSSIER_PROCESS, pk=petition_id
    )
    audit_record(actor=actor, action="petition.read", obj=petition, purpose=AccessPurpose.PUBLIC_SERVICE)
    return petition


def petition_dossiers(*, actor: Actor) -> list[Dossier]:
    """The citizen's submitted dossiers, which a petition may concern."""
    return list(dossier_list_own(actor=actor).exclude(status=DossierStatus.DRAFT))


def petition_units(*, actor: Actor) -> list[AdministrativeUnit]:
    """Where a citizen may send a petition: their commune and its province."""
    if not is_citizen(actor):
        return []
    assert isinstance(actor, User) and actor.person is not None
    commune = actor.person.commune
    return [commune, commune.parent] if commune.parent else [commune]


@dataclass(frozen=True)
class PetitionFigures:
    """What Decision 766 counts of petitions: answered on time out of all received, and satisfaction."""

    total: int
    answered: int
    answered_on_time: int
    open: int
    open_late: int
    rated: int
    satisfied: int  # rated 4 or 5
    satisfaction_sum: int

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * self.answered_on_time / self.total, 1) if self.total else None

    @property
    def satisfied_percent(self) -> float | None:
        return round(100 * self.satisfied / self.rated, 1) if self.rated else None

    @property
    def satisfaction_average(self) -> float | None:
        return round(self.satisfaction_sum / self.rated, 2) if self.rated else None


def petition_figures_of(rows: Iterable[tuple[date, datetime | None, int | None]], today: date) -> PetitionFigures:
    """Pure: the figures of (due_on, answered_at, satisfaction) rows. Answered on time = answered (local date) on or
    before the due day; an unanswered petition never counts as on time, and is late once its due day has passed."""
    total = answered = on_time = open_late = rated = satisfied = satisfaction_sum = 0
    for due_on, answered_at, satisfaction in rows:
        total += 1
        if answered_at is None:
            open_late += today > due_on
        else:
            answered += 1
            on_time += timezone.localdate(answered_at) <= due_on
        if satisfaction is not None:
            rated += 1
            satisfied += satisfaction >= 4
            satisfaction_sum += satisfaction
    return PetitionFigures(
        total=total,
        answered=answered,
        answered_on_time=on_time,
        open=total - answered,
        open_late=open_late,
        rated=rated,
        satisfied=satisfied,
        satisfaction_sum=satisfaction_sum,
    )


def petition_figures(queryset: QuerySet[Petition], *, today: date | None = None) -> PetitionFigures:
    """The figures of any set of petitions (a unit's, a kind's, a period's): three columns read, counted in Python."""
    rows = queryset.order_by().values_list("due_on", "answered_at", "satisfaction")
    return petition_figures_of(rows, today or timezone.localdate())


# --- what Decision 766 counts, for the monitoring app's index -----------------------------------------------------
# Appended as a block. Aggregate reads of a unit's subtree and a period as plain facts (ids and flags, no personal
# data), so that the index is pure arithmetic over them and never touches this app's models.

from dean06.public_services.choices import Channel, Level, PetitionKind  # noqa: E402
from dean06.registry.models.units import Era  # noqa: E402
from dean06.registry.models.units import Level as UnitLevel  # noqa: E402


@dataclass(frozen=True)
class DossierFacts:
    id: int
    online: bool
    due_on: date | None
    finished_on: date | None  # local date; None while still being handled
    components_digitised: int
    components_reused: int
    population_data_used: bool
    electronic_result: bool
    fee_vnd: int
    fee_paid_online: bool
    rating: int | None  # 1..5, None when not rated
    procedure_fully_online: bool
    unit_path: str = ""  # the receiving unit's, so that one read serves every commune of a province
    agency: str = ""  # the procedure's deciding agency ("Công an xã/phường"), for the index per agency


@dataclass(frozen=True)
class ProcedureFacts:
    id: int
    published_on_time: bool
    fully_online: bool
    fee_vnd: int
    online_payment: bool
    uses_population_data: bool
    agency: str = ""


@dataclass(frozen=True)
class PetitionFacts:
    id: int
    about_rules: bool
    due_on: date
    answered_on: date | None  # local date
    satisfaction: int | None
    unit_path: str = ""
    agency: str = ""  # of the dossier the petition is about; "" for a petition about no dossier


def index_unit_get(*, code: str) -> AdministrativeUnit | None:
    """Today's (2025-era) province or commune with this code, or None."""
    levels = [UnitLevel.PROVINCE, UnitLevel.COMMUNE]
    return AdministrativeUnit.objects.filter(era=Era.Y2025, code=code, level__in=levels).first()


def _local(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None


def index_dossiers(*, unit: AdministrativeUnit, start: datetime, end: datetime) -> list[DossierFacts]:
    """Dossiers received in [start, end) by the unit or any unit inside it (a province includes its communes)."""
    rows = (
        Dossier.objects.exclude(status=DossierStatus.DRAFT)
        .filter(unit__path__startswith=unit.path, received_at__gte=start, received_at__lt=end)
        .select_related("procedure", "rating", "unit")
        .order_by("pk")
    )
    return [
        DossierFacts(
            id=d.pk,
            online=d.channel == Channel.ONLINE,
            due_on=d.due_on,
            finished_on=_local(d.finished_at),
            components_digitised=d.components_digitised,
            components_reused=d.components_reused,
            population_data_used=d.population_data_used,
            electronic_result=d.electronic_result,
            fee_vnd=d.fee_vnd,
            fee_paid_online=d.fee_paid_online,
            rating=d.rating.score if hasattr(d, "rating") else None,
            procedure_fully_online=d.procedure.fully_online,
            unit_path=d.unit.path,
            agency=d.procedure.agency,
        )
        for d in rows
    ]


def index_procedures(*, unit: AdministrativeUnit) -> list[ProcedureFacts]:
    """The procedures a unit answers for: a commune its commune-level ones, the province all of them."""
    procedures = Procedure.objects.order_by("pk")
    if unit.level == UnitLevel.COMMUNE:
        procedures = procedures.filter(level=Level.COMMUNE)
    return [
        ProcedureFacts(
            id=p.pk,
            published_on_time=p.published_on_time,
            fully_online=p.fully_online,
            fee_vnd=p.fee_vnd,
            online_payment=p.online_payment,
            uses_population_data=p.uses_population_data,
            agency=p.agency,
        )
        for p in procedures
    ]


def index_agencies() -> list[str]:
    """The deciding agencies of the catalogue's procedures, for the Decision 766 index per agency."""
    return sorted(set(Procedure.objects.values_list("agency", flat=True)))


def index_petitions(*, unit: AdministrativeUnit, start: datetime, end: datetime) -> list[PetitionFacts]:
    """Petitions received in [start, end) by the unit or any unit inside it."""
    rows = Petition.objects.filter(unit__path__startswith=unit.path, created_at__gte=start, created_at__lt=end)
    return [
        PetitionFacts(
            id=p.pk,
            about_rules=p.kind == PetitionKind.RULES,
            due_on=p.due_on,
            answered_on=_local(p.answered_at),
            satisfaction=p.satisfaction,
            unit_path=p.unit.path,
            agency=p.dossier.procedure.agency if p.dossier else "",
        )
        for p in rows.select_related("unit", "dossier__procedure").order_by("pk")
    ]


# The rows behind a Decision 766 figure (monitoring's drill-down), by the ids `index_dossiers`, `index_procedures` and
# `index_petitions` gave: codes, procedures, channels, kinds and dates only, never an applicant or a petition's text.
# Scoped like those: monitoring computes the ids for a unit the actor may view.


@dataclass(frozen=True)
class IndexDossierRow:
    id: int
    code: str
    procedure: str
    channel: str  # the channel's label
    received_on: date | None  # local dates
    due_on: date | None
    finished_on: date | None
    electronic_result: bool


@dataclass(frozen=True)
class IndexProcedureRow:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class IndexPetitionRow:
    id: int
    code: str
    kind: str  # the kind's label
    received_on: date | None
    due_on: date
    answered_on: date | None


def index_dossier_rows(ids: Iterable[int]) -> list[IndexDossierRow]:
    """The dossiers with these ids, in the order received."""
    rows = Dossier.objects.filter(pk__in=list(ids)).select_related("procedure").order_by("received_at", "pk")
    return [
        IndexDossierRow(
            id=d.pk,
            code=d.code,
            procedure=d.procedure.name,
            channel=str(d.get_channel_display()),
            received_on=_local(d.received_at),
            due_on=d.due_on,
            finished_on=_local(d.finished_at),
            electronic_result=d.electronic_result,
        )
        for d in rows
    ]


def index_procedure_rows(ids: Iterable[int]) -> list[IndexProcedureRow]:
    """The procedures with these ids, by code."""
    rows = Procedure.objects.filter(pk__in=list(ids)).order_by("code")
    return [IndexProcedureRow(id=p.pk, code=p.code, name=p.name) for p in rows]


def index_petition_rows(ids: Iterable[int]) -> list[IndexPetitionRow]:
    """The petitions with these ids, in the order received."""
    rows = Petition.objects.filter(pk__in=list(ids)).order_by("created_at", "pk")
    return [
        IndexPetitionRow(
            id=p.pk,
            code=p.code,
            kind=str(p.get_kind_display()),
            received_on=_local(p.created_at),
            due_on=p.due_on,
            answered_on=_local(p.answered_at),
        )
        for p in rows
    ]
