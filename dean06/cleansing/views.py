"""Cleansing pages: upload and runs, a run's results, the review queue. Scoping and audit live in the selectors
and services; these views parse input, call them and render."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from dean06.cleansing.forms import ClassFilterForm, DecisionForm, UploadForm
from dean06.cleansing.runs import cleansing_run_create, row_verdict_decide
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
        return redirect("cleansing:run_detail", run_id=run.pk)


class RunStatusView(PageView):
    """The status bar of one run; it polls itself every 2 s until the run is done or failed."""

    required_permission = Permission.CLEANSING_RUN

    def get(self, request: HtmxHttpRequest, run_id: int) -> HttpResponse:
        run = cleansing_run_get(actor=request.user, run_id=run_id)
        return render(request, "cleansing/_run_status.html", {"run": run})


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
            "row_class": row_class,
            "form": form,
            "page": page,
            "verdicts": shown,
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
