"""The SANDBOX payment gateway's pages under /sandbox/payments/ (namespace `payments:sandbox`), 404 unless SANDBOX."""

from django.urls import URLPattern, path

from dean06.identity.eid.sandbox_idp.views import sandbox_only
from dean06.public_services.payments import sandbox_views

app_name = "sandbox"
urlpatterns: list[URLPattern] = [
    path("thanh-toan/", sandbox_only(sandbox_views.SandboxPayView.as_view()), name="pay"),
]
