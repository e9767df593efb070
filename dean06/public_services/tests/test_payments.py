"""Fee payments (issue #5, fees): start, the SANDBOX gateway, signed return and IPN, idempotency, reconciliation."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils import timezone
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from config import urls as main_urls
from dean06.core.errors import ApplicationError, PermissionDeniedError
from dean06.core.models import AuditEvent, User
from dean06.core.roles import Role
from dean06.public_services.choices import PaymentMethod, PaymentStatus
from dean06.public_services.models import Dossier, FeePayment
from dean06.public_services.payment_views import gateway_redirect_url
from dean06.public_services.payments import gateway, vietqr
from dean06.public_services.payments.sandbox import sandbox_payment_read, sandbox_payment_result
from dean06.public_services.services.payments import (
    fee_payment_confirm,
    fee_payment_reconcile,
    fee_payment_redirect_url,
    fee_payment_start,
    fee_payment_vietqr,
)
from dean06.public_services.tests import factories
from dean06.testing import factories as core_factories

# Until config/urls.py includes the payment URLs, these tests serve them from this module's URLconf.
urlpatterns: list[URLPattern | URLResolver] = list(main_urls.urlpatterns)
if not any(getattr(entry, "namespace", None) == "payments" for entry in urlpatterns):
    urlpatterns.append(path("", include("dean06.public_services.payment_urls")))

pytestmark = pytest.mark.urls(__name__)

FEE = 50_000
RETURN_URL = "http://testserver/thanh-toan/ket-qua/"
IPN_URL = "http://testserver/thanh-toan/ipn/"


@pytest.fixture
def dossier(db: None) -> Dossier:
    return factories.dossier(fee_vnd=FEE)


def _payer(dossier: Dossier) -> User:
    return dossier.submitted_by


def _start(dossier: Dossier, method: str = PaymentMethod.GATEWAY) -> FeePayment:
    return fee_payment_start(actor=_payer(dossier), dossier=dossier, method=method)


def _result(payment: FeePayment, *, pay: bool = True, **changes: str) -> dict[str, str]:
    """The signed result the SANDBOX gateway would send about `payment` (`changes` applied before signing)."""
    start_url = fee_payment_redirect_url(payment=payment, return_url=RETURN_URL, ipn_url=IPN_URL)
    request = sandbox_payment_read(dict(parse_qsl(urlsplit(start_url).query)))
    result = sandbox_payment_result(request, pay=pay, now=timezone.now())
    return gateway.signed({**result, **changes}) if changes else result


def _ipn(client: Client, params: dict[str, str]) -> str:
    response = client.post(reverse("payments:ipn"), params)
    assert response.status_code == 200
    return str(response.json()["RspCode"])


# --- Starting ----------------------------------------------------------------------------------------------


def test_a_payment_starts_pending_for_the_whole_fee(dossier: Dossier) -> None:
    payment = _start(dossier)
    assert payment.status == PaymentStatus.PENDING and payment.amount_vnd == FEE
    assert payment.reference == f"PAY-{dossier.code}-1"
    assert _start(dossier).reference == f"PAY-{dossier.code}-2"  # a second attempt while the first is pending
    assert AuditEvent.objects.filter(action="fee.start", object_id=str(payment.pk)).exists()


def test_a_long_dossier_code_gives_a_reference_that_fits_a_vietqr(db: None) -> None:
    dossier = factories.dossier(fee_vnd=FEE, code="000.00.29.H62-251127-001")
    payment = _start(dossier)
    assert payment.reference == f"PAY-{dossier.pk}-1"
    assert vietqr.parse(fee_payment_vietqr(payment)).purpose == payment.reference


def test_nothing_to_pay_or_already_paid_is_refused(dossier: Dossier) -> None:
    free = factories.dossier(fee_vnd=0)
    with pytest.raises(ApplicationError, match="không có phí"):
        _start(free)
    payment = _start(dossier)
    fee_payment_confirm(reference=payment.reference, transaction="1", amount_vnd=FEE, success=True, source="test")
    with pytest.raises(ApplicationError, match="đã được nộp"):
        _start(dossier)


def test_a_citizen_pays_only_their_own_dossier_and_never_in_cash(dossier: Dossier) -> None:
    stranger = factories.dossier(fee_vnd=FEE).submitted_by
    with pytest.raises(PermissionDeniedError):
        fee_payment_start(actor=stranger, dossier=dossier, method=PaymentMethod.GATEWAY)
    with pytest.raises(PermissionDeniedError):
        fee_payment_start(actor=_payer(dossier), dossier=dossier, method=PaymentMethod.CASH)
    officer = core_factories.user_with_role(Role.ONE_STOP_OFFICER)
    assert fee_payment_start(actor=officer, dossier=dossier, method=PaymentMethod.CASH).method == PaymentMethod.CASH


def test_the_vietqr_of_a_payment_carries_amount_and_reference(dossier: Dossier) -> None:
    payment = _start(dossier, PaymentMethod.VIETQR)
    qr = vietqr.parse(fee_payment_vietqr(payment))
    assert (qr.amount_vnd, qr.purpose, qr.bill_number) == (FEE, payment.reference, payment.reference)


def test_the_redirect_url_is_built_from_the_request(dossier: Dossier) -> None:
    payment = _start(dossier)
    url = gateway_redirect_url(RequestFactory().get("/"), payment)
    request = sandbox_payment_read(dict(parse_qsl(urlsplit(url).query)))
    assert urlsplit(url).path == reverse("payments:sandbox:pay")
    assert (request.return_url, request.ipn_url) == (RETURN_URL, IPN_URL)
    assert (request.reference, request.amount_vnd) == (payment.reference, FEE)
    assert request.params["vnp_Amount"] == str(FEE * 100)


# --- Signatures --------------------------------------------------------------------------------------------


def test_a_tampered_callback_is_refused_and_changes_nothing(client: Client, dossier: Dossier) -> None:
    payment = _start(dossier)
    params = _result(payment)
    for name, value in [("vnp_Amount", "100"), ("vnp_ResponseCode", "00"), ("vnp_TxnRef", "PAY-X-1")]:
        forged = {**params, name: value if params[name] != value else "24"}
        with pytest.raises(gateway.InvalidSignatureError):
            gateway.payment_gateway().verify(forged)
        assert _ipn(client, forged) == "97"
    assert _ipn(client, {k: v for k, v in params.items() if k != gateway.HASH_PARAM}) == "97"
    payment.refresh_from_db()
    assert (payment.status, payment.callbacks) == (PaymentStatus.PENDING, 0)


def test_a_result_signed_with_another_key_is_refused(dossier: Dossier, settings: Settings) -> None:
    params = _result(_start(dossier))
    settings.SECRET_KEY = "another-deployment-" + "x" * 40
    with pytest.raises(gateway.InvalidSignatureError):
        gateway.payment_gateway().verify(params)


# --- IPN and return URL ------------------------------------------------------------------------------------


def test_the_ipn_twice_pays_once(client: Client, dossier: Dossier) -> None:
    payment = _start(dossier)
    params = _result(payment)
    assert _ipn(client, params) == "00"
    assert _ipn(client, params) == "02"  # "already confirmed": the gateway stops retrying
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.callbacks == 2
    assert payment.paid_at is not None and payment.gateway_transaction == params["vnp_TransactionNo"]
    assert AuditEvent.objects.filter(action="fee.paid", object_id=str(payment.pk)).count() == 1
    dossier.refresh_from_db()
    assert dossier.fee_paid_online and dossier.version == 2


def test_a_second_callback_changes_nothing_but_the_count(dossier: Dossier) -> None:
    payment = _start(dossier)
    fee_payment_confirm(reference=payment.reference, transaction="111", amount_vnd=FEE, success=True, source="a")
    paid_at = FeePayment.objects.get(pk=payment.pk).paid_at
    again = fee_payment_confirm(reference=payment.reference, transaction="222", amount_vnd=1, success=False, source="b")
    assert (again.status, again.gateway_transaction, again.paid_at, again.callbacks) == (
        PaymentStatus.PAID,
        "111",
        paid_at,
        2,
    )


def test_an_amount_mismatch_fails_the_payment(client: Client, dossier: Dossier) -> None:
    payment = _start(dossier)
    assert _ipn(client, _result(payment, vnp_Amount=str((FEE - 1000) * 100))) == "04"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and payment.paid_at is None
    event = AuditEvent.objects.get(action="fee.failed", object_id=str(payment.pk))
    assert event.details["reason"] == "amount_mismatch" and event.details["amount_received_vnd"] == FEE - 1000
    dossier.refresh_from_db()
    assert not dossier.fee_paid_online


def test_a_cancelled_payment_fails(client: Client, dossier: Dossier) -> None:
    payment = _start(dossier)
    assert _ipn(client, _result(payment, pay=False)) == "00"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert AuditEvent.objects.get(action="fee.failed").details["reason"] == "not_paid"


def test_an_unknown_reference_and_a_get_are_answered(client: Client, dossier: Dossier) -> None:
    payment = _start(dossier)
    assert _ipn(client, _result(payment, vnp_TxnRef="PAY-KHONG-CO-1")) == "01"
    assert client.get(reverse("payments:ipn")).status_code == 405


def test_the_return_page_shows_the_payment_paid(client: Client, dossier: Dossier) -> None:
    payment = _start(dossier)
    response = client.get(reverse("payments:return"), _result(payment))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã thanh toán phí, lệ phí" in page and payment.reference in page and "50.000 đồng" in page
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID


def test_the_return_page_shows_a_cancellation_and_a_bad_signature(client: Client, dossier: Dossier) -> None:
    payment = _start(dossier)
    cancelled = client.get(reverse("payments:return"), _result(payment, pay=False))
    assert "Bạn đã hủy giao dịch" in cancelled.content.decode()
    forged = client.get(reverse("payments:return"), {**_result(payment), "vnp_Amount": "100"})
    assert forged.status_code == 400 and "Chữ ký của cổng thanh toán không hợp lệ" in forged.content.decode()


# --- The SANDBOX gateway's pages ---------------------------------------------------------------------------


def test_the_sandbox_page_shows_the_payment_labelled_sandbox(client: Client, dossier: Dossier) -> None:
    payment = _start(dossier)
    url = fee_payment_redirect_url(payment=payment, return_url=RETURN_URL, ipn_url=IPN_URL)
    page = client.get(url).content.decode()
    assert "SANDBOX" in page and "Cổng thanh toán thử nghiệm" in page
    assert payment.reference in page and "50.000 đồng" in page and "Thanh toán" in page and "Hủy" in page
    assert client.get(url.replace("vnp_Amount=5000000", "vnp_Amount=100")).status_code == 400


def test_paying_at_the_sandbox_redirects_with_a_signed_result_and_queues_the_ipn(
    client: Client, dossier: Dossier, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    payment = _start(dossier)
    url = fee_payment_redirect_url(payment=payment, return_url=RETURN_URL, ipn_url=IPN_URL)
    form = dict(parse_qsl(urlsplit(url).query))
    with django_capture_on_commit_callbacks() as queued:  # not run: the job would call http://testserver
        response = client.post(url, {"yeu_cau": urlsplit(url).query, "pay": ""})
    assert len(queued) == 1
    assert response.status_code == 302 and response["Location"].startswith(RETURN_URL + "?")
    outcome = gateway.payment_gateway().verify(dict(parse_qsl(urlsplit(response["Location"]).query)))
    assert (outcome.reference, outcome.amount_vnd, outcome.success) == (form["vnp_TxnRef"], FEE, True)


def test_paying_after_the_expiry_fails_the_payment(client: Client, dossier: Dossier) -> None:
    payment = _start(dossier)
    url = fee_payment_redirect_url(payment=payment, return_url=RETURN_URL, ipn_url=IPN_URL)
    request = sandbox_payment_read(dict(parse_qsl(urlsplit(url).query)))
    late = sandbox_payment_result(request, pay=True, now=request.expires_at + timedelta(seconds=1))
    assert late["vnp_ResponseCode"] == gateway.EXPIRED
    page = client.get(reverse("payments:return"), late).content.decode()
    assert "quá thời gian chờ thanh toán" in page
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED


def test_the_sandbox_is_404_when_sandbox_is_off(client: Client, dossier: Dossier, settings: Settings) -> None:
    url = fee_payment_redirect_url(payment=_start(dossier), return_url=RETURN_URL, ipn_url=IPN_URL)
    settings.DEAN06_SANDBOX = False
    assert client.get(url).status_code == 404
    assert client.post(url, {"yeu_cau": urlsplit(url).query, "pay": ""}).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_job_posts_the_ipn_over_http(units_reloaded: None, live_server: LiveServer) -> None:
    """The whole round: sandbox page → background job → IPN over real HTTP → paid; then the browser returns."""
    dossier = factories.dossier(fee_vnd=FEE)
    payment = _start(dossier)
    url = fee_payment_redirect_url(
        payment=payment,
        return_url=live_server.url + reverse("payments:return"),
        ipn_url=live_server.url + reverse("payments:ipn"),
    )
    client = Client()
    assert client.get(url).status_code == 200
    response = client.post(url, {"yeu_cau": urlsplit(url).query, "pay": ""})  # no transaction: the job runs now
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.callbacks == 1  # the IPN came through the live server
    back = urlsplit(response["Location"])
    assert client.get(back.path, dict(parse_qsl(back.query))).status_code == 200
    payment.refresh_from_db()
    assert payment.callbacks == 2
    assert AuditEvent.objects.filter(action="fee.paid").count() == 1


# --- Reconciliation ----------------------------------------------------------------------------------------


def _paid(dossier: Dossier, method: str = PaymentMethod.GATEWAY) -> FeePayment:
    payment = _start(dossier, method)
    return fee_payment_confirm(
        reference=payment.reference, transaction="9", amount_vnd=payment.amount_vnd, success=True, source="test"
    )


def test_reconciliation_counts_sums_and_finds_what_disagrees(dossier: Dossier) -> None:
    now = timezone.now()
    _paid(dossier)
    stale = _start(factories.dossier(fee_vnd=20_000))
    FeePayment.objects.filter(pk=stale.pk).update(created_at=now - timedelta(hours=2))
    _start(factories.dossier(fee_vnd=30_000))  # pending, recent
    failed = _start(factories.dossier(fee_vnd=10_000))
    fee_payment_confirm(reference=failed.reference, transaction="0", amount_vnd=0, success=False, source="t")
    unmarked = _paid(factories.dossier(fee_vnd=15_000))
    Dossier.objects.filter(pk=unmarked.dossier_id).update(fee_paid_online=False)
    marked = factories.dossier(fee_vnd=5_000, fee_paid_online=True)
    twice = factories.dossier(fee_vnd=7_000)
    first, second = _start(twice), _start(twice)
    for attempt in (first, second):
        fee_payment_confirm(reference=attempt.reference, transaction="5", amount_vnd=7_000, success=True, source="t")

    report = fee_payment_reconcile(since=now - timedelta(days=1), until=now + timedelta(minutes=1))
    assert report.totals[PaymentStatus.PAID].count == 4
    assert report.totals[PaymentStatus.PAID].amount_vnd == FEE + 15_000 + 7_000 * 2
    assert (report.totals[PaymentStatus.PENDING].count, report.totals[PaymentStatus.PENDING].amount_vnd) == (2, 50_000)
    assert (report.totals[PaymentStatus.FAILED].count, report.totals[PaymentStatus.FAILED].amount_vnd) == (1, 10_000)
    assert report.stale == [stale.reference]
    assert report.paid_not_marked == [unmarked.reference]
    assert report.marked_not_paid == [marked.code]
    assert report.paid_twice == [twice.code]
    assert not report.balanced


def test_the_reconcile_command_prints_vietnamese_or_json(dossier: Dossier, capsys: pytest.CaptureFixture[str]) -> None:
    _paid(dossier)
    call_command("payments", "reconcile")
    text = capsys.readouterr().out
    assert "Đã thanh toán: 1 khoản, 50.000 đồng" in text and "Kết quả: khớp" in text
    call_command("payments", "reconcile", "--json", "--since", timezone.localdate().strftime("%d/%m/%Y"))
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["paid"] == {"count": 1, "amount_vnd": FEE} and data["balanced"] is True


def test_the_reconcile_command_exits_1_on_a_discrepancy(db: None) -> None:
    factories.dossier(fee_vnd=5_000, fee_paid_online=True)
    with pytest.raises(SystemExit) as exit_:
        call_command("payments", "reconcile")
    assert exit_.value.code == 1
