"""Dossiers: drafts and submission (online by the citizen, at the counter by an officer), the officers' workflow
steps, deadlines in working days, and the apology owed for a late dossier. Every step is a named transition
(workflow.py), recorded as a DossierEvent, audited, and guarded by the dossier's version (optimistic locking)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Final

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dean06.core.access import access_by_id, require_permission
from dean06.core.audit import audit_record
from dean06.core.errors import ApplicationError, PermissionDeniedError
from dean06.core.models import User
from dean06.core.roles import AccessPurpose, Permission
from dean06.public_services.calendar import due_date, working_days_between
from dean06.public_services.choices import Channel, DossierStatus, FieldSource, Level
from dean06.public_services.eforms import Prefilled
from dean06.public_services.models import Attachment, CitizenDocument, Dossier, DossierEvent, Procedure
from dean06.public_services.notifications import dossier_notify
from dean06.public_services.selectors import dossier_editable
from dean06.public_services.workflow import APPLICANT_ACTIONS, Action, TransitionError, next_status
from dean06.registry.models import AdministrativeUnit, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    type Actor = User | AnonymousUser

_CODE_ATTEMPTS: Final = 5


class ConflictError(ApplicationError):
    status_code = 409
    default_message = _("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang rồi thực hiện lại.")


@dataclass(frozen=True)
class NewAttachment:
    requirement: str
    upload: UploadedFile[bytes]


def handling_unit(procedure: Procedure, applicant: Person) -> AdministrativeUnit:
    """Who handles the dossier: the applicant's commune, or the province for a province-level procedure."""
    commune = applicant.commune
    if procedure.level == Level.PROVINCE and commune.parent_id:
        return AdministrativeUnit.objects.get(pk=commune.parent_id)
    return commune


