"""`dean06 eid sandbox-setup`: register dean06 as a client of the SANDBOX e-ID provider (idempotent)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config import env
from dean06.identity.eid.sandbox_idp.services import sandbox_application_setup


class Command(BaseCommand):
    help = (
        "e-ID tools. sandbox-setup: create or update dean06's client (confidential, authorization code, RS256) at "
        "the SANDBOX provider, with the callback URLs of DEAN06_EID_SANDBOX_REDIRECT_URIS or --redirect-uri; "
        "creates the signing key if missing; prints the client id and secret."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["sandbox-setup"])
        parser.add_argument(
            "--redirect-uri",
            action="append",
            default=[],
            help="callback URL to register (repeatable); replaces DEAN06_EID_SANDBOX_REDIRECT_URIS",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEAN06_SANDBOX:
            raise CommandError(
                "DEAN06_SANDBOX đang tắt: không có nhà cung cấp định danh thử nghiệm / "
                "DEAN06_SANDBOX is off: there is no SANDBOX e-ID provider"
            )
        client = sandbox_application_setup(options["redirect_uri"] or settings.DEAN06_EID_SANDBOX_REDIRECT_URIS)
        key = str(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"])  # reads the key file, creating it if missing
        verb = "đã tạo / created" if client.created else "đã cập nhật / updated"
        self.stdout.write(f"VNeID SANDBOX: ứng dụng dean06 {verb}")
        self.stdout.write(f"  client_id:     {client.client_id}")
        self.stdout.write(f"  client_secret: {client.client_secret}")
        for uri in client.redirect_uris:
            self.stdout.write(f"  redirect_uri:  {uri}")
        state = "OK" if "PRIVATE KEY" in key else "THIẾU / MISSING"
        self.stdout.write(f"  khóa ký / signing key: {env.EID_SANDBOX_KEY_FILE.value} ({state})")
