"""Dossiers of the catalogue's procedures and petitions (PAKN) for the demo communes, over the activity window.

Dossiers are written in bulk with the fields the workflow (public_services.services) would have written by the
end of each one's story: received_at and due_on as `dossier_submit` sets them (working days, counter hours),
finished_at at approval or refusal, electronic_result when `dossier_issue_result` signed the result, the
components, reuse and population-data flags as `dossier_submit` counts them, fee_paid_online as a gateway payment
sets it, one DossierEvent per workflow step and the applicant's Rating. Going through the services for ~1,500
dossiers would render and sign a PDF and write ~8 audit entries per dossier (minutes, not seconds), so no result
PDF, attachment file or per-step audit entry exists for them: the run's one `demo.activity` audit entry stands
for them all. Petitions are few and go through the petition services; their dates are moved back afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random
from typing import Any

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from dean06.core.models import User
from dean06.demo.activity_context import DEMO_UNITS, Commune, Window
from dean06.public_services.calendar import add_working_days, due_date
from dean06.public_services.choices import (
    Channel,
    DossierStatus,
    FieldSource,
    Level,
    PaymentMethod,
    PaymentStatus,
    PetitionKind,
)
from dean06.public_services.models import Dossier, DossierEvent, FeePayment, Petition, Procedure, Rating
from dean06.public_services.services.payments import ONLINE_METHODS
from dean06.public_services.services.petitions import (
    PETITION_ANSWER_WORKING_DAYS,
    petition_answer,
    petition_rate,
    petition_submit,
)
from dean06.public_services.workflow import Action
from dean06.registry.models import AdministrativeUnit

DOSSIERS_PER_PERSON_MONTH = 0.012  # the demo population is a sample: a busy commune's rate, not a census one
DEMO_UNIT_FACTOR = 5  # the demo officers' communes are busier, so their queues and pages have something to show
ONLINE_SHARE = (0.58, 0.74)  # filed online, first month → last month
OFFLINE_ONLY_FACTOR = 0.5  # a procedure not fully online is filed online half as often
STUCK, LATE = 0.03, 0.09  # never finished; finished after the due day
REFUSED, NOT_SIGNED = 0.05, 0.04  # of the finished: refused; approved but the result not yet signed
OPTIONAL_ATTACHED, REUSE_ONLINE, REUSE_COUNTER = 0.5, 0.55, 0.2
POPULATION_DATA_COUNTER = 0.8  # the officer looked the applicant up in the registry
PAID_ONLINE = 0.88  # online dossiers of a procedure with online payment
PAID_VIETQR_AT_COUNTER = 0.4  # counter dossiers of such a procedure, paid by a VietQR transfer
RATED = 0.55
RATING_WEIGHTS = (2, 3, 8, 32, 55)  # scores 1..5
PETITIONS_PER_PERSON_MONTH = 0.0004
PETITION_ANSWERED, PETITION_ON_TIME, PETITION_RATED = 0.9, 0.8, 0.7
REGISTRY_SOURCES = (FieldSource.REGISTRY, FieldSource.EID)
# Which dossier time each workflow step happened at.
STEP_TIMES = {
    "received_at": (Action.SUBMIT, Action.ASSIGN, Action.START),
    "finished_at": (Action.APPROVE, Action.REFUSE, Action.ISSUE_RESULT),
    "returned_at": (Action.RETURN,),
}
ANSWER = "Đã tiếp thu, xử lý và trả lời công dân."
PETITION_TEXTS = (
    (
        PetitionKind.RULES,
        "Đề nghị giảm giấy tờ khi đăng ký thường trú",
        "Dữ liệu dân cư đã có, đề nghị không yêu cầu nộp lại.",
    ),
    (PetitionKind.RULES, "Thời hạn cấp giấy xác nhận cư trú", "Đề nghị rút ngắn thời hạn giải quyết xuống 1 ngày."),
    (
        PetitionKind.STAFF,
        "Thái độ tiếp dân tại bộ phận một cửa",
        "Cán bộ hướng dẫn chưa rõ ràng, phải đi lại nhiều lần.",
    ),
    (PetitionKind.STAFF, "Chậm trả kết quả hồ sơ", "Hồ sơ đã quá hạn nhưng chưa được thông báo lý do."),
)


@dataclass
class _Story:
    """One dossier and what happened to it, before it is saved."""

    dossier: Dossier
    steps: list[tuple[Action, str, str, User]] = field(default_factory=list)  # action, from, to, actor
    rating: int | None = None
    payment: str = ""  # PaymentMethod, "" when no fee


class _Codes:
    """Codes as the services draw them ("<unit>-<yymmdd>-0003"), numbered per unit and day after existing ones."""

    def __init__(self, taken: set[str], pattern: str) -> None:
        self.taken, self.pattern = taken, pattern

    def next(self, unit: AdministrativeUnit, moment: datetime) -> str:
        number = 1
        while (code := self.pattern.format(unit=unit.code, day=timezone.localdate(moment), n=number)) in self.taken:
            number += 1
        self.taken.add(code)
        return code


def _filed(
    rng: Random, commune: Commune, procedure: Procedure, received: datetime, online_share: float
) -> tuple[int, User, str]:
    """(applicant, submitted_by, channel): online by a resident who logged in with e-ID before, else at the counter."""
    share = online_share if procedure.fully_online else online_share * OFFLINE_ONLY_FACTOR
    if rng.random() < share:
        ready = [pk for pk, at in commune.logins.items() if at < received]
        if ready:
            pk = rng.choice(ready)
            return pk, commune.accounts[pk], Channel.ONLINE
    return rng.choice(commune.adults).person_id, commune.officer, Channel.COUNTER


def _components(rng: Random, procedure: Procedure, online: bool) -> tuple[int, int]:
    """(digitised, reused) as `dossier_submit` counts them: every attachment is digitised (uploaded or scanned)."""
    attached = [d for d in procedure.documents if d.get("required") or rng.random() < OPTIONAL_ATTACHED]
    reusable = [d for d in attached if d.get("store_kind")]
    reused = sum(rng.random() < (REUSE_ONLINE if online else REUSE_COUNTER) for _ in reusable)
    return len(attached), reused


def _finish(rng: Random, story: _Story, window: Window, processing_days: int, officer: User) -> None:
    """Move the dossier along the workflow as far as its (drawn) story got by now."""
    d = story.dossier
    assert d.received_at is not None
    received = timezone.localtime(d.received_at)
    steps = story.steps
    steps.append((Action.SUBMIT, DossierStatus.DRAFT, DossierStatus.RECEIVED, d.submitted_by))
    steps.append((Action.ASSIGN, DossierStatus.RECEIVED, DossierStatus.ASSIGNED, officer))
    steps.append((Action.START, DossierStatus.ASSIGNED, DossierStatus.IN_PROGRESS, officer))
    draw = rng.random()
    days = processing_days + rng.randint(1, 4) if draw < STUCK + LATE else rng.randint(0, processing_days)
    finished = max(
        window.office_moment(rng, add_working_days(received.date(), days)), d.received_at + timedelta(hours=1)
    )
    if draw < STUCK or finished > window.now:
        d.status = rng.choice([DossierStatus.RECEIVED, DossierStatus.ASSIGNED, DossierStatus.IN_PROGRESS])
        story.steps = steps[
            : [DossierStatus.RECEIVED, DossierStatus.ASSIGNED, DossierStatus.IN_PROGRESS].index(d.status) + 1
        ]
        return
    d.finished_at = finished
    if rng.random() < REFUSED:
        d.status = DossierStatus.REFUSED
        steps.append((Action.REFUSE, DossierStatus.IN_PROGRESS, DossierStatus.REFUSED, officer))
    elif rng.random() < NOT_SIGNED:
        d.status = DossierStatus.APPROVED
        steps.append((Action.APPROVE, DossierStatus.IN_PROGRESS, DossierStatus.APPROVED, officer))
        return
    else:
        d.status, d.electronic_result = DossierStatus.RESULT_ISSUED, True
        steps.append((Action.APPROVE, DossierStatus.IN_PROGRESS, DossierStatus.APPROVED, officer))
        steps.append((Action.ISSUE_RESULT, DossierStatus.APPROVED, DossierStatus.RESULT_ISSUED, officer))
    returned = finished + timedelta(hours=rng.randint(1, 72))
    if returned <= window.now:
        steps.append((Action.RETURN, d.status, DossierStatus.RETURNED, officer))
        d.status, d.returned_at = DossierStatus.RETURNED, returned
        if rng.random() < RATED:
            story.rating = rng.choices(range(1, 6), weights=RATING_WEIGHTS)[0]


def _payment(rng: Random, procedure: Procedure, online: bool) -> str:
    """How the fee was paid: by the gateway online, by a VietQR transfer at the counter, else in cash."""
    if procedure.online_payment and rng.random() < (PAID_ONLINE if online else PAID_VIETQR_AT_COUNTER):
        return PaymentMethod.GATEWAY if online else PaymentMethod.VIETQR
    return PaymentMethod.CASH


def _story(
    rng: Random, commune: Commune, unit: AdministrativeUnit, procedure: Procedure, received: datetime,
    online_share: float, window: Window, codes: _Codes,
) -> _Story:  # fmt: skip
    applicant, submitted_by, channel = _filed(rng, commune, procedure, received, online_share)
    online = channel == Channel.ONLINE
    digitised, reused = _components(rng, procedure, online)
    sources = {f["name"]: f["source"] for f in procedure.form if f.get("source") in REGISTRY_SOURCES}
    if not online and rng.random() > POPULATION_DATA_COUNTER:
        sources = {}
    dossier = Dossier(
        code=codes.next(unit, received),
        procedure=procedure,
        unit=unit,
        applicant_id=applicant,
        submitted_by=submitted_by,
        assigned_to=commune.officer,
        channel=channel,
        status=DossierStatus.RECEIVED,
        sources=sources,
        received_at=received,
        due_on=due_date(timezone.localtime(received), procedure.processing_days),
        fee_vnd=procedure.fee_vnd,
        population_data_used=bool(sources),
        components_digitised=digitised,
        components_reused=reused,
    )
    story = _Story(dossier)
    if procedure.fee_vnd:
        story.payment = _payment(rng, procedure, online)
        dossier.fee_paid_online = story.payment in ONLINE_METHODS
    _finish(rng, story, window, procedure.processing_days, commune.officer)
    return story


def _backdate(model: Any, anchor: str, ids: list[int], **filters: Any) -> None:
    """`model` rows of the dossiers `ids` (matching `filters`) take their dossier's `anchor` time."""
    moment = Subquery(Dossier.objects.filter(pk=OuterRef("dossier_id")).values(anchor)[:1])
    field_name = "at" if model is DossierEvent else "created_at"
    model.objects.filter(dossier_id__in=ids, **filters).update(**{field_name: moment})


