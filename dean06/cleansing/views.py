"""Cleansing pages: upload and runs, a run's results, the review queue. Scoping and audit live in the selectors
and services; these views parse input, call them and render."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from dean06.cleansing.corrections import row_verdict_correct, worklist_returned_import
from dean06.cleansing.dashboard import CRITERIA, quality_dashboard
from dean06.cleansing.forms import (
    ClassFilterForm,
    CorrectionForm,
    DashboardForm,
    DecisionForm,
    ReturnedWorklistForm,
    UploadForm,
)
from dean06.cleansing.outputs import cleansing_run_rerun, run_cleaned_export, run_worklist
from dean06.cleansing.runs import STAGE_LABELS, cleansing_run_create, row_verdict_decide
from dean06.cleansing.selectors import (
    cleansing_run_counts,
    cleansing_run_get,
    cleansing_run_list,
    cleansing_upload_units,
    review_rows,
    row_verdict_get,
    row_verdict_list,
    row_verdict_list_audit,
    row_verdict_review_queue,
    run_commune_counts,
)
from dean06.core.errors import ApplicationError
from dean06.core.pages import HtmxHttpRequest, PageView, wants_fragment
from dean06.core.roles import Permission

RUNS_PER_PAGE = 20
VERDICTS_PER_PAGE = 50
REVIEW_PER_PAGE = 20


class RunListView(PageView):
    """The actor's runs, each with its status (polled while it runs), and the upload form."""

    required_permission = Permission.CLEANSING_RUN

    def _render(self, request: HtmxHttpRequest, form: UploadForm, status: int = 200) -> HttpResponse:
        page = Paginator(cleansing_run_list(actor=request.user), RUNS_PER_PAGE).get_page(request.GET.get("page"))
        return render(request, "cleansing/run_list.html", {"form": form, "page": page}, status=status)

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        return self._render(request, UploadForm(units=cleansing_upload_units(actor=request.user)))

    def post(self, request: HtmxHttpRequest) -> HttpResponseBase:
        form = UploadForm(request.POST, request.FILES, units=cleansing_upload_units(actor=request.user))
        if not form.is_valid():
            return self._render(request, form, status=400)
        run = cleansing_run_create(
            actor=request.user,  # type: ignore[arg-type]  # PageView lets only signed-in users through
            upload=form.cleaned_data["file"],
            sector=form.cleaned_data["sector"],
            unit=form.cleaned_data["unit"],
        )
        if request.htmx:  # the form was sent by htmx to show upload progress
            return HttpResponseClientRedirect(reverse("cleansing:run_detail", args=[run.pk]))
        return redirect("cleansing:run_detail", run_id=run.pk)


class RunStatusView(PageView):
    """The status bar of one run; it polls itself every 2 s until the run is done or failed."""

    required_permission = Permission.CLEANSING_RUN

    def get(self, request: HtmxHttpRequest, run_id: int) -> HttpResponse:
        run = cleansing_run_get(actor=request.user, run_id=run_id)
        return render(request, "cleansing/_run_status.html", {"run": run, "stages": STAGE_LABELS})


