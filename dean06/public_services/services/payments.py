"""Fees of dossiers: start a payment, confirm it from the gateway or a bank transfer (idempotently), reconcile.

docs/payments.md describes the protocol. Who may pay is settled here only as far as the payment itself goes
(a citizen pays their own dossiers, never "in cash"); the page that calls `fee_payment_start` has already
opened the dossier through the scoped selectors.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, F, Sum
from django.db.transaction import atomic
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dean06.core.audit import audit_record
from dean06.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from dean06.core.models import User
from dean06.public_services.choices import PaymentMethod, PaymentStatus
from dean06.public_services.models import Dossier, FeePayment
from dean06.public_services.payments import vietqr
from dean06.public_services.payments.gateway import (
    GatewayError,
    InvalidSignatureError,
    PaymentOutcome,
    PaymentRequest,
    payment_gateway,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

logger = logging.getLogger(__name__)

# A VietQR purpose/bill-number field holds 25 characters (EMVCo), and the reference must fit in it: a bank
# transfer is matched to its payment by that text alone.
REFERENCE_MAX = 25
ONLINE_METHODS = frozenset({PaymentMethod.GATEWAY, PaymentMethod.VIETQR})
STALE_AFTER = timedelta(minutes=30)  # twice the gateway's 15-minute expiry: a pending payment this old is abandoned

# The account fees are transferred to. SANDBOX values until the province's fee-collection account (at the
# State Treasury's collecting bank) is configured: BIN 970415 is VietinBank's; the account number is made up.
FEE_ACCOUNT_BIN = "970415"
FEE_ACCOUNT_NUMBER = "8600000006"


class PaymentNotFoundError(NotFoundError):
    default_message = gettext_lazy("Không tìm thấy khoản thanh toán.")


def _reference(dossier: Dossier) -> str:
    """PAY-<dossier code>-<n>, the n-th payment of the dossier; PAY-<dossier id>-<n> if that is too long."""
    n = FeePayment.objects.filter(dossier=dossier).count() + 1
    while True:
        reference = f"PAY-{dossier.code}-{n}"
        if len(reference) > REFERENCE_MAX:
            reference = f"PAY-{dossier.pk}-{n}"
        if not FeePayment.objects.filter(reference=reference).exists():
            return reference
        n += 1


def _require_payer(actor: User | AnonymousUser, dossier: Dossier, method: str) -> None:
    if not isinstance(actor, User) or not actor.is_authenticated:
        raise PermissionDeniedError()
    if actor.kind == User.Kind.CITIZEN and (actor.person_id != dossier.applicant_id or method == PaymentMethod.CASH):
        raise PermissionDeniedError()


@atomic
def fee_payment_start(*, actor: User | AnonymousUser, dossier: Dossier, method: str) -> FeePayment:
    """A new pending payment of the dossier's whole fee. Refused when there is nothing (left) to pay."""
    if method not in PaymentMethod.values:
        raise ApplicationError(_("Hình thức thanh toán không hợp lệ."))
    _require_payer(actor, dossier, method)
    # The lock serialises two starts of one dossier, so the counter in the reference cannot repeat.
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.fee_vnd <= 0:
        raise ApplicationError(_("Hồ sơ này không có phí, lệ phí phải nộp."))
    if locked.fee_paid_online or FeePayment.objects.filter(dossier=locked, status=PaymentStatus.PAID).exists():
        raise ApplicationError(_("Phí, lệ phí của hồ sơ này đã được nộp."))
    payment = FeePayment.objects.create(
        dossier=locked, reference=_reference(locked), amount_vnd=locked.fee_vnd, method=method
    )
    audit_record(
        actor=actor,
        action="fee.start",
        obj=payment,
        details={
            "reference": payment.reference,
            "dossier": locked.code,
            "amount_vnd": payment.amount_vnd,
            "method": method,
        },
    )
    return payment


