from django.urls import path

from dean06.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("theo-doi/ke-hoach/", views.PlanListView.as_view(), name="plan_list"),
    path("theo-doi/ke-hoach/<int:plan_id>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("theo-doi/chi-so-766/", views.Index766View.as_view(), name="index766"),
]
