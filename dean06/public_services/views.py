"""Public-services pages: the catalogue and tracking (public), the citizen's filing and dossiers, the counter and
the officers' queue. Views parse input, call one selector or service, and render."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views import View

from dean06.core.errors import ApplicationError
from dean06.core.models import User
from dean06.core.pages import HtmxHttpRequest, PageView
from dean06.core.roles import Permission
from dean06.identity.eid.levels import eid_level
from dean06.public_services import receipts
from dean06.public_services.choices import Channel, PaymentMethod
from dean06.public_services.eforms import EForm, prefill
from dean06.public_services.forms import (
    ActionForm,
    CounterForm,
    RatingForm,
    SearchForm,
    VerifyForm,
    VersionForm,
    attachment_ok,
)
from dean06.public_services.models import Dossier
from dean06.public_services.payment_views import gateway_redirect_url
from dean06.public_services.payments import vietqr
from dean06.public_services.selectors import (
    counter_applicant,
    document_get,
    dossier_editable,
    dossier_get,
    dossier_list,
    dossier_list_audit,
    dossier_list_own,
    dossier_track,
    fee_paid,
    is_citizen,
    pending_transfer,
    procedure_get,
    procedure_list,
    store_documents,
    store_references,
)
from dean06.public_services.services.dossiers import (
    NewAttachment,
    dossier_act,
    dossier_draft_save,
    dossier_start,
    dossier_submit,
    dossier_timeliness,
)
from dean06.public_services.services.feedback import rating_record
from dean06.public_services.services.payments import fee_payment_start, fee_payment_vietqr
from dean06.public_services.services.results import dossier_issue_result, result_verify_stored, result_verify_upload
from dean06.public_services.workflow import ACTION_LABELS, Action, actions_from


class ProcedureListView(View):
    """The catalogue, open to anyone (citizens look before they log in)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = SearchForm(request.GET)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        return render(
            request, "public_services/procedure_list.html", {"form": form, "procedures": procedure_list(query=query)}
        )


class ProcedureDetailView(View):
    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        try:
            procedure = procedure_get(code=code)
        except ApplicationError:
            return render(request, "404.html", status=404)
        return render(request, "public_services/procedure_detail.html", {"procedure": procedure})


class DossierStartView(PageView):
    """A citizen starts filing online: a draft of their own, then the e-form."""

    def post(self, request: HtmxHttpRequest, code: str) -> HttpResponseBase:
        if not is_citizen(request.user):
            raise ApplicationError(
                gettext("Chỉ công dân đăng nhập bằng tài khoản định danh điện tử nộp hồ sơ trực tuyến.")
            )
        user = request.user
        assert isinstance(user, User) and user.person is not None
        dossier = dossier_start(
            actor=user, procedure=procedure_get(code=code), applicant=user.person, channel=Channel.ONLINE
        )
        return redirect("public_services:dossier_form", dossier_id=dossier.pk)


class DossierFormView(PageView):
    """The e-form of a draft (or a supplement): prefilled fields with their source, attachments, reuse from the
    citizen's document store; "save draft" or "submit"."""

    def _context(self, request: HtmxHttpRequest, dossier: Dossier, form: EForm, error: str = "") -> dict[str, Any]:
        return {
            "dossier": dossier,
            "form": form,
            "documents": dossier.procedure.documents,
            "store": store_documents(dossier=dossier),
            "error": error,
            "eid_level": eid_level(request),
        }

    def _form(self, dossier: Dossier, data: Any = None) -> EForm:
        filled = prefill(dossier.procedure.form, dossier.applicant, store_references(dossier=dossier))
        return EForm(data, spec=dossier.procedure.form, prefilled=filled, initial=dossier.form_data)

    def get(self, request: HtmxHttpRequest, dossier_id: int) -> HttpResponse:
        dossier = dossier_editable(actor=request.user, dossier_id=dossier_id)
        return render(
            request, "public_services/dossier_form.html", self._context(request, dossier, self._form(dossier))
        )

    def post(self, request: HtmxHttpRequest, dossier_id: int) -> HttpResponseBase:
        dossier = dossier_editable(actor=request.user, dossier_id=dossier_id)
        form = self._form(dossier, request.POST)
        version = int(request.POST.get("version") or 0)
        if request.POST.get("intent") == "draft":
            values = {name: request.POST.get(name, "") for name in form.fields}
            try:
                dossier_draft_save(
                    actor=request.user, dossier_id=dossier.pk, version=version, values=values, prefilled=form.prefilled
                )
            except ApplicationError as exc:  # e.g. saved meanwhile on another device: keep what was typed on screen
                context = self._context(request, dossier, form, exc.message)
                return render(request, "public_services/dossier_form.html", context, status=exc.status_code)
            return redirect("public_services:dossier_form", dossier_id=dossier.pk)
        uploads = [
            NewAttachment(key.removeprefix("doc_"), upload)
            for key in request.FILES
            if key.startswith("doc_") and isinstance(upload := request.FILES.get(key), UploadedFile)
        ]
        problems = [message for message in (attachment_ok(a.upload) for a in uploads) if message]
        if not form.is_valid() or problems:
            context = self._context(request, dossier, form, "; ".join(problems))
            return render(request, "public_services/dossier_form.html", context, status=400)
        try:
            dossier = dossier_submit(
                actor=request.user,
                dossier_id=dossier.pk,
                version=version,
                values=form.values(),
                prefilled=form.prefilled,
                attachments=uploads,
                reuse=[int(v) for v in request.POST.getlist("reuse") if v.isdigit()],
                eid_level=eid_level(request),
            )
        except ApplicationError as exc:
            context = self._context(request, dossier, form, exc.message)
            return render(request, "public_services/dossier_form.html", context, status=exc.status_code)
        return redirect("public_services:receipt", dossier_id=dossier.pk)


