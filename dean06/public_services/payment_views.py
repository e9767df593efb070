"""The payment gateway's two ways back to dean06 (docs/payments.md). Thin: `fee_payment_gateway_callback` decides.

- the return URL: the citizen's browser, redirected by the gateway; shows the outcome;
- the IPN URL: the gateway's server, POSTing the same signed result; answers `{"RspCode", "Message"}`.
Neither needs a login: the gateway's signature is the authority, and the pages show only the payment.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dean06.public_services.models import FeePayment
from dean06.public_services.services.payments import (
    RSP_NOT_FOUND,
    RSP_SIGNATURE,
    fee_payment_gateway_callback,
    fee_payment_redirect_url,
)

RETURN_STATUS = {RSP_SIGNATURE: 400, RSP_NOT_FOUND: 404}


def gateway_redirect_url(request: HttpRequest, payment: FeePayment) -> str:
    """Where a page that has just started a gateway payment sends the citizen (URLs made absolute here)."""
    return fee_payment_redirect_url(
        payment=payment,
        return_url=request.build_absolute_uri(reverse("payments:return")),
        ipn_url=request.build_absolute_uri(reverse("payments:ipn")),
        client_ip=request.META.get("REMOTE_ADDR", ""),
        locale=getattr(request, "LANGUAGE_CODE", "vi"),
    )


@method_decorator(never_cache, name="dispatch")
class PaymentReturnView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        result = fee_payment_gateway_callback(params=request.GET.dict(), source="gateway_return")
        context = {"result": result, "payment": result.payment}
        return render(
            request, "public_services/payments/result.html", context, status=RETURN_STATUS.get(result.code, 200)
        )


@csrf_exempt  # called by the gateway's server, which has no CSRF token: its HMAC signature stands in for one
@require_POST
def payment_ipn(request: HttpRequest) -> JsonResponse:
    result = fee_payment_gateway_callback(params=request.POST.dict(), source="gateway_ipn")
    return JsonResponse({"RspCode": result.code, "Message": result.message})