def _new_code(unit: AdministrativeUnit) -> str:
    """Unit code, date and a running number of the day: "29263-261127-0003"."""
    today = timezone.localdate()
    prefix = f"{unit.code}-{today:%y%m%d}-"
    taken = Dossier.objects.filter(code__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


def _create(*, actor: User, procedure: Procedure, applicant: Person, channel: str) -> Dossier:
    unit = handling_unit(procedure, applicant)
    for attempt in range(_CODE_ATTEMPTS):  # two dossiers created at once may draw the same number
        try:
            with transaction.atomic():
                return Dossier.objects.create(
                    code=_new_code(unit) + ("" if attempt == 0 else f"-{attempt}"),
                    procedure=procedure,
                    unit=unit,
                    applicant=applicant,
                    submitted_by=actor,
                    channel=channel,
                    status=DossierStatus.DRAFT,
                    fee_vnd=procedure.fee_vnd,
                )
        except IntegrityError:
            continue
    raise ApplicationError(gettext("Không tạo được mã hồ sơ. Vui lòng thử lại."))


def event_record(dossier: Dossier, actor: User, action: str, before: str, note: str = "") -> None:
    DossierEvent.objects.create(
        dossier=dossier, actor=actor, action=action, from_status=before, to_status=dossier.status, note=note
    )
    audit_record(
        actor=actor,
        action=f"dossier.{action}",
        obj=dossier,
        purpose=AccessPurpose.PUBLIC_SERVICE,
        details={"code": dossier.code, "from": before, "to": dossier.status, "note": note[:200]},
    )


def versioned_save(dossier: Dossier, version: int, fields: list[str]) -> None:
    """Write `fields` only if nobody changed the dossier since `version` was read; bump the version."""
    values = {name: getattr(dossier, name) for name in fields}
    updated = Dossier.objects.filter(pk=dossier.pk, version=version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise ConflictError()
    dossier.version = version + 1


# --- the applicant's side ------------------------------------------------------------------------------------------


def dossier_start(*, actor: User, procedure: Procedure, applicant: Person, channel: str) -> Dossier:
    """A new draft for `applicant`: a citizen for themself online, or an officer at the counter."""
    if channel == Channel.ONLINE:
        if actor.kind != User.Kind.CITIZEN or actor.person_id != applicant.pk:
            raise PermissionDeniedError()
    else:
        require_permission(actor, Permission.DOSSIER_FILE, unit_path=handling_unit(procedure, applicant).path)
    with transaction.atomic():
        dossier = _create(actor=actor, procedure=procedure, applicant=applicant, channel=channel)
        audit_record(
            actor=actor, action="dossier.start", obj=dossier, purpose=AccessPurpose.PUBLIC_SERVICE,
            details={"procedure": procedure.code, "channel": channel},
        )  # fmt: skip
    return dossier


@transaction.atomic
def dossier_draft_save(
    *, actor: Actor, dossier_id: int, version: int, values: dict[str, str], prefilled: dict[str, Prefilled]
) -> Dossier:
    """Keep what was typed so far (a draft can be finished later, on another device)."""
    dossier = dossier_editable(actor=actor, dossier_id=dossier_id)
    if dossier.status != DossierStatus.DRAFT:
        raise ApplicationError(gettext("Hồ sơ đã nộp, không sửa bản nháp được nữa."))
    dossier.form_data = values
    dossier.sources = {name: p.source for name, p in prefilled.items()}
    versioned_save(dossier, version, ["form_data", "sources"])
    return dossier


def _attach(dossier: Dossier, new: list[NewAttachment], reuse: list[int]) -> None:
    names = {d["key"]: d["name"] for d in dossier.procedure.documents}
    for item in new:
        if item.requirement not in names:
            raise ApplicationError(gettext("Thành phần hồ sơ không có trong thủ tục này."))
        attachment = Attachment(dossier=dossier, requirement=item.requirement, title=names[item.requirement])
        attachment.digitised = True  # uploaded online or scanned at the counter: an electronic copy exists
        attachment.file.save(item.upload.name or "tep", item.upload, save=False)
        attachment.save()
    wanted = {d["store_kind"]: d["key"] for d in dossier.procedure.documents if d.get("store_kind")}
    documents = CitizenDocument.objects.filter(pk__in=reuse, person=dossier.applicant, kind__in=list(wanted))
    if len(documents) != len(set(reuse)):
        raise ApplicationError(gettext("Giấy tờ chọn dùng lại không có trong kho dữ liệu của người nộp."))
    for document in documents:
        Attachment.objects.create(
            dossier=dossier, requirement=wanted[document.kind], title=document.title, reused=document, digitised=True
        )


def _missing_documents(dossier: Dossier) -> list[str]:
    given = set(dossier.attachments.values_list("requirement", flat=True))
    return [d["name"] for d in dossier.procedure.documents if d.get("required") and d["key"] not in given]


@transaction.atomic
def dossier_submit(
    *,
    actor: Actor,
    dossier_id: int,
    version: int,
    values: dict[str, str],
    prefilled: dict[str, Prefilled],
    attachments: list[NewAttachment],
    reuse: list[int],
    eid_level: int | None = None,
) -> Dossier:
    """Submit a draft (or a supplement): it is received now, due in the procedure's working days."""
    dossier = dossier_editable(actor=actor, dossier_id=dossier_id)
    citizen = isinstance(actor, User) and actor.kind == User.Kind.CITIZEN
    if citizen and (eid_level or 0) < dossier.procedure.eid_level:
        raise PermissionDeniedError(
            gettext("Thủ tục này cần đăng nhập bằng tài khoản định danh điện tử mức %(level)s.")
            % {"level": dossier.procedure.eid_level}
        )
    action = Action.RESUBMIT if dossier.status == DossierStatus.SUPPLEMENT_REQUESTED else Action.SUBMIT
    before = dossier.status
    try:
        dossier.status = next_status(dossier.status, action)
    except TransitionError as exc:
        raise ApplicationError(gettext("Hồ sơ không ở trạng thái có thể nộp.")) from exc
    _attach(dossier, attachments, reuse)
    missing = _missing_documents(dossier)
    if missing:
        raise ApplicationError(gettext("Còn thiếu thành phần hồ sơ: %(names)s.") % {"names": "; ".join(missing)})
    dossier.form_data = values
    dossier.sources = {name: p.source for name, p in prefilled.items()}
    now = timezone.now()
    if action == Action.SUBMIT:
        dossier.received_at = now
        dossier.due_on = due_date(timezone.localtime(now), dossier.procedure.processing_days)
    dossier.population_data_used = any(s in (FieldSource.REGISTRY, FieldSource.EID) for s in dossier.sources.values())
    dossier.components_digitised = dossier.attachments.filter(digitised=True).count()
    dossier.components_reused = dossier.attachments.exclude(reused=None).count() + sum(
        1 for s in dossier.sources.values() if s == FieldSource.DOCUMENT_STORE
    )
    fields = ["status", "form_data", "sources", "received_at", "due_on", "population_data_used"]
    versioned_save(dossier, version, [*fields, "components_digitised", "components_reused"])
    assert isinstance(actor, User)
    event_record(dossier, actor, action, before)
    dossier_notify(dossier, action)
    return dossier


# --- the officers' side --------------------------------------------------------------------------------------------


def for_officer(actor: Actor, dossier_id: int) -> Dossier:
    dossiers = Dossier.objects.select_related("procedure", "applicant", "unit", "assigned_to")
    return access_by_id(dossiers, actor=actor, permission=Permission.DOSSIER_PROCESS, pk=dossier_id)


@transaction.atomic
def dossier_act(
    *, actor: Actor, dossier_id: int, version: int, action: Action, note: str = "", assignee: User | None = None
) -> Dossier:
    """One officer step (assign, start, request a supplement, approve, refuse, return); audited and notified."""
    if action in APPLICANT_ACTIONS or action == Action.ISSUE_RESULT:
        raise ApplicationError(gettext("Thao tác này không thực hiện ở đây."))
    dossier = for_officer(actor, dossier_id)
    assert isinstance(actor, User)
    before = dossier.status
    try:
        dossier.status = next_status(dossier.status, action)
    except TransitionError as exc:
        raise ConflictError(gettext("Hồ sơ không còn ở trạng thái cho phép thao tác này.")) from exc
    if action in (Action.REQUEST_SUPPLEMENT, Action.REFUSE) and not note.strip():
        raise ApplicationError(gettext("Hãy ghi rõ lý do để gửi cho người nộp."))
    fields = ["status"]
    if action == Action.ASSIGN:
        dossier.assigned_to = assignee or actor
        fields.append("assigned_to")
    if action in (Action.APPROVE, Action.REFUSE):
        dossier.finished_at = timezone.now()
        fields.append("finished_at")
    if action == Action.RETURN:
        dossier.returned_at = timezone.now()
        fields.append("returned_at")
    versioned_save(dossier, version, fields)
    event_record(dossier, actor, action, before, note)
    dossier_notify(dossier, action, note)
    return dossier


# --- deadlines -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timeliness:
    due_on: date | None
    late: bool
    working_days_left: int | None  # negative when late; None once finished or before receipt
    warn: bool  # due within a working day


def dossier_timeliness(dossier: Dossier, today: date | None = None) -> Timeliness:
    """Late when finished after the due day, or still open past it (Decision 766 counts open dossiers too)."""
    today = today or timezone.localdate()
    if dossier.due_on is None:
        return Timeliness(None, False, None, False)
    if dossier.finished_at is not None:
        finished = timezone.localdate(dossier.finished_at)
        return Timeliness(dossier.due_on, finished > dossier.due_on, None, False)
    left = working_days_between(today, dossier.due_on)
    return Timeliness(dossier.due_on, today > dossier.due_on, left, 0 <= left <= 1)
