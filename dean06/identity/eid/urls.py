"""Citizen e-ID pages (namespace `identity`) and the SANDBOX provider under /sandbox/eid/."""

from django.urls import URLPattern, URLResolver, include, path

from dean06.identity.eid import views
from dean06.identity.eid.sandbox_idp import views as sandbox_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("dang-nhap/vneid/", views.EidLoginView.as_view(), name="eid_login"),
    path("dang-nhap/vneid/callback/", views.EidCallbackView.as_view(), name="eid_callback"),
    path("cong-dan/cua-toi/", views.MyDataView.as_view(), name="my_data"),
    path("cong-dan/thu-tuc-muc-2/", views.Level2DemoView.as_view(), name="eid_level2_demo"),
    path(
        "sandbox/eid/dang-nhap/",
        sandbox_views.sandbox_only(sandbox_views.SandboxLoginView.as_view()),
        name="sandbox_eid_login",
    ),
    path("sandbox/eid/o/", include("dean06.identity.eid.sandbox_idp.urls")),
]
