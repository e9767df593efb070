from django.urls import path

from dean06.cleansing import views

app_name = "cleansing"
urlpatterns = [
    path("lam-sach/", views.RunListView.as_view(), name="run_list"),
    path("lam-sach/tong-hop/", views.DashboardView.as_view(), name="dashboard"),
    path("lam-sach/<int:run_id>/", views.RunDetailView.as_view(), name="run_detail"),
    path("lam-sach/<int:run_id>/trang-thai/", views.RunStatusView.as_view(), name="run_status"),
    path("lam-sach/<int:run_id>/duyet/", views.ReviewView.as_view(), name="review"),
    path("lam-sach/<int:run_id>/chay-lai/", views.RerunView.as_view(), name="rerun"),
    path("lam-sach/<int:run_id>/xuat.<str:file_format>", views.ExportView.as_view(), name="export"),
    path(
        "lam-sach/<int:run_id>/danh-sach-ra-soat/<str:commune_code>.xlsx",
        views.WorklistView.as_view(),
        name="worklist",
    ),
    path("lam-sach/<int:run_id>/nhap-ket-qua-ra-soat/", views.WorklistReturnView.as_view(), name="worklist_return"),
    path("lam-sach/dong/<int:verdict_id>/", views.RowView.as_view(), name="row"),
    path("lam-sach/dong/<int:verdict_id>/quyet-dinh/", views.DecideView.as_view(), name="decide"),
]