def _save(stories: list[_Story]) -> int:
    """Write the dossiers, their steps, payments and ratings; move every timestamp back to when it happened."""
    Dossier.objects.bulk_create([s.dossier for s in stories], batch_size=500)
    ids = [s.dossier.pk for s in stories]
    last = Coalesce(F("returned_at"), F("finished_at"), F("received_at"))
    Dossier.objects.filter(pk__in=ids).update(created_at=F("received_at"), updated_at=last)
    events = [
        DossierEvent(dossier=s.dossier, actor=actor, action=action, from_status=before, to_status=after)
        for s in stories
        for action, before, after, actor in s.steps
    ]
    DossierEvent.objects.bulk_create(events, batch_size=1000)
    for anchor, actions in STEP_TIMES.items():
        _backdate(DossierEvent, anchor, ids, action__in=actions)
    payments = [
        FeePayment(
            dossier=s.dossier,
            reference=f"PAY-{s.dossier.code}-1",  # as payments._reference draws the first one
            amount_vnd=s.dossier.fee_vnd,
            method=s.payment,
            status=PaymentStatus.PAID,
            gateway_transaction=f"SANDBOX-{s.dossier.code}" if s.payment in ONLINE_METHODS else "",
            paid_at=s.dossier.received_at,
            callbacks=1 if s.payment in ONLINE_METHODS else 0,
        )
        for s in stories
        if s.payment
    ]
    FeePayment.objects.bulk_create(payments, batch_size=1000)
    FeePayment.objects.filter(dossier_id__in=ids).update(created_at=F("paid_at"), updated_at=F("paid_at"))
    ratings = [Rating(dossier=s.dossier, score=s.rating) for s in stories if s.rating is not None]
    Rating.objects.bulk_create(ratings, batch_size=1000)
    _backdate(Rating, "returned_at", ids)
    return len(ratings)