class MyDossierListView(PageView):
    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        dossiers = list(dossier_list_own(actor=request.user))
        return render(request, "public_services/my_dossiers.html", {"dossiers": dossiers})


class DossierDetailView(PageView):
    """A dossier with its history and documents; officers also get the actions its status allows."""

    def get(self, request: HtmxHttpRequest, dossier_id: int) -> HttpResponse:
        dossier = dossier_get(actor=request.user, dossier_id=dossier_id)
        officer = not is_citizen(request.user)
        actions = [(a, ACTION_LABELS[a]) for a in actions_from(dossier.status)] if officer else []
        context = {
            "dossier": dossier,
            "events": dossier.events.select_related("actor"),
            "attachments": dossier.attachments.select_related("reused"),
            "results": dossier.results.all(),
            "timeliness": dossier_timeliness(dossier),
            "actions": [(a, label) for a, label in actions if a not in (Action.SUBMIT, Action.RESUBMIT)],
            "officer": officer,
            "rating_form": RatingForm(),
        }
        return render(request, "public_services/dossier_detail.html", context)


class DossierActView(PageView):
    """One workflow step by an officer; a stale version (someone acted meanwhile) is refused, nothing lost."""

    required_permission = Permission.DOSSIER_PROCESS

    def post(self, request: HtmxHttpRequest, dossier_id: int) -> HttpResponseBase:
        form = ActionForm(request.POST)
        if not form.is_valid() or form.cleaned_data["action"] not in Action.__members__.values():
            raise ApplicationError()
        dossier_act(
            actor=request.user,
            dossier_id=dossier_id,
            version=form.cleaned_data["version"],
            action=Action(form.cleaned_data["action"]),
            note=form.cleaned_data["note"],
        )
        return redirect("public_services:dossier_detail", dossier_id=dossier_id)


class DossierQueueView(PageView):
    """Dossiers of the officer's units, the most urgent first, late ones marked."""

    required_permission = Permission.DOSSIER_PROCESS

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        late_only = request.GET.get("tre_han") == "1"
        dossiers = list(dossier_list(actor=request.user, late_only=late_only, query=request.GET.get("q", ""))[:200])
        if dossiers:
            dossier_list_audit(actor=request.user, shown=dossiers)
        rows = [(d, dossier_timeliness(d)) for d in dossiers]
        return render(request, "public_services/queue.html", {"rows": rows, "late_only": late_only})


class CounterView(PageView):
    """File at the counter for a citizen identified by scanning their ID card's QR code."""

    required_permission = Permission.DOSSIER_FILE

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        return render(request, "public_services/counter.html", {"form": CounterForm()})

    def post(self, request: HtmxHttpRequest) -> HttpResponseBase:
        form = CounterForm(request.POST)
        if form.is_valid():
            try:
                applicant = counter_applicant(actor=request.user, scanned=form.cleaned_data["scanned"])
                dossier = dossier_start(
                    actor=request.user,  # type: ignore[arg-type]  # PageView: signed in
                    procedure=form.cleaned_data["procedure"],
                    applicant=applicant,
                    channel=Channel.COUNTER,
                )
                return redirect("public_services:dossier_form", dossier_id=dossier.pk)
            except ApplicationError as exc:
                form.add_error("scanned", exc.message)
        return render(request, "public_services/counter.html", {"form": form}, status=400)


