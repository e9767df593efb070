"""Signed results: HTML → PDF (WeasyPrint), a PAdES signature (pyHanko), and verification. Plain functions.

    render.render_pdf(html)                 PDF bytes in the vendored DejaVu Sans; local files and data: URIs only
    sign.pdf_sign(pdf, agency=…)            PAdES B-B signature in an invisible field, with the signing time
    verify.pdf_verify(pdf)                  {"signed", "intact", "valid", "trusted", "signer", "signed_at"}
    verify.pdf_verification(pdf)            the same, whether the file was readable, and a bilingual reason
    authority.agency_credentials(agency)    the agency's key and certificate (issued on first use)

The SANDBOX certificate authority
    dean06 cannot hold a real agency's signing key, so on first use it creates its own CA under
    DEAN06_SIGNING_DIR (default var/signing): a root, "dean06 SANDBOX Root CA", and one document-signing
    certificate per agency ("UBND tỉnh Vĩnh Long (SANDBOX)", …), every subject marked SANDBOX and "no legal
    effect". pdf_verify() trusts that root and nothing else, so a result signed here verifies as trusted on this
    installation only, and a PDF signed by any real CA does not (its root is not the anchor). Keys are RSA-2048,
    PKCS#8 PEM, mode 0600, unencrypted: protect the directory like any secret and back it up with the database,
    or results signed earlier stop verifying as trusted once a new root is made.

In production
    The private key must not be a file. Two ways in, both behind pyHanko's `Signer` interface, so only
    sign.pdf_sign_with() changes and rendering, the invisible field and verification stay as they are:
    - an HSM or the agency's USB token through PKCS#11: `pyhanko[pkcs11]` and
      `pyhanko.sign.pkcs11.PKCS11Signer(session, cert_label=…)`, holding the certificate issued to the agency
      for official use (the Government Cipher Committee's specialised CA) or by a licensed public CA;
    - a remote signing service (the province's or a CA's "ký số từ xa"): a `Signer` subclass whose
      `async_sign_raw()` sends the digest over HTTPS and returns the raw signature.
    Verification then takes those Vietnamese roots as trust anchors (`pdf_verify(data, trust_roots=[…])`), and needs
    revocation data (CRL/OCSP) and a trusted timestamp (TSA, PAdES B-T/LTA), none of which the SANDBOX has:
    `signed_at` is the signer's own claim. See docs/signing.md.
"""
