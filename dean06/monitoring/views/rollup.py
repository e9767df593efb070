"""The provincial roll-up report of a month: a preview, and its DOCX, XLSX and PDF downloads (audited). Thin: it
parses the plan and month, calls rollup.data and rollup.exports, renders; units are shown, no person."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dean06.core.pages import HtmxHttpRequest, PageView
from dean06.core.roles import Permission
from dean06.monitoring.reports import previous_period
from dean06.monitoring.rollup.data import rollup_build, rollup_plans
from dean06.monitoring.rollup.exports import FORMATS, rollup_export, rollup_filename
from dean06.monitoring.rollup.forms import RollupForm
from dean06.monitoring.rollup.text import labels


class RollupView(PageView):
    """The roll-up of a plan for a month: the document previewed, or downloaded with `format`."""

    required_permission = Permission.REPORT_REVIEW

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        plans = rollup_plans(actor=request.user)
        asked = "plan" in request.GET or "period" in request.GET
        if asked:
            form = RollupForm(request.GET, plans=plans)
        else:  # the first plan, last month
            first = plans.first()
            initial = {"plan": first.pk if first else "", "period": previous_period(timezone.localdate())}
            form = RollupForm(initial, plans=plans)
        if not form.is_valid():
            return render(request, "monitoring/rollup.html", {"form": form}, status=400 if asked else 200)
        plan = form.cleaned_data["plan"]
        rollup = rollup_build(actor=request.user, plan=plan, period=form.cleaned_data["period"])
        extension = form.cleaned_data["format"]
        if extension:
            content = rollup_export(actor=request.user, plan=plan, rollup=rollup, extension=extension)
            response = HttpResponse(content, content_type=FORMATS[extension].content_type)
            response["Content-Disposition"] = f'attachment; filename="{rollup_filename(rollup, extension)}"'
            return response
        context = {"form": form, "rollup": rollup, "labels": labels(), "formats": list(FORMATS)}
        return render(request, "monitoring/rollup.html", context)
