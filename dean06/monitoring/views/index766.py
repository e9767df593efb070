"""The Decision 766 page and the drill-down of its figures. Thin: they parse the unit and period, call index766,
drilldown and the selectors, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dean06.core.charts import bar_chart
from dean06.core.pages import HtmxHttpRequest, PageView
from dean06.core.roles import Permission
from dean06.monitoring.drilldown import Part, index766_drilldown, index766_export
from dean06.monitoring.forms import Index766Form
from dean06.monitoring.index766 import PeriodType, index766_for
from dean06.monitoring.selectors import index766_ranking, index_unit_list
from dean06.registry.models.units import Level


class Index766View(PageView):
    """The Decision 766 index of the province or a commune for a month, quarter or year, with the ranking of
    the communes when the province is shown."""

    required_permission = Permission.MONITORING_VIEW

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        units = list(index_unit_list(actor=request.user))
        data = (
            request.GET
            if "period" in request.GET
            else {
                "unit": units[0].code if units else "",
                "period_type": PeriodType.MONTH.value,
                "period": timezone.localdate().strftime("%Y-%m"),
            }
        )
        form = Index766Form(data, units=index_unit_list(actor=request.user))
        context: dict[str, object] = {"form": form}
        if not form.is_valid():
            return render(request, "monitoring/index766.html", context, status=400 if request.GET else 200)
        period = form.parsed_period
        agency = form.cleaned_data.get("agency", "")
        index = index766_for(
            unit_code=form.cleaned_data["unit"], period=period.label, period_type=period.type, agency=agency
        )
        chart_rows = [(str(g.name), g.score, g.maximum) for g in index.groups]
        figures = {"unit": index.unit_code, "period_type": period.type, "period": period.label}
        if agency:
            figures["agency"] = agency
        context |= {
            "index": index,
            "detail_url": f"{reverse('monitoring:index766_detail')}?{urlencode(figures)}",
            "chart": bar_chart(chart_rows),
            "attainable": sum(i.maximum or 0.0 for g in index.groups for i in g.indicators if i.score is not None),
        }
        unit = next(u for u in units if u.code == index.unit_code)
        if unit.level == Level.PROVINCE:
            context["ranking"] = index766_ranking(actor=request.user, province=unit, period=period, agency=agency)
        context["period_name"] = _("Kỳ %(label)s") % {"label": period.label}
        return render(request, "monitoring/index766.html", context)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Index766DetailForm(Index766Form):
    """The 766 page's unit and period (the same unit check), plus which figure to open."""

    indicator = forms.CharField(label=gettext_lazy("Chỉ tiêu"), max_length=60)
    part = forms.ChoiceField(
        label=gettext_lazy("Số liệu"),
        choices=[(Part.NUMERATOR.value, gettext_lazy("Tử số")), (Part.DENOMINATOR.value, gettext_lazy("Mẫu số"))],
    )


class Index766DetailView(PageView):
    """The dossiers, procedures or petitions behind one numerator or denominator of the 766 page, or their XLSX
    (`format=xlsx`, audited). Codes, procedures and dates only: no applicant."""

    required_permission = Permission.MONITORING_VIEW

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        form = Index766DetailForm(request.GET, units=index_unit_list(actor=request.user))
        if not form.is_valid():
            return render(request, "monitoring/index766_detail.html", {"form": form}, status=400)
        period = form.parsed_period
        index = index766_for(
            unit_code=form.cleaned_data["unit"],
            period=period.label,
            period_type=period.type,
            agency=form.cleaned_data.get("agency", ""),
        )
        drill = index766_drilldown(index, form.cleaned_data["indicator"], Part(form.cleaned_data["part"]))
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(index766_export(actor=request.user, drill=drill), content_type=XLSX)
            filename = f"chi-so-766-{index.unit_code}-{period.label}-{drill.indicator.code}-{drill.part}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        back = urlencode(
            {
                key: form.cleaned_data[key]
                for key in ("unit", "period_type", "period", "agency")
                if form.cleaned_data.get(key)
            }
        )
        context: dict[str, Any] = {"form": form, "drill": drill, "back_query": back}
        return render(request, "monitoring/index766_detail.html", context)
