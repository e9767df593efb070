"""The SANDBOX certificate authority: a root CA and one document-signing certificate per agency, made on first use.

Layout under `DEAN06_SIGNING_DIR` (default `var/signing`):

    root-ca/certificate.pem          the trust anchor pdf_verify() checks against
    root-ca/private-key.pem          PKCS#8, mode 0600
    agencies/<slug>/certificate.pem  e.g. agencies/ubnd-tinh-vinh-long-sandbox-1a2b3c4d/
    agencies/<slug>/private-key.pem

Each key/certificate pair is written into a private temporary directory that is then renamed into place. A
directory rename is atomic and fails when the target already holds files, so two processes starting at once
both end up using whichever pair landed first, and a key is never paired with the other process's certificate.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cryptography import exceptions as crypto_exceptions
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID, ObjectIdentifier
from django.conf import settings

from dean06.text import fold

ROOT_CA_NAME: Final = "dean06 SANDBOX Root CA"
DEFAULT_AGENCY: Final = "UBND tỉnh Vĩnh Long (SANDBOX)"
SANDBOX_MARK: Final = "SANDBOX"
CERTIFICATE_FILE: Final = "certificate.pem"
KEY_FILE: Final = "private-key.pem"

_SANDBOX_UNIT: Final = "SANDBOX - không có giá trị pháp lý / no legal effect"
_ROOT_DIR: Final = "root-ca"
_AGENCIES_DIR: Final = "agencies"
_KEY_BITS: Final = 2048
_ROOT_VALIDITY: Final = dt.timedelta(days=20 * 365)
_AGENCY_VALIDITY: Final = dt.timedelta(days=5 * 365)
_CLOCK_SKEW: Final = dt.timedelta(minutes=5)  # a verifier whose clock runs a little behind still accepts it
# id-kp-documentSigning (RFC 9336): says what the certificate is for without granting TLS or e-mail use.
_DOCUMENT_SIGNING: Final = ObjectIdentifier("1.3.6.1.5.5.7.3.36")


class SigningSetupError(RuntimeError):
    """The signing directory holds files that cannot be used (half-written pair, agency from another root)."""


@dataclass(frozen=True)
class Credentials:
    """A private key with its certificate and the issuers above it (root last; empty for the root itself)."""

    private_key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def chain_pem(self) -> bytes:
        return b"".join(issuer.public_bytes(serialization.Encoding.PEM) for issuer in self.chain)

    @property
    def private_key_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )


def signing_dir(directory: Path | str | None = None) -> Path:
    """`directory`, else the DEAN06_SIGNING_DIR setting."""
    return Path(directory if directory is not None else settings.DEAN06_SIGNING_DIR)


def root_ca(directory: Path | str | None = None) -> Credentials:
    """The SANDBOX root CA, created on first use."""
    return _load_or_create(signing_dir(directory) / _ROOT_DIR, _new_root)


def trust_anchor(directory: Path | str | None = None) -> x509.Certificate | None:
    """The root certificate if the CA exists; never creates one (verifying a file must not mint a CA)."""
    try:
        return x509.load_pem_x509_certificate((signing_dir(directory) / _ROOT_DIR / CERTIFICATE_FILE).read_bytes())
    except (OSError, ValueError):
        return None


_NAME_MAX: Final = 64  # ub-common-name / ub-organization-name (RFC 5280), in UTF-8 bytes here


def sandbox_agency_name(agency: str) -> str:
    """The subject name used for `agency`: always marked SANDBOX, so it can never pass for a real agency's."""
    name = " ".join(agency.split())
    if not name:
        raise ValueError("agency name is empty")
    suffix = "" if SANDBOX_MARK in name.upper() else f" ({SANDBOX_MARK})"
    # X.509 caps a common or organisation name at 64 (cryptography counts UTF-8 bytes, and Vietnamese letters take
    # two or three); joint procedures name several agencies, so a long name is shortened with an ellipsis.
    if len((name + suffix).encode()) <= _NAME_MAX:
        return name + suffix
    while len((name + "…" + suffix).encode()) > _NAME_MAX:
        name = name[:-1]
    return name.rstrip() + "…" + suffix


def agency_slug(agency: str) -> str:
    """Directory name of an agency: readable ASCII plus a hash, so names that fold alike stay apart."""
    name = sandbox_agency_name(agency)
    readable = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:60]
    return f"{readable}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def agency_credentials(agency: str = DEFAULT_AGENCY, directory: Path | str | None = None) -> Credentials:
    """The agency's signing key and certificate, issued by the SANDBOX root on first use."""
    name = sandbox_agency_name(agency)
    target = signing_dir(directory) / _AGENCIES_DIR / agency_slug(name)
    # The root's private key is read only to issue a certificate: once issued, its certificate is enough.
    own = _load_or_create(target, lambda: _new_agency(name, root_ca(directory)))
    root = trust_anchor(directory)
    if root is None:
        raise SigningSetupError(f"the root CA of {target} is missing; delete {target.parent} to start again")
    try:
        own.certificate.verify_directly_issued_by(root)
    except (ValueError, TypeError, crypto_exceptions.InvalidSignature) as exc:  # root re-created since
        raise SigningSetupError(f"{target} was issued by another root CA; delete it to issue a new one") from exc
    return Credentials(own.private_key, own.certificate, (root,))


def _load_or_create(target: Path, make: Callable[[], Credentials]) -> Credentials:
    try:
        return _load(target)
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))  # mode 0700
    try:
        made = make()
        _write(staging / KEY_FILE, made.private_key_pem, 0o600)
        _write(staging / CERTIFICATE_FILE, made.certificate_pem, 0o644)
        with contextlib.suppress(OSError):  # another process renamed its pair first (ENOTEMPTY): use that one
            staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already after a successful rename
    try:
        return _load(target)
    except FileNotFoundError as exc:
        raise SigningSetupError(f"{target} is incomplete; delete it to create a new key and certificate") from exc


def _load(target: Path) -> Credentials:
    key = serialization.load_pem_private_key((target / KEY_FILE).read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SigningSetupError(f"{target / KEY_FILE} is not an RSA key")
    return Credentials(key, x509.load_pem_x509_certificate((target / CERTIFICATE_FILE).read_bytes()))


def _write(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as out:
        os.fchmod(out.fileno(), mode)  # the umask may not widen or narrow what we asked for
        out.write(data)


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, _SANDBOX_UNIT),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,  # non-repudiation: what Vietnamese signing certificates assert
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signing,
        crl_sign=not signing,
        encipher_only=False,
        decipher_only=False,
    )


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=_KEY_BITS)


def _new_root() -> Credentials:
    key = _new_key()
    subject = _name(ROOT_CA_NAME, "dean06 SANDBOX")
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _CLOCK_SKEW)
        .not_valid_after(now + _ROOT_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Credentials(key, certificate)


def _new_agency(name: str, root: Credentials) -> Credentials:
    key = _new_key()
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(name, name))
        .issuer_name(root.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _CLOCK_SKEW)
        .not_valid_after(min(now + _AGENCY_VALIDITY, root.certificate.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([_DOCUMENT_SIGNING]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root.private_key.public_key()), critical=False
        )
        .sign(root.private_key, hashes.SHA256())
    )
    return Credentials(key, certificate)
