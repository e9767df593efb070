from django.urls import URLPattern, URLResolver, path

from dean06.identity.staff_auth import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("xac-thuc-2-buoc/", views.TotpVerifyView.as_view(), name="totp_verify"),
    path("xac-thuc-2-buoc/dang-ky/", views.TotpEnrolView.as_view(), name="totp_enrol"),
    path("xac-thuc-2-buoc/ma-du-phong/", views.TotpRecoveryView.as_view(), name="totp_recovery"),
]
