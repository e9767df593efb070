from django.urls import path

from dean06.monitoring.views import index766, plans

app_name = "monitoring"
urlpatterns = [
    path("theo-doi/ke-hoach/", plans.PlanListView.as_view(), name="plan_list"),
    path("theo-doi/ke-hoach/<int:plan_id>/", plans.PlanDetailView.as_view(), name="plan_detail"),
    path("theo-doi/chi-so-766/", index766.Index766View.as_view(), name="index766"),
]
