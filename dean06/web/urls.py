from django.contrib.auth import views as auth_views
from django.urls import path

from dean06.web import views
from dean06.web.forms import LoginForm

app_name = "web"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("cong-dan/", views.PersonListView.as_view(), name="person_list"),
    path("cong-dan/xuat-csv/", views.PersonExportView.as_view(), name="person_export"),
    path("cong-dan/<int:person_id>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("nhat-ky/", views.AuditLogView.as_view(), name="audit_log"),
]
