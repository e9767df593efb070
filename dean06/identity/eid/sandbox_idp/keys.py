"""The RSA key that signs the SANDBOX provider's ID tokens: generated on first use, kept in a PEM file.

Imported by the settings module, so only the standard library and `cryptography` here (no Django models).
The key is read lazily: processes that never issue or publish a token never touch the file.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from django.utils.functional import lazy


def generate_private_key_pem(bits: int = 2048) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    ).decode("ascii")


@functools.cache
def load_or_create_private_key(path: str) -> str:
    """The PEM at `path`, created (mode 0600, atomically) if it does not exist yet."""
    file = Path(path)
    try:
        return file.read_text(encoding="ascii")
    except FileNotFoundError:
        pass
    file.parent.mkdir(parents=True, exist_ok=True)
    pem = generate_private_key_pem()
    try:
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use its key
        return file.read_text(encoding="ascii")
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(pem)
    return pem


def lazy_private_key(path: str) -> str:
    """A str-like value for OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"] that reads (or creates) the key when used."""
    return lazy(load_or_create_private_key, str)(path)