def _settle(payment: FeePayment, *, transaction: str, amount_vnd: int, success: bool, source: str) -> None:
    """First callback of a pending payment: paid, or failed with the reason in the audit entry and the log."""
    details: dict[str, object] = {
        "reference": payment.reference,
        "dossier": payment.dossier.code,
        "amount_vnd": payment.amount_vnd,
        "method": payment.method,
        "transaction": transaction,
        "source": source,
    }
    payment.gateway_transaction = transaction[:64]
    if success and amount_vnd == payment.amount_vnd:
        payment.status, payment.paid_at = PaymentStatus.PAID, timezone.now()
        action = "fee.paid"
    else:
        payment.status = PaymentStatus.FAILED
        action = "fee.failed"
        details["reason"] = "amount_mismatch" if success else "not_paid"
        details["amount_received_vnd"] = amount_vnd
        logger.warning(
            "Payment %s failed (%s): %s đồng reported, %s due, source %s",
            payment.reference,
            details["reason"],
            amount_vnd,
            payment.amount_vnd,
            source,
        )
    payment.save(update_fields=["status", "paid_at", "gateway_transaction", "callbacks", "updated_at"])
    if payment.status == PaymentStatus.PAID and payment.method in ONLINE_METHODS:
        # An update, not a save of a loaded dossier: only this flag changes, and the version moves on so that an
        # officer's form opened before the payment cannot write the old value back (optimistic locking).
        Dossier.objects.filter(pk=payment.dossier_id).update(fee_paid_online=True, version=F("version") + 1)
    audit_record(actor=None, action=action, obj=payment, details=details)


@atomic
def fee_payment_confirm(*, reference: str, transaction: str, amount_vnd: int, success: bool, source: str) -> FeePayment:
    """Record a callback about a payment (gateway return or IPN, bank transfer, counter). Idempotent.

    The first callback settles a pending payment: paid if `success` and the amount is the one due, otherwise
    failed (an amount mismatch is logged and audited with both amounts). Every later callback only adds one to
    `callbacks`: `callbacks > 1` after this call means the payment had been settled before it.
    """
    payment = (
        FeePayment.objects.select_for_update(of=("self",)).select_related("dossier").filter(reference=reference).first()
    )
    if payment is None:
        raise PaymentNotFoundError()
    payment.callbacks += 1
    if payment.status != PaymentStatus.PENDING:
        payment.save(update_fields=["callbacks", "updated_at"])
        if transaction and payment.gateway_transaction and transaction != payment.gateway_transaction:
            logger.warning(
                "Payment %s already %s under transaction %s; callback from %s names %s",
                payment.reference,
                payment.status,
                payment.gateway_transaction,
                source,
                transaction,
            )
        return payment
    if success and FeePayment.objects.filter(dossier_id=payment.dossier_id, status=PaymentStatus.PAID).exists():
        # Two attempts both paid at the gateway: the money came twice; record it, and reconciliation lists it.
        logger.warning("Dossier %s is paid twice (payment %s)", payment.dossier.code, payment.reference)
    _settle(payment, transaction=transaction, amount_vnd=amount_vnd, success=success, source=source)
    return payment


# --- The gateway's callbacks (return URL and IPN) ----------------------------------------------------------

# IPN answers, as VNPay-style gateways expect them (docs/payments.md): the gateway stops retrying on any of them.
RSP_CONFIRMED, RSP_NOT_FOUND, RSP_ALREADY, RSP_AMOUNT, RSP_SIGNATURE, RSP_OTHER = "00", "01", "02", "04", "97", "99"
RSP_MESSAGES = {
    RSP_CONFIRMED: "Confirm Success",
    RSP_NOT_FOUND: "Order not found",
    RSP_ALREADY: "Order already confirmed",
    RSP_AMOUNT: "Invalid amount",
    RSP_SIGNATURE: "Invalid signature",
    RSP_OTHER: "Unknown error",
}


@dataclass(frozen=True)
class CallbackResult:
    code: str
    payment: FeePayment | None = None
    outcome: PaymentOutcome | None = None

    @property
    def message(self) -> str:
        return RSP_MESSAGES[self.code]


def fee_payment_gateway_callback(*, params: Mapping[str, str], source: str) -> CallbackResult:
    """Verify a gateway's signed callback and confirm the payment it names; the IPN answer code."""
    try:
        outcome = payment_gateway().verify(params)
    except InvalidSignatureError:
        logger.warning("Payment callback with an invalid signature (%s): %s", source, params.get("vnp_TxnRef"))
        return CallbackResult(RSP_SIGNATURE)
    except GatewayError as error:
        logger.warning("Unusable payment callback (%s): %s", source, error)
        return CallbackResult(RSP_OTHER)
    try:
        payment = fee_payment_confirm(
            reference=outcome.reference,
            transaction=outcome.transaction,
            amount_vnd=outcome.amount_vnd,
            success=outcome.success,
            source=source,
        )
    except PaymentNotFoundError:
        logger.warning("Payment callback for an unknown reference %s (%s)", outcome.reference, source)
        return CallbackResult(RSP_NOT_FOUND, outcome=outcome)
    if payment.callbacks > 1:
        code = RSP_ALREADY
    elif outcome.success and outcome.amount_vnd != payment.amount_vnd:
        code = RSP_AMOUNT
    else:
        code = RSP_CONFIRMED
    return CallbackResult(code, payment, outcome)