class RunDetailView(PageView):
    """Counts per class and the rows of one class (the file's name and ID beside the verdict), paged."""

    required_permission = Permission.CLEANSING_RUN

    def get(self, request: HtmxHttpRequest, run_id: int) -> HttpResponse:
        run = cleansing_run_get(actor=request.user, run_id=run_id)
        form = ClassFilterForm(request.GET)
        row_class = form.cleaned_data["row_class"] if form.is_valid() else ""
        verdicts = row_verdict_list(actor=request.user, run=run, row_class=row_class)
        page = Paginator(verdicts, VERDICTS_PER_PAGE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
        if shown:
            row_verdict_list_audit(actor=request.user, run=run, shown=shown, view="results")
        context = {
            "run": run,
            "counts": cleansing_run_counts(run),
            "communes": run_commune_counts(actor=request.user, run=run),
            "row_class": row_class,
            "form": form,
            "page": page,
            "verdicts": shown,
            "stages": STAGE_LABELS,
            "return_form": ReturnedWorklistForm(),
        }
        return render(request, "cleansing/run_detail.html", context)


class ReviewView(PageView):
    """Rows to decide, each beside the registry person it was matched to, field by field."""

    required_permission = Permission.CLEANSING_REVIEW

    def get(self, request: HtmxHttpRequest, run_id: int) -> HttpResponse:
        run = cleansing_run_get(actor=request.user, run_id=run_id)
        queue = row_verdict_review_queue(actor=request.user, run=run)
        page = Paginator(queue, REVIEW_PER_PAGE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
        if shown:
            row_verdict_list_audit(actor=request.user, run=run, shown=shown, view="review")
        context = {"run": run, "page": page, "rows": review_rows(actor=request.user, verdicts=shown)}
        return render(request, "cleansing/review.html", context)


class DecideView(PageView):
    """One click on a row of the review queue: this person, or not in the registry. Audited by the service."""

    required_permission = Permission.CLEANSING_REVIEW

    def post(self, request: HtmxHttpRequest, verdict_id: int) -> HttpResponse:
        verdict = row_verdict_get(actor=request.user, verdict_id=verdict_id)
        form = DecisionForm(request.POST)
        error = ""
        if form.is_valid():
            try:
                verdict = row_verdict_decide(
                    actor=request.user, verdict_id=verdict.pk, decision=form.cleaned_data["decision"]
                )
            except ApplicationError as exc:
                error = exc.message
        else:
            error = str(form.errors.get("decision", ""))
        template = "cleansing/_decided.html" if wants_fragment(request) else "cleansing/decided.html"
        return render(request, template, {"verdict": verdict, "run": verdict.run, "error": error})


class RowView(PageView):
    """One row beside its candidates, field by field, with the correction form (GET shows, POST corrects)."""

    required_permission = Permission.CLEANSING_REVIEW

    def _render(self, request: HtmxHttpRequest, verdict_id: int, form: CorrectionForm, error: str = "") -> HttpResponse:
        verdict = row_verdict_get(actor=request.user, verdict_id=verdict_id)
        row_verdict_list_audit(actor=request.user, run=verdict.run, shown=[verdict], view="row")
        context = {
            "run": verdict.run,
            "item": review_rows(actor=request.user, verdicts=[verdict])[0],
            "form": form,
            "error": error,
        }
        return render(request, "cleansing/row.html", context, status=400 if error or form.errors else 200)

    def get(self, request: HtmxHttpRequest, verdict_id: int) -> HttpResponse:
        verdict = row_verdict_get(actor=request.user, verdict_id=verdict_id)
        initial = {"resolution": verdict.resolution, "note": verdict.field_note, **verdict.corrected_values}
        return self._render(request, verdict_id, CorrectionForm(initial=initial))

    def post(self, request: HtmxHttpRequest, verdict_id: int) -> HttpResponseBase:
        row_verdict_get(actor=request.user, verdict_id=verdict_id)  # 404 before reading the form
        form = CorrectionForm(request.POST)
        if not form.is_valid():
            return self._render(request, verdict_id, form)
        try:
            verdict = row_verdict_correct(
                actor=request.user,
                verdict_id=verdict_id,
                resolution=form.cleaned_data["resolution"],
                values=form.values,
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            return self._render(request, verdict_id, form, exc.message)
        return redirect("cleansing:row", verdict_id=verdict.pk)


def _download(path: Path, content_type: str) -> HttpResponse:
    response = HttpResponse(path.read_bytes(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{path.name}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8"}


class WorklistView(PageView):
    """A commune's work list (XLSX, one sheet per village) of the rows the actor may see; audited."""

    required_permission = Permission.CLEANSING_RUN

    def get(self, request: HtmxHttpRequest, run_id: int, commune_code: str) -> HttpResponse:
        run = cleansing_run_get(actor=request.user, run_id=run_id)
        with tempfile.TemporaryDirectory(prefix="dean06-worklist-") as workdir:
            path = run_worklist(actor=request.user, run=run, commune_code=commune_code, workdir=Path(workdir))
            return _download(path, XLSX)


class ExportView(PageView):
    """The cleaned dataset (XLSX or CSV) of the rows the actor may see, corrections applied; audited."""

    required_permission = Permission.CLEANSING_RUN

    def get(self, request: HtmxHttpRequest, run_id: int, file_format: str) -> HttpResponse:
        run = cleansing_run_get(actor=request.user, run_id=run_id)
        with tempfile.TemporaryDirectory(prefix="dean06-export-") as workdir:
            path = run_cleaned_export(actor=request.user, run=run, file_format=file_format, workdir=Path(workdir))
            return _download(path, CONTENT_TYPES[file_format])


class WorklistReturnView(PageView):
    """A work list the field team filled in, read back: what was applied, kept as a note, or refused, by line."""

    required_permission = Permission.CLEANSING_REVIEW

    def post(self, request: HtmxHttpRequest, run_id: int) -> HttpResponse:
        run = cleansing_run_get(actor=request.user, run_id=run_id)
        form = ReturnedWorklistForm(request.POST, request.FILES)
        context: dict[str, object] = {"run": run, "form": form}
        if not form.is_valid():
            return render(request, "cleansing/worklist_return.html", context, status=400)
        with tempfile.TemporaryDirectory(prefix="dean06-return-") as workdir:
            path = Path(workdir, "tra-ve.xlsx")
            with path.open("wb") as handle:
                for chunk in form.cleaned_data["file"].chunks():
                    handle.write(chunk)
            try:
                context["report"] = worklist_returned_import(actor=request.user, run=run, path=path)
            except ApplicationError as exc:
                context["error"] = exc.message
                return render(request, "cleansing/worklist_return.html", context, status=400)
        return render(request, "cleansing/worklist_return.html", context)


class RerunView(PageView):
    """Run the list again with every correction applied (removed rows left out)."""

    required_permission = Permission.CLEANSING_RUN

    def post(self, request: HtmxHttpRequest, run_id: int) -> HttpResponseBase:
        run = cleansing_run_get(actor=request.user, run_id=run_id)
        rerun = cleansing_run_rerun(actor=request.user, run=run)  # type: ignore[arg-type]  # signed in (PageView)
        return redirect("cleansing:run_detail", run_id=rerun.pk)


class DashboardView(PageView):
    """% đúng / đủ / sạch / sống per sector and commune, and their trend by day (counts only)."""

    required_permission = Permission.CLEANSING_RUN

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        form = DashboardForm(request.GET)
        sector = form.cleaned_data["sector"] if form.is_valid() else ""
        dashboard = quality_dashboard(actor=request.user, sector=sector)
        return render(request, "cleansing/dashboard.html", {"form": form, "dashboard": dashboard, "criteria": CRITERIA})
