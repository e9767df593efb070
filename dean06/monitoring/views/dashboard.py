"""The dashboards: the actor's top unit at /theo-doi/ (the province for the working group, their commune for a
commune officer), any of their units at /theo-doi/don-vi/<code>/; `?export=<table>` downloads one table as XLSX.
Thin: the selectors of dean06.monitoring.dashboard do the reading and the export."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from dean06.core.pages import HtmxHttpRequest, PageView
from dean06.core.roles import Permission
from dean06.monitoring.dashboard import (
    ProvinceDashboard,
    dashboard_export,
    dashboard_for,
    dashboard_period,
    dashboard_unit_get,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DashboardView(PageView):
    """One unit's dashboard: the province's for a province, a commune's for a commune."""

    required_permission = Permission.MONITORING_VIEW

    def get(self, request: HtmxHttpRequest, code: str | None = None) -> HttpResponse:
        unit = dashboard_unit_get(actor=request.user, code=code)
        period = dashboard_period(request.GET.get("period"))
        dashboard = dashboard_for(actor=request.user, unit=unit, period=period)
        table = request.GET.get("export")
        if table:
            content = dashboard_export(actor=request.user, dashboard=dashboard, table=table)  # type: ignore[arg-type]  # signed in (PageView)
            response = HttpResponse(content, content_type=XLSX)
            filename = f"de-an-06-{unit.code}-{period.label}-{table}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        province = isinstance(dashboard, ProvinceDashboard)
        template = "monitoring/dashboard.html" if province else "monitoring/dashboard_unit.html"
        # The way back to the actor's own top dashboard, unless this is it.
        top = dashboard_unit_get(actor=request.user) if code else unit
        context = {"dashboard": dashboard, "top_unit": top if top.pk != unit.pk else None}
        return render(request, template, context)
