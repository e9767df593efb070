"""Fee payments (namespace `payments`): the gateway's return and IPN endpoints, and the SANDBOX gateway's pages.

Included from config/urls.py with `path("", include("dean06.public_services.payment_urls"))`.
"""

from django.urls import URLPattern, URLResolver, include, path

from dean06.public_services import payment_views

app_name = "payments"
urlpatterns: list[URLPattern | URLResolver] = [
    path("thanh-toan/ket-qua/", payment_views.PaymentReturnView.as_view(), name="return"),
    path("thanh-toan/ipn/", payment_views.payment_ipn, name="ipn"),
    path("sandbox/payments/", include("dean06.public_services.payments.sandbox_urls")),
]
