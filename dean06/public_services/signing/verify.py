"""Is this PDF a signed dean06 result, unchanged since signing, from a certificate we trust? Never raises.

    pdf_verify(data)        -> {"signed", "intact", "valid", "trusted", "signer", "signed_at"}  (exactly these)
    pdf_verification(data)  -> Verification: the same dict, whether the bytes were a readable PDF, and a Reason
                               (code + Vietnamese + English sentence) for people and for the CLI's exit code.

What the keys mean (every signature in the file must pass; signer and signed_at describe the last one):
- signed:    the file holds at least one signature.
- intact:    the bytes the signature covers hash to what was signed (pyHanko `intact`).
- valid:     intact, the signature value checks out with the certificate's key, and nothing the signature does
             not cover changes the document (pyHanko's modification analysis). pyHanko's own `valid` stays True
             on a tampered file, so it is never reported alone.
- trusted:   pyHanko's overall verdict (`bottom_line`): all of the above, and the certificate chains to the
             trust anchor (the SANDBOX root in DEAN06_SIGNING_DIR, or the roots given) with a signing key usage.
- signer:    the signing certificate's common name.
- signed_at: the signer's own claimed time (ISO 8601); not a trusted timestamp (no TSA in the SANDBOX).

Revocation is not checked (no CRL/OCSP fetching: dean06 never goes to the network to verify).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO
from pathlib import Path
from typing import Any, Final, TypedDict

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from dean06.public_services.signing.authority import trust_anchor

logger = logging.getLogger(__name__)


class VerifyResult(TypedDict):
    signed: bool
    intact: bool
    valid: bool
    trusted: bool
    signer: str | None
    signed_at: str | None


class ReasonCode(StrEnum):
    OK = "ok"
    UNREADABLE = "unreadable"
    UNSIGNED = "unsigned"
    TAMPERED = "tampered"
    INVALID = "invalid"
    UNTRUSTED = "untrusted"


@dataclass(frozen=True)
class Reason:
    code: ReasonCode
    vi: str
    en: str

    def __str__(self) -> str:
        return f"{self.vi} / {self.en}"


_REASONS: Final = {
    ReasonCode.OK: Reason(
        ReasonCode.OK,
        "Chữ ký số hợp lệ, tài liệu toàn vẹn, chứng thư được tin cậy.",
        "The signature is valid, the document intact and the certificate trusted.",
    ),
    ReasonCode.UNREADABLE: Reason(ReasonCode.UNREADABLE, "Không đọc được tệp PDF.", "The file is not a readable PDF."),
    ReasonCode.UNSIGNED: Reason(ReasonCode.UNSIGNED, "Tệp PDF không có chữ ký số.", "The PDF is not signed."),
    ReasonCode.TAMPERED: Reason(
        ReasonCode.TAMPERED,
        "Tài liệu đã bị thay đổi sau khi ký.",
        "The document was changed after it was signed.",
    ),
    ReasonCode.INVALID: Reason(
        ReasonCode.INVALID,
        "Chữ ký số không hợp lệ hoặc tài liệu bị sửa đổi ngoài phạm vi được phép.",
        "The signature does not check out, or the document was modified in a way the signature does not allow.",
    ),
    ReasonCode.UNTRUSTED: Reason(
        ReasonCode.UNTRUSTED,
        "Chứng thư ký không do tổ chức được tin cậy cấp, đã hết hạn hoặc không dùng để ký.",
        "The signing certificate is not from a trusted authority, has expired, or is not for signing.",
    ),
}


@dataclass(frozen=True)
class Verification:
    result: VerifyResult
    readable: bool
    reason: Reason

    @property
    def ok(self) -> bool:
        return self.reason.code is ReasonCode.OK


def pdf_verify(
    data: bytes, *, trust_roots: Sequence[x509.Certificate] | None = None, directory: Path | str | None = None
) -> VerifyResult:
    """The six-key verdict on `data` (see the module docstring); unsigned or unreadable bytes give all False."""
    return pdf_verification(data, trust_roots=trust_roots, directory=directory).result


def pdf_verification(
    data: bytes,
    *,
    trust_roots: Sequence[x509.Certificate] | None = None,
    directory: Path | str | None = None,
) -> Verification:
    """The verdict with its reason. Trust anchors: `trust_roots`, else the SANDBOX root in `directory`/settings."""
    if _event_loop_running():
        # pyHanko runs its own event loop, which cannot start inside a running one (an async view, a caller driving
        # asyncio): verify on a worker thread instead of failing every signature.
        with ThreadPoolExecutor(max_workers=1) as worker:
            return worker.submit(pdf_verification, data, trust_roots=trust_roots, directory=directory).result()
    if trust_roots is None:
        anchor = trust_anchor(directory)
        trust_roots = [anchor] if anchor is not None else []
    try:
        with _pyhanko_logs_at_debug():  # a damaged file makes the lenient reader warn as well
            reader = PdfFileReader(BytesIO(data), strict=False)
    except Exception:  # any parse failure of untrusted bytes is the same clear "no"
        logger.debug("unreadable PDF", exc_info=True)
        return Verification(unverified_result(), readable=False, reason=_REASONS[ReasonCode.UNREADABLE])
    try:
        with _pyhanko_logs_at_debug():
            signatures = reader.embedded_signatures
    except Exception:  # a readable PDF whose signature blob does not parse: signed, and nothing more
        logger.debug("unparsable signature", exc_info=True)
        broken = unverified_result()
        broken["signed"] = True
        return Verification(broken, readable=True, reason=_REASONS[ReasonCode.INVALID])
    if not signatures:
        return Verification(unverified_result(), readable=True, reason=_REASONS[ReasonCode.UNSIGNED])
    roots = [next(load_certs_from_pemder_data(root.public_bytes(serialization.Encoding.DER))) for root in trust_roots]
    statuses = [_validate(signature, roots) for signature in signatures]
    last = signatures[-1]
    result = VerifyResult(
        signed=True,
        intact=all(status is not None and status.intact for status in statuses),
        valid=all(status is not None and _valid(status) for status in statuses),
        trusted=all(status is not None and status.bottom_line for status in statuses),
        signer=_signer(last),
        signed_at=_signed_at(last, statuses[-1]),
    )
    # A signature pyHanko could not even evaluate says nothing about tampering: call it invalid.
    code = ReasonCode.INVALID if None in statuses else _reason_code(result)
    return Verification(result, readable=True, reason=_REASONS[code])


def _event_loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def unverified_result() -> VerifyResult:
    """The verdict on something that is not a signed PDF: all False, no signer, no time."""
    return VerifyResult(signed=False, intact=False, valid=False, trusted=False, signer=None, signed_at=None)


def _valid(status: PdfSignatureStatus) -> bool:
    unchanged = status.docmdp_ok or status.modification_level is None
    return bool(status.intact and status.valid and unchanged and status.seed_value_ok)


def _reason_code(result: VerifyResult) -> ReasonCode:
    if not result["intact"]:
        return ReasonCode.TAMPERED
    if not result["valid"]:
        return ReasonCode.INVALID
    if not result["trusted"]:
        return ReasonCode.UNTRUSTED
    return ReasonCode.OK


def _validate(signature: EmbeddedPdfSignature, roots: list[Any]) -> PdfSignatureStatus | None:
    # A fresh context per signature: never fetches CRLs/OCSP (allow_fetching=False), keeps nothing between files.
    try:
        with _pyhanko_logs_at_debug():
            return validate_pdf_signature(signature, ValidationContext(trust_roots=roots, allow_fetching=False))
    except Exception:  # a malformed signature dictionary or CMS blob is a failed signature, not a crash
        logger.debug("signature could not be validated", exc_info=True)
        return None


def _signer(signature: EmbeddedPdfSignature) -> str | None:
    try:
        subject = signature.signer_cert.subject.native
    except Exception:  # no or unparsable certificate in the CMS blob
        return None
    name = subject.get("common_name") or subject.get("organization_name")
    return str(name) if name else None


def _signed_at(signature: EmbeddedPdfSignature, status: PdfSignatureStatus | None) -> str | None:
    try:
        moment = status.signer_reported_dt if status is not None else signature.self_reported_timestamp
    except Exception:  # an unparsable /M date
        return None
    return moment.isoformat() if moment is not None else None


# pyHanko logs a failed path building (an untrusted or foreign certificate: an expected answer here) with a full
# traceback at WARNING/ERROR. While pdf_verification() runs, its records go to this module's logger at DEBUG.
_QUIET: ContextVar[bool] = ContextVar("dean06_pyhanko_quiet", default=False)


class _DemoteToDebug(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not _QUIET.get() or record.levelno < logging.WARNING:
            return True
        logger.debug("%s: %s", record.name, record.getMessage(), exc_info=record.exc_info)
        return False


_DEMOTE: Final = _DemoteToDebug()


@contextmanager
def _pyhanko_logs_at_debug() -> Iterator[None]:
    # A logger's filters see only its own records, so the filter goes on every pyHanko logger that exists by now
    # (validation imports them all); the context variable limits it to this verification, in this thread or task.
    for name, candidate in list(logging.root.manager.loggerDict.items()):
        if name.startswith("pyhanko") and isinstance(candidate, logging.Logger) and _DEMOTE not in candidate.filters:
            candidate.addFilter(_DEMOTE)
    token = _QUIET.set(True)
    try:
        yield
    finally:
        _QUIET.reset(token)