class ReceiptView(PageView):
    """The receipt (giấy tiếp nhận và hẹn trả kết quả): code, due day, tracking QR, fee with its VietQR."""

    def get(self, request: HtmxHttpRequest, dossier_id: int) -> HttpResponse:
        dossier = dossier_get(actor=request.user, dossier_id=dossier_id)
        track_url = request.build_absolute_uri(reverse("public_services:track") + f"?ma={dossier.code}")
        transfer = pending_transfer(dossier=dossier)
        context = {
            "dossier": dossier,
            "track_url": track_url,
            "track_qr": receipts.qr_svg(track_url),
            "transfer": transfer,
            "transfer_qr": vietqr.svg(fee_payment_vietqr(transfer)) if transfer else "",
            "fee_due": dossier.fee_vnd > 0 and not dossier.fee_paid_online and not fee_paid(dossier=dossier),
        }
        return render(request, "public_services/receipt.html", context)


class FeePayView(PageView):
    """Pay a dossier's fee: through the payment gateway (redirect), or by a VietQR bank transfer (shown on the
    receipt). The payer is the applicant (or an officer of the unit at the counter)."""

    def post(self, request: HtmxHttpRequest, dossier_id: int) -> HttpResponseBase:
        dossier = dossier_get(actor=request.user, dossier_id=dossier_id)
        method = request.POST.get("method", "")
        payment = fee_payment_start(actor=request.user, dossier=dossier, method=method)
        if method == PaymentMethod.GATEWAY:
            return redirect(gateway_redirect_url(request, payment))
        return redirect("public_services:receipt", dossier_id=dossier.pk)


class TrackView(View):
    """Anyone holding a dossier code (the receipt's QR) sees its status and dates, nothing personal."""

    def get(self, request: HttpRequest) -> HttpResponse:
        code = request.GET.get("ma", "").strip()[:40]
        dossier = dossier_track(code=code) if code else None
        context = {"code": code, "dossier": dossier, "timeliness": dossier_timeliness(dossier) if dossier else None}
        return render(request, "public_services/track.html", context, status=404 if code and not dossier else 200)


class ApologyView(PageView):
    """The apology letter owed to the applicant of a late dossier (printable)."""

    required_permission = Permission.DOSSIER_PROCESS

    def get(self, request: HtmxHttpRequest, dossier_id: int) -> HttpResponse:
        dossier = dossier_get(actor=request.user, dossier_id=dossier_id)
        letter = receipts.apology_letter(dossier)
        return render(request, "public_services/apology.html", {"dossier": dossier, "letter": letter})


class RatingView(PageView):
    def post(self, request: HtmxHttpRequest, dossier_id: int) -> HttpResponseBase:
        form = RatingForm(request.POST)
        if not form.is_valid():
            raise ApplicationError()
        rating_record(
            actor=request.user,
            dossier_id=dossier_id,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
        return redirect("public_services:dossier_detail", dossier_id=dossier_id)


class ResultIssueView(PageView):
    """Render, sign and issue the result of an approved dossier."""

    required_permission = Permission.DOSSIER_PROCESS

    def post(self, request: HtmxHttpRequest, dossier_id: int) -> HttpResponseBase:
        form = VersionForm(request.POST)
        if not form.is_valid():
            raise ApplicationError()
        dossier_issue_result(
            actor=request.user,
            dossier_id=dossier_id,
            version=form.cleaned_data["version"],
            base_url=request.build_absolute_uri("/"),
        )
        return redirect("public_services:dossier_detail", dossier_id=dossier_id)


class ResultDownloadView(PageView):
    """A signed result, for its holder or the officers of the unit that issued it; audited."""

    def get(self, request: HtmxHttpRequest, document_id: int) -> HttpResponse:
        document = document_get(actor=request.user, document_id=document_id)
        with document.file.open("rb") as handle:
            response = HttpResponse(handle.read(), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{Path(str(document.file.name)).name}"'
        return response


class ResultVerifyView(View):
    """Anyone checks a result: upload the PDF, or arrive from the QR printed on it (the stored copy is checked)."""

    def get(self, request: HttpRequest, code: str = "") -> HttpResponse:
        context: dict[str, Any] = {"form": VerifyForm()}
        if code:
            try:
                document, verification = result_verify_stored(code)
            except ApplicationError:
                return render(request, "public_services/verify.html", {**context, "missing": code}, status=404)
            context |= {"document": document, "verification": verification}
        return render(request, "public_services/verify.html", context)

    def post(self, request: HttpRequest, code: str = "") -> HttpResponse:
        form = VerifyForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, "public_services/verify.html", {"form": form}, status=400)
        actor = request.user if request.user.is_authenticated else None
        verification = result_verify_upload(actor=actor, data=form.cleaned_data["file"].read())
        return render(request, "public_services/verify.html", {"form": VerifyForm(), "verification": verification})
