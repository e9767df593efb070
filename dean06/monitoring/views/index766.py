"""The Decision 766 page. Thin: it parses the unit and period, calls index766 and the selectors, renders."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dean06.core.charts import bar_chart
from dean06.core.pages import HtmxHttpRequest, PageView
from dean06.core.roles import Permission
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
        index = index766_for(unit_code=form.cleaned_data["unit"], period=period.label, period_type=period.type)
        chart_rows = [(str(g.name), g.score, g.maximum) for g in index.groups]
        context |= {
            "index": index,
            "chart": bar_chart(chart_rows),
            "attainable": sum(i.maximum or 0.0 for g in index.groups for i in g.indicators if i.score is not None),
        }
        unit = next(u for u in units if u.code == index.unit_code)
        if unit.level == Level.PROVINCE:
            context["ranking"] = index766_ranking(actor=request.user, province=unit, period=period)
        context["period_name"] = _("Kỳ %(label)s") % {"label": period.label}
        return render(request, "monitoring/index766.html", context)
