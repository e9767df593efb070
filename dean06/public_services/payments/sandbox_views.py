"""The SANDBOX gateway's payment page (404 unless DEAN06_SANDBOX): shows what is asked, then pays or cancels.

On submit the gateway answers twice, as a real one does: server to server (the IPN, posted by a background job
once this request is done) and through the citizen's browser (a redirect to the merchant's return URL). Both
carry the same signed result.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from dean06.public_services.jobs import sandbox_ipn_send_job
from dean06.public_services.payments.gateway import GatewayError, InvalidSignatureError
from dean06.public_services.payments.sandbox import (
    sandbox_payment_read,
    sandbox_payment_result,
    sandbox_return_url,
)

log = logging.getLogger(__name__)

TEMPLATE = "public_services/payments/sandbox_pay.html"
REQUEST_FIELD = "yeu_cau"  # the signed request, carried through the form unchanged (and checked again)


def _refused(request: HttpRequest, error: GatewayError) -> HttpResponse:
    log.warning("SANDBOX gateway refused a payment request: %s", error)
    context = {"invalid_signature": isinstance(error, InvalidSignatureError)}
    return render(request, "public_services/payments/sandbox_refused.html", context, status=400)


@method_decorator(never_cache, name="dispatch")
class SandboxPayView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            payment = sandbox_payment_read(request.GET.dict())
        except GatewayError as error:
            return _refused(request, error)
        context = {
            "payment": payment,
            "signed_request": urlencode(payment.params),
            "request_field": REQUEST_FIELD,
            "expired": payment.expired(timezone.now()),
        }
        return render(request, TEMPLATE, context)

    def post(self, request: HttpRequest) -> HttpResponseBase:
        try:
            payment = sandbox_payment_read(QueryDict(request.POST.get(REQUEST_FIELD, "")).dict())
        except GatewayError as error:
            return _refused(request, error)
        result = sandbox_payment_result(payment, pay="pay" in request.POST, now=timezone.now())
        ipn_url = payment.ipn_url
        transaction.on_commit(lambda: sandbox_ipn_send_job.enqueue(ipn_url=ipn_url, params=result))
        return HttpResponseRedirect(sandbox_return_url(payment, result))
