"""Results: an approved dossier's result rendered as PDF (WeasyPrint), signed by the agency (PAdES, pyHanko),
kept in the applicant's document store for reuse, and verifiable by anyone from the QR printed on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dean06.core.audit import audit_record
from dean06.core.errors import NotFoundError
from dean06.core.models import User
from dean06.core.roles import AccessPurpose
from dean06.public_services.models import CitizenDocument, Dossier
from dean06.public_services.notifications import dossier_notify
from dean06.public_services.receipts import qr_svg
from dean06.public_services.services.dossiers import ConflictError, event_record, for_officer, versioned_save
from dean06.public_services.signing.render import render_pdf
from dean06.public_services.signing.sign import pdf_sign
from dean06.public_services.signing.verify import Verification, pdf_verification
from dean06.public_services.workflow import Action, TransitionError, next_status

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def result_kind(dossier: Dossier) -> str:
    return dossier.procedure.result_kind or f"result:{dossier.procedure.code}"


def result_html(dossier: Dossier, verify_url: str) -> str:
    fields = [(f["label"], dossier.form_data.get(f["name"], "")) for f in dossier.procedure.form]
    return render_to_string(
        "public_services/results/result.html",
        {"dossier": dossier, "fields": fields, "verify_url": verify_url, "verify_qr": qr_svg(verify_url),
         "issued_on": timezone.localdate()},
    )  # fmt: skip


@transaction.atomic
def dossier_issue_result(*, actor: User | AnonymousUser, dossier_id: int, version: int, base_url: str) -> Dossier:
    """Sign and issue the result of an approved dossier; it goes into the applicant's document store."""
    dossier = for_officer(actor, dossier_id)
    before = dossier.status
    try:
        dossier.status = next_status(dossier.status, Action.ISSUE_RESULT)
    except TransitionError as exc:
        raise ConflictError(gettext("Hồ sơ không còn ở trạng thái cho phép thao tác này.")) from exc
    verify_url = base_url.rstrip("/") + reverse("public_services:result_verify_code", args=[dossier.code])
    signed = pdf_sign(render_pdf(result_html(dossier, verify_url)), agency=dossier.procedure.agency)
    title = dossier.procedure.result_title or dossier.procedure.name
    document = CitizenDocument(
        person=dossier.applicant,
        kind=result_kind(dossier),
        title=f"{title} — {dossier.code}",
        issued_by=dossier.procedure.agency,
        issued_on=timezone.localdate(),
        source_dossier=dossier,
        signed=True,
    )
    document.file.save(f"{dossier.code}.pdf", ContentFile(signed), save=False)
    document.save()
    dossier.electronic_result = True
    versioned_save(dossier, version, ["status", "electronic_result"])
    assert isinstance(actor, User)  # for_officer let only a signed-in officer through
    event_record(dossier, actor, Action.ISSUE_RESULT, before)
    dossier_notify(dossier, Action.ISSUE_RESULT)
    return dossier


def result_for_code(code: str) -> CitizenDocument:
    """The signed result of the dossier with this code (the QR printed on the result points here)."""
    document = CitizenDocument.objects.filter(source_dossier__code=code, signed=True).order_by("-created_at").first()
    if document is None:
        raise NotFoundError()
    return document


def result_verify_stored(code: str) -> tuple[CitizenDocument, Verification]:
    document = result_for_code(code)
    with document.file.open("rb") as handle:
        return document, pdf_verification(handle.read())


def result_verify_upload(*, actor: User | AnonymousUser | None, data: bytes) -> Verification:
    """Anyone may check a result they were handed; the check itself is logged (no personal data in it)."""
    verification = pdf_verification(data)
    audit_record(
        actor=actor, action="result.verify", object_type="public_services.citizendocument",
        purpose=AccessPurpose.VERIFICATION, details=dict(verification.result) | {"bytes": len(data)},
    )  # fmt: skip
    return verification
