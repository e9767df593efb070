from django.urls import path

from dean06.cleansing import views

app_name = "cleansing"
urlpatterns = [
    path("lam-sach/", views.RunListView.as_view(), name="run_list"),
    path("lam-sach/<int:run_id>/", views.RunDetailView.as_view(), name="run_detail"),
    path("lam-sach/<int:run_id>/trang-thai/", views.RunStatusView.as_view(), name="run_status"),
    path("lam-sach/<int:run_id>/duyet/", views.ReviewView.as_view(), name="review"),
    path("lam-sach/dong/<int:verdict_id>/quyet-dinh/", views.DecideView.as_view(), name="decide"),
]
