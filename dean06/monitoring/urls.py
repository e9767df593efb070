from django.urls import path

from dean06.monitoring.views import index766, plans, reports, rollup
from dean06.monitoring.views.dashboard import DashboardView

app_name = "monitoring"
urlpatterns = [
    path("theo-doi/", DashboardView.as_view(), name="dashboard"),
    path("theo-doi/don-vi/<str:code>/", DashboardView.as_view(), name="unit_dashboard"),
    path("theo-doi/ke-hoach/", plans.PlanListView.as_view(), name="plan_list"),
    path("theo-doi/ke-hoach/<int:plan_id>/", plans.PlanDetailView.as_view(), name="plan_detail"),
    path("theo-doi/ke-hoach/moi/", plans.PlanCreateView.as_view(), name="plan_create"),
    path("theo-doi/ke-hoach/<int:plan_id>/trang-thai/", plans.PlanStatusView.as_view(), name="plan_status"),
    path("theo-doi/ke-hoach/<int:plan_id>/nhiem-vu/moi/", plans.TaskCreateView.as_view(), name="task_create"),
    path("theo-doi/nhiem-vu/<int:task_id>/sua/", plans.TaskEditView.as_view(), name="task_edit"),
    path("theo-doi/chi-so-766/", index766.Index766View.as_view(), name="index766"),
    path("theo-doi/chi-so-766/chi-tiet/", index766.Index766DetailView.as_view(), name="index766_detail"),
    path("theo-doi/bao-cao-tong-hop/", rollup.RollupView.as_view(), name="rollup"),
    path("theo-doi/bao-cao/", reports.ReportListView.as_view(), name="report_list"),
    path("theo-doi/bao-cao/lap/", reports.ReportFormView.as_view(), name="report_form"),
    path("theo-doi/bao-cao/<int:report_id>/", reports.ReportDetailView.as_view(), name="report_detail"),
]