def dossiers_write(rng: Random, communes: list[Commune], window: Window) -> tuple[int, int]:
    """Dossiers for every commune and month of the window; returns (dossiers, ratings)."""
    procedures = list(Procedure.objects.order_by("code"))
    if not procedures:
        raise LookupError("no procedure: run `dean06 procedures load` first")
    province = communes[0].unit.parent if communes else None
    codes = _Codes(set(Dossier.objects.values_list("code", flat=True)), "{unit}-{day:%y%m%d}-{n:04d}")
    last = max(len(window.months) - 1, 1)
    stories = []
    for commune in communes:
        if not commune.adults:
            continue
        for index, (year, month) in enumerate(window.months):
            days = window.month_days(year, month)
            share = ONLINE_SHARE[0] + (ONLINE_SHARE[1] - ONLINE_SHARE[0]) * index / last
            rate = DOSSIERS_PER_PERSON_MONTH * (DEMO_UNIT_FACTOR if commune.unit.code in DEMO_UNITS else 1)
            count = max(1, round(len(commune.residents) * rate * rng.uniform(0.7, 1.3)))
            for _ in range(count if days else 0):
                procedure = rng.choice(procedures)
                # as services.dossiers.handling_unit: a province-level procedure is handled by the province
                unit = province if procedure.level == Level.PROVINCE and province else commune.unit
                received = window.office_moment(rng, rng.choice(days))
                stories.append(_story(rng, commune, unit, procedure, received, share, window, codes))
    return len(stories), _save(stories)


