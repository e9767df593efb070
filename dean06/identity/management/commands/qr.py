"""`dean06 qr parse PAYLOAD | decode IMAGE`: read the QR code of an ID card.

Prints the card as JSON (messages in Vietnamese), its address resolved to today's commune, and exits 0
whether or not the code is a valid card; 2 for a usage error (such as a missing file). An operator's command:
no officer is acting, so nothing is written to the audit log.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dean06.core.cli import argv_text, write_json
from dean06.identity.cards.qr_image import MAX_BYTES
from dean06.identity.cards.schemas import card_reading_dict
from dean06.identity.cards.selectors import card_read, card_read_image

USAGE_ERROR = 2


class Command(BaseCommand):
    help = 'Mã QR thẻ căn cước. parse "NỘI DUNG": đọc nội dung mã; decode ẢNH: tìm và đọc mã QR trong ảnh (JSON).'

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        parse = actions.add_parser("parse", help="Parse the text of a card QR code.")
        parse.add_argument("payload", help='e.g. "084085000001||Nguyễn Văn An|15051985|Nam|Ấp Phú Hòa, …|20042021"')
        decode = actions.add_parser("decode", help="Find and read the card QR code in an image file.")
        decode.add_argument("image", type=Path, help="JPEG, PNG or WebP file.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "parse":
            reading = card_read(argv_text(str(options["payload"])))
        else:
            reading = card_read_image(_read_image(options["image"]))
        write_json(self.stdout, card_reading_dict(reading))


def _read_image(path: Path) -> bytes:
    try:
        with path.open("rb") as image:
            return image.read(MAX_BYTES + 1)  # enough to tell an oversized file, never the whole of it
    except OSError as exc:
        raise CommandError(f"Không đọc được tệp / cannot read {path}: {exc.strerror}", returncode=USAGE_ERROR) from exc