def fee_payment_redirect_url(
    *, payment: FeePayment, return_url: str, ipn_url: str, client_ip: str = "", locale: str = "vi"
) -> str:
    """Where to send the citizen to pay `payment` at the gateway (absolute `return_url` and `ipn_url`)."""
    if payment.method != PaymentMethod.GATEWAY or payment.status != PaymentStatus.PENDING:
        raise ApplicationError(_("Khoản thanh toán này không thanh toán qua cổng thanh toán được."))
    request = PaymentRequest(
        reference=payment.reference,
        amount_vnd=payment.amount_vnd,
        description=_("Thanh toán phí, lệ phí hồ sơ %(code)s") % {"code": payment.dossier.code},
        return_url=return_url,
        ipn_url=ipn_url,
        client_ip=client_ip,
        locale=locale,
    )
    return payment_gateway().start(request)


def fee_payment_vietqr(payment: FeePayment) -> str:
    """The VietQR payload of a bank transfer paying `payment` (amount and reference in the QR)."""
    return vietqr.build(
        vietqr.VietQR(
            bank_bin=FEE_ACCOUNT_BIN,
            account=FEE_ACCOUNT_NUMBER,
            amount_vnd=payment.amount_vnd,
            bill_number=payment.reference,
            purpose=payment.reference,
        )
    )


# --- Reconciliation ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusTotal:
    count: int = 0
    amount_vnd: int = 0


@dataclass(frozen=True)
class ReconcileReport:
    """Payments created in [since, until): totals per status and what does not add up."""

    since: datetime
    until: datetime
    stale_after_minutes: int
    totals: dict[str, StatusTotal]
    stale: list[str] = field(default_factory=list)  # pending references older than stale_after
    paid_not_marked: list[str] = field(default_factory=list)  # paid online, dossier not marked paid online
    marked_not_paid: list[str] = field(default_factory=list)  # dossier codes marked paid online with no payment
    paid_twice: list[str] = field(default_factory=list)  # dossier codes with more than one paid payment

    @property
    def balanced(self) -> bool:
        """Nothing to investigate (stale pending payments are abandoned attempts, not discrepancies)."""
        return not (self.paid_not_marked or self.marked_not_paid or self.paid_twice)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data.update(since=self.since.isoformat(), until=self.until.isoformat(), balanced=self.balanced)
        return data


def fee_payment_reconcile(
    *, since: datetime, until: datetime, stale_after: timedelta = STALE_AFTER, now: datetime | None = None
) -> ReconcileReport:
    """Count and sum the payments created in [since, until) by status, and list the discrepancies."""
    now = now or timezone.now()
    payments = FeePayment.objects.filter(created_at__gte=since, created_at__lt=until)
    rows = payments.values("status").annotate(count=Count("pk"), amount=Sum("amount_vnd"))
    totals = {status: StatusTotal() for status in PaymentStatus.values}
    totals |= {row["status"]: StatusTotal(row["count"], row["amount"] or 0) for row in rows}
    online_paid = FeePayment.objects.filter(status=PaymentStatus.PAID, method__in=ONLINE_METHODS)
    return ReconcileReport(
        since=since,
        until=until,
        stale_after_minutes=int(stale_after.total_seconds() // 60),
        totals=totals,
        stale=list(
            payments.filter(status=PaymentStatus.PENDING, created_at__lt=now - stale_after)
            .order_by("created_at")
            .values_list("reference", flat=True)
        ),
        paid_not_marked=list(
            payments.filter(status=PaymentStatus.PAID, method__in=ONLINE_METHODS, dossier__fee_paid_online=False)
            .order_by("created_at")
            .values_list("reference", flat=True)
        ),
        marked_not_paid=list(
            Dossier.objects.filter(fee_paid_online=True, created_at__gte=since, created_at__lt=until)
            .exclude(pk__in=online_paid.values("dossier_id"))
            .order_by("code")
            .values_list("code", flat=True)
        ),
        paid_twice=list(
            Dossier.objects.filter(payments__in=payments.filter(status=PaymentStatus.PAID))
            .annotate(paid=Count("payments"))
            .filter(paid__gt=1)
            .order_by("code")
            .values_list("code", flat=True)
        ),
    )
