"""Sign PDF bytes (PAdES baseline B-B, pyHanko) with an agency's SANDBOX certificate, in an invisible field.

Invisible on purpose: pyHanko 0.38's visible text stamp embeds a TTF with a broken width table, so letters
come out an em apart (../shared/design/dependencies.md). The "Ký bởi … / Thời gian ký …" block belongs in the
HTML rendered by render_pdf(); the signature itself carries the signing time (/M) and the certificate chain.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Final

from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from dean06.public_services.signing.authority import DEFAULT_AGENCY, Credentials, agency_credentials

DEFAULT_REASON: Final = "Ký số kết quả giải quyết thủ tục hành chính"
DEFAULT_LOCATION: Final = "Vĩnh Long"
_FIELD_PREFIX: Final = "dean06-signature-"


def pdf_sign(
    data: bytes,
    *,
    agency: str = DEFAULT_AGENCY,
    reason: str = DEFAULT_REASON,
    location: str = DEFAULT_LOCATION,
    directory: Path | str | None = None,
) -> bytes:
    """`data` signed by `agency` (its SANDBOX certificate is issued on first use); raises PdfReadError on non-PDF.

    Signing appends an incremental update, so earlier signatures in `data` stay valid. Call it from synchronous
    code: pyHanko runs its own event loop.
    """
    return pdf_sign_with(data, agency_credentials(agency, directory), reason=reason, location=location)


def pdf_sign_with(data: bytes, credentials: Credentials, *, reason: str, location: str) -> bytes:
    """`data` signed with the given key and certificate (the seam where a PKCS#11 or remote signer fits)."""
    # The issuers go into the signature, so a verifier needs only the root.
    chain = SimpleCertificateStore()  # type: ignore[no-untyped-call]  # pyHanko leaves __init__ unannotated
    for issuer in load_certs_from_pemder_data(credentials.chain_pem):
        chain.register(issuer)
    signer = signers.SimpleSigner(
        signing_cert=next(load_certs_from_pemder_data(credentials.certificate_pem)),
        signing_key=load_private_key_from_pemder_data(credentials.private_key_pem, passphrase=None),
        cert_registry=chain,
    )
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    field_name = f"{_FIELD_PREFIX}{len(list(fields.enumerate_sig_fields(writer.prev))) + 1}"
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    pdf_signer = signers.PdfSigner(
        metadata, signer=signer, new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, box=None)
    )
    output = pdf_signer.sign_pdf(writer, output=BytesIO())
    return bytes(output.getbuffer())
