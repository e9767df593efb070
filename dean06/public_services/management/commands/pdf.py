"""`dean06 pdf verify FILE` and `dean06 pdf sign IN OUT [--agency NAME]`: signed results on the command line.

verify prints one JSON object, {"signed", "intact", "valid", "trusted", "signer", "signed_at"}, judged against the
SANDBOX root in DEAN06_SIGNING_DIR (docs/signing.md), and exits
    0  signed, intact, valid and trusted;
    1  a readable file that is not all of those (unsigned, changed after signing, untrusted signer);
    2  a missing or unreadable file (the JSON still printed, every value false).
When it is not 0, the reason goes to stderr in Vietnamese and English. Never a traceback.

sign (for operators) signs IN with the agency's SANDBOX certificate (issued on first use), writes OUT and prints
the verification of OUT. An operator's command: nothing is written to the audit log.
"""

from __future__ import annotations

import io
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, Final

from django.core.management.base import BaseCommand, CommandError
from pyhanko.pdf_utils.misc import PdfReadError

from dean06.core.cli import argv_text, write_json
from dean06.public_services.signing.authority import DEFAULT_AGENCY, SigningSetupError
from dean06.public_services.signing.sign import pdf_sign
from dean06.public_services.signing.verify import pdf_verification, unverified_result

NOT_VERIFIED: Final = 1
UNREADABLE: Final = 2
MAX_BYTES: Final = 64 * 1024 * 1024  # far above any result; keeps a wrong argument from filling memory


class Command(BaseCommand):
    help = (
        "Tệp PDF có chữ ký số. verify TỆP: kiểm tra chữ ký (JSON; mã thoát 0 hợp lệ, 1 không hợp lệ, 2 không đọc "
        "được); sign VÀO RA [--agency TÊN]: ký bằng chứng thư SANDBOX của cơ quan."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="Check a signed PDF; JSON on stdout, exit 0/1/2.")
        verify.add_argument("file", type=Path)
        sign = actions.add_parser("sign", help="Sign a PDF with an agency's SANDBOX certificate.")
        sign.add_argument("input", type=Path)
        sign.add_argument("output", type=Path)
        sign.add_argument("--agency", default=DEFAULT_AGENCY, help=f'Agency name (default "{DEFAULT_AGENCY}").')

    def handle(self, *args: Any, **options: Any) -> None:
        _utf8_stderr()
        if options["action"] == "verify":
            self._verify(options["file"])
        else:
            self._sign(options["input"], options["output"], argv_text(str(options["agency"])))

    def _verify(self, path: Path) -> None:
        try:
            data = _read(path)
        except OSError as exc:
            write_json(self.stdout, unverified_result())
            self.stderr.write(f"Không đọc được tệp {_shown(path)} / cannot read {_shown(path)}: {exc.strerror or exc}")
            sys.exit(UNREADABLE)
        verification = pdf_verification(data)
        write_json(self.stdout, verification.result)
        if not verification.ok:
            self.stderr.write(f"{_shown(path)}: {verification.reason}")
            sys.exit(NOT_VERIFIED if verification.readable else UNREADABLE)

    def _sign(self, source: Path, target: Path, agency: str) -> None:
        try:
            data = _read(source)
        except OSError as exc:
            raise CommandError(
                f"Không đọc được tệp {_shown(source)} / cannot read {_shown(source)}: {exc.strerror or exc}",
                returncode=UNREADABLE,
            ) from exc
        try:
            signed = pdf_sign(data, agency=agency)
        except PdfReadError as exc:
            raise CommandError(
                f"{_shown(source)} không phải tệp PDF đọc được / is not a readable PDF: {exc}", returncode=UNREADABLE
            ) from exc
        except SigningSetupError as exc:
            raise CommandError(f"Thư mục chứng thư / signing directory: {exc}") from exc
        try:
            target.write_bytes(signed)
        except OSError as exc:
            raise CommandError(f"Không ghi được / cannot write {_shown(target)}: {exc.strerror or exc}") from exc
        write_json(self.stdout, pdf_verification(signed).result)


def _read(path: Path) -> bytes:
    with path.open("rb") as file:
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise OSError(0, f"lớn hơn / larger than {MAX_BYTES // (1024 * 1024)} MiB")
    return data


def _shown(path: Path) -> str:
    return argv_text(str(path))


def _utf8_stderr() -> None:
    """The reason is Vietnamese: it must print under a C locale too (write_json does the same for stdout)."""
    if isinstance(sys.stderr, io.TextIOWrapper) and sys.stderr.encoding.lower().replace("-", "") != "utf8":
        sys.stderr.reconfigure(encoding="utf-8")
