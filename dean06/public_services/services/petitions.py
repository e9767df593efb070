"""Petitions (phản ánh, kiến nghị — PAKN) about administrative rules or about staff: a citizen submits one to their
commune (or province, or the unit handling a dossier of theirs), an officer of that unit answers it within the
time limit, and the citizen rates the answer. Every step is audited; the citizen is told of receipt and answer.

The time limit. Decree 20/2008/NĐ-CP (as amended by Decree 48/2013/NĐ-CP) sets no overall time limit for
answering: its only figure is Art. 9(1)(d), a petition outside the receiving agency's competence is forwarded to
the competent one within 5 working days. The limit used here is that of the Law on Citizen Reception 2013,
Art. 28(1): within 10 working days of receiving a petition (kiến nghị, phản ánh) the agency answers the citizen or
tells them how it is being handled. Vĩnh Long's own regulation on petitions was not found, so whether the province
sets a shorter limit is unconfirmed (docs/public-services.md, "Petitions").
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Final

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from dean06.core.access import access_by_id
from dean06.core.audit import audit_record
from dean06.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from dean06.core.models import User
from dean06.core.roles import AccessPurpose, Permission
from dean06.public_services.calendar import due_date
from dean06.public_services.choices import PetitionKind
from dean06.public_services.models import Dossier, Petition
from dean06.public_services.notifications import Message, backend
from dean06.public_services.selectors import is_citizen
from dean06.registry.models import AdministrativeUnit, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    type Actor = User | AnonymousUser

PETITION_ANSWER_WORKING_DAYS: Final = 10  # Law on Citizen Reception 2013, Art. 28(1); see the module docstring
SUBJECT_MAX: Final = 200
BODY_MAX: Final = 5000
_CODE_ATTEMPTS: Final = 5


class PetitionConflictError(ApplicationError):
    status_code = 409


def _citizen_person(actor: Actor) -> tuple[User, Person]:
    if not is_citizen(actor):
        raise PermissionDeniedError(gettext("Chỉ công dân đăng nhập bằng tài khoản định danh điện tử gửi phản ánh."))
    assert isinstance(actor, User) and actor.person is not None
    return actor, actor.person


def _receiving_unit(
    person: Person, unit: AdministrativeUnit | None, dossier_id: int | None
) -> tuple[AdministrativeUnit, Dossier | None]:
    """The dossier's handling unit; else the chosen unit, which must contain the citizen's commune (their commune
    or province: a citizen petitions the authorities over where they live); else their commune."""
    if dossier_id is not None:
        dossier = Dossier.objects.select_related("unit").filter(pk=dossier_id, applicant=person).first()
        if dossier is None:
            raise NotFoundError()
        return dossier.unit, dossier
    commune = person.commune
    if unit is None:
        return commune, None
    if not commune.path.startswith(unit.path):
        raise ApplicationError(gettext("Chỉ gửi phản ánh đến xã, phường hoặc tỉnh nơi bạn cư trú."))
    return unit, None


def _new_code(unit: AdministrativeUnit, attempt: int) -> str:
    """ "PA-29263-261127-0003": unit, day, running number of the day (a suffix when two were drawn at once)."""
    prefix = f"PA-{unit.code}-{timezone.localdate():%y%m%d}-"
    number = Petition.objects.filter(code__startswith=prefix).count() + 1
    return f"{prefix}{number:04d}" + (f"-{attempt}" if attempt else "")


def _notify(petition: Petition, body: str) -> None:
    """Tell the submitter, after the commit (a rolled-back step tells nobody). Vietnamese whatever the UI language."""
    submitter = petition.submitted_by
    person = submitter.person
    message = Message(
        to_phone=person.phone if person else "",
        to_email=submitter.email,
        subject=f"Phản ánh, kiến nghị {petition.code}",
        body=body,
        reference=petition.code,
        at=timezone.now().isoformat(),
    )
    transaction.on_commit(lambda: backend().send(message))


def petition_is_late(petition: Petition, today: date | None = None) -> bool:
    """Answered after its due day, or still unanswered past it (the rule of `selectors.petition_figures_of`)."""
    if petition.answered_at is not None:
        return timezone.localdate(petition.answered_at) > petition.due_on
    return (today or timezone.localdate()) > petition.due_on


def _clean_text(subject: str, body: str) -> tuple[str, str]:
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise ApplicationError(gettext("Hãy ghi tiêu đề và nội dung phản ánh."))
    if len(subject) > SUBJECT_MAX or len(body) > BODY_MAX:
        raise ApplicationError(
            gettext("Tiêu đề tối đa %(s)s ký tự, nội dung tối đa %(b)s ký tự.") % {"s": SUBJECT_MAX, "b": BODY_MAX}
        )
    return subject, body


def petition_submit(
    *,
    actor: Actor,
    kind: str,
    subject: str,
    body: str,
    unit: AdministrativeUnit | None = None,
    dossier_id: int | None = None,
) -> Petition:
    """A citizen's petition, due in PETITION_ANSWER_WORKING_DAYS working days (counted from the next working day
    when it arrives after office hours, as dossiers are)."""
    user, person = _citizen_person(actor)
    if kind not in PetitionKind.values:
        raise ApplicationError(gettext("Loại phản ánh không hợp lệ."))
    subject, body = _clean_text(subject, body)
    receiving, dossier = _receiving_unit(person, unit, dossier_id)
    due_on = due_date(timezone.localtime(), PETITION_ANSWER_WORKING_DAYS)
    for attempt in range(_CODE_ATTEMPTS):  # two petitions submitted at once may draw the same number
        try:
            with transaction.atomic():
                petition = Petition.objects.create(
                    code=_new_code(receiving, attempt),
                    unit=receiving,
                    submitted_by=user,
                    kind=kind,
                    subject=subject,
                    body=body,
                    dossier=dossier,
                    due_on=due_on,
                )
                audit_record(
                    actor=user, action="petition.submit", obj=petition, purpose=AccessPurpose.PUBLIC_SERVICE,
                    details={"code": petition.code, "kind": kind, "unit": receiving.code,
                             "dossier": dossier.code if dossier else ""},
                )  # fmt: skip
                _notify(
                    petition,
                    f"Đã tiếp nhận phản ánh, kiến nghị {petition.code}. Hạn trả lời: {due_on:%d/%m/%Y}.",
                )
                return petition
        except IntegrityError:
            continue
    raise ApplicationError(gettext("Không tạo được mã phản ánh. Vui lòng thử lại."))


@transaction.atomic
def petition_answer(*, actor: Actor, petition_id: int, answer: str) -> Petition:
    """An officer of the receiving unit answers, once; a second answer (two officers at once) is refused."""
    petitions = Petition.objects.select_related("unit", "submitted_by", "submitted_by__person")
    petition = access_by_id(petitions, actor=actor, permission=Permission.DOSSIER_PROCESS, pk=petition_id)
    assert isinstance(actor, User)
    answer = answer.strip()
    if not answer:
        raise ApplicationError(gettext("Hãy ghi nội dung trả lời."))
    if len(answer) > BODY_MAX:
        raise ApplicationError(gettext("Trả lời tối đa %(n)s ký tự.") % {"n": BODY_MAX})
    now = timezone.now()
    # Conditional update, so that of two officers answering at once only the first answer is kept.
    updated = Petition.objects.filter(pk=petition.pk, answered_at=None).update(
        answer=answer, answered_by=actor, answered_at=now, updated_at=now
    )
    if not updated:
        raise PetitionConflictError(gettext("Phản ánh này đã được trả lời."))
    petition.answer, petition.answered_by, petition.answered_at = answer, actor, now
    on_time = timezone.localdate(now) <= petition.due_on
    audit_record(
        actor=actor, action="petition.answer", obj=petition, purpose=AccessPurpose.PUBLIC_SERVICE,
        details={"code": petition.code, "on_time": on_time},
    )  # fmt: skip
    _notify(petition, f"Phản ánh, kiến nghị {petition.code} đã được trả lời: {answer[:300]}")
    return petition


@transaction.atomic
def petition_rate(*, actor: Actor, petition_id: int, satisfaction: int) -> Petition:
    """The submitter rates the answer, 1 (very unhappy) to 5 (very satisfied); rating again replaces it."""
    user, _person = _citizen_person(actor)
    petition = Petition.objects.filter(pk=petition_id, submitted_by=user).first()
    if petition is None:
        raise NotFoundError()
    if petition.answered_at is None:
        raise ApplicationError(gettext("Chỉ đánh giá được phản ánh đã có trả lời."))
    if not 1 <= satisfaction <= 5:
        raise ApplicationError(gettext("Mức đánh giá từ 1 đến 5."))
    petition.satisfaction = satisfaction
    petition.save(update_fields=["satisfaction", "updated_at"])
    audit_record(
        actor=user, action="petition.rate", obj=petition, purpose=AccessPurpose.PUBLIC_SERVICE,
        details={"code": petition.code, "satisfaction": satisfaction},
    )  # fmt: skip
    return petition