def _petition_times(rng: Random, window: Window, received: datetime) -> tuple[datetime | None, bool]:
    """When the petition was answered (None: not yet) and whether it was rated."""
    due = due_date(timezone.localtime(received), PETITION_ANSWER_WORKING_DAYS)
    if rng.random() >= PETITION_ANSWERED:
        return None, False
    if rng.random() < PETITION_ON_TIME:
        day = add_working_days(timezone.localdate(received), rng.randint(1, PETITION_ANSWER_WORKING_DAYS - 1))
    else:
        day = add_working_days(due, rng.randint(1, 5))
    answered = window.office_moment(rng, day)
    if answered <= received or answered > window.now or day > window.today:
        return None, False
    return answered, rng.random() < PETITION_RATED


def _petition(rng: Random, commune: Commune, window: Window, received: datetime, codes: _Codes) -> bool:
    """One petition through the services (submit, answer, rate), then moved back to `received`."""
    ready = [pk for pk, at in commune.logins.items() if at < received]
    if not ready:
        return False
    citizen = commune.accounts[rng.choice(ready)]
    kind, subject, body = rng.choice(PETITION_TEXTS)
    petition = petition_submit(actor=citizen, kind=kind, subject=subject, body=body)
    answered, rated = _petition_times(rng, window, received)
    due_on = due_date(timezone.localtime(received), PETITION_ANSWER_WORKING_DAYS)
    if answered is not None:
        petition_answer(actor=commune.officer, petition_id=petition.pk, answer=ANSWER)
        if rated:
            on_time = timezone.localdate(answered) <= due_on
            score = rng.choice((4, 5, 5) if on_time else (2, 3, 4))
            petition_rate(actor=citizen, petition_id=petition.pk, satisfaction=score)
    Petition.objects.filter(pk=petition.pk).update(
        code=codes.next(petition.unit, received),
        created_at=received,
        updated_at=answered or received,
        due_on=due_on,
        answered_at=answered,
    )
    return True


def petitions_write(rng: Random, communes: list[Commune], window: Window) -> int:
    """A few petitions per commune over the window, through the petition services; returns how many."""
    codes = _Codes(set(Petition.objects.values_list("code", flat=True)), "PA-{unit}-{day:%y%m%d}-{n:04d}")
    days = window.working_days(window.first_day, window.today)
    written = 0
    for commune in communes:
        expected = len(commune.residents) * PETITIONS_PER_PERSON_MONTH * len(window.months)
        count = int(expected) + (rng.random() < expected - int(expected))
        for _ in range(count):
            written += _petition(rng, commune, window, window.office_moment(rng, rng.choice(days)), codes)
    return written
