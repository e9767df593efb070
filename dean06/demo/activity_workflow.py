"""One dossier of the demo citizen (`congdan`, Long Đức) that went the whole way through the real workflow
(public_services.services): filed online with the prefilled e-form, assigned, handled and approved by the demo
one-stop officer, its result rendered, signed with the agency's SANDBOX certificate and put into the citizen's
document store, returned and rated. Its dates are then moved back two weeks. It shows what the bulk dossiers of
activity_dossiers stand for, and gives the demo citizen a signed result whose QR check works."""

from __future__ import annotations

from datetime import datetime, timedelta
from random import Random

from django.db.models import F
from django.utils import timezone

from dean06.core.models import User
from dean06.demo.activity_context import Commune, Window
from dean06.public_services.calendar import add_working_days, due_date
from dean06.public_services.choices import Channel
from dean06.public_services.eforms import prefill
from dean06.public_services.models import CitizenDocument, Dossier, DossierEvent, Procedure, Rating
from dean06.public_services.services.dossiers import dossier_act, dossier_start, dossier_submit
from dean06.public_services.services.feedback import rating_record
from dean06.public_services.services.results import dossier_issue_result
from dean06.public_services.workflow import Action

DEMO_CITIZEN = "congdan"  # dean06.demo.accounts
PROCEDURE = "VL-CT-XACNHAN"  # residence confirmation: no document to attach, a result to sign
DAYS_AGO = 14
BASE_URL = "http://127.0.0.1:8000"  # where `bin/serve` serves; printed in the result's QR
CITIZEN_VALUES = {"confirmation_content": "Xác nhận nơi thường trú", "purpose": "Bổ sung hồ sơ xin việc"}


def _walk(citizen: User, officer: User, procedure: Procedure) -> Dossier:
    assert citizen.person is not None
    dossier = dossier_start(actor=citizen, procedure=procedure, applicant=citizen.person, channel=Channel.ONLINE)
    filled = prefill(procedure.form, citizen.person)
    values = {name: p.value for name, p in filled.items()} | CITIZEN_VALUES
    dossier = dossier_submit(
        actor=citizen, dossier_id=dossier.pk, version=dossier.version, values=values, prefilled=filled,
        attachments=[], reuse=[], eid_level=2,
    )  # fmt: skip
    for action in (Action.ASSIGN, Action.START, Action.APPROVE):
        dossier = dossier_act(actor=officer, dossier_id=dossier.pk, version=dossier.version, action=action)
    dossier = dossier_issue_result(actor=officer, dossier_id=dossier.pk, version=dossier.version, base_url=BASE_URL)
    dossier = dossier_act(actor=officer, dossier_id=dossier.pk, version=dossier.version, action=Action.RETURN)
    rating_record(actor=citizen, dossier_id=dossier.pk, score=5, comment="Nhanh, không phải đi lại.")
    return dossier


def _backdate(dossier: Dossier, received: datetime) -> None:
    """Move the dossier's story back to `received`: receipt then, result two working days later. The code keeps
    the day it was drawn on: the signed result's QR names it."""
    local = timezone.localtime(received)
    finished = timezone.make_aware(datetime.combine(add_working_days(local.date(), 2), local.time()))
    returned = finished + timedelta(hours=2)
    Dossier.objects.filter(pk=dossier.pk).update(
        received_at=received, due_on=due_date(local, dossier.procedure.processing_days), finished_at=finished,
        returned_at=returned, created_at=received, updated_at=returned,
    )  # fmt: skip
    DossierEvent.objects.filter(dossier=dossier, action__in=[Action.SUBMIT, Action.ASSIGN, Action.START]).update(
        at=received
    )
    DossierEvent.objects.filter(dossier=dossier, action__in=[Action.APPROVE, Action.ISSUE_RESULT]).update(at=finished)
    DossierEvent.objects.filter(dossier=dossier, action=Action.RETURN).update(at=returned)
    CitizenDocument.objects.filter(source_dossier=dossier).update(
        issued_on=timezone.localdate(finished), created_at=finished, updated_at=finished
    )
    Rating.objects.filter(dossier=dossier).update(created_at=returned + timedelta(hours=1), updated_at=F("created_at"))


def showcase_dossier_write(rng: Random, communes: list[Commune], window: Window) -> int:
    """The demo citizen's dossier through the real workflow; 0 when the demo citizen or procedure is missing."""
    citizen = User.objects.filter(username=DEMO_CITIZEN, person__isnull=False).select_related("person").first()
    procedure = Procedure.objects.filter(code=PROCEDURE).first()
    if citizen is None or citizen.person is None or procedure is None:
        return 0
    commune = next((c for c in communes if c.unit.pk == citizen.person.commune_id), None)
    if commune is None:
        return 0
    dossier = _walk(citizen, commune.officer, procedure)
    days = window.working_days(window.today - timedelta(days=DAYS_AGO + 7), window.today - timedelta(days=DAYS_AGO))
    _backdate(dossier, window.office_moment(rng, days[-1] if days else window.today))
    return 1
