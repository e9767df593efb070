"""`dean06 id check NUMBER [--dob YYYY-MM-DD] [--gender Nam|Nữ]`: check a personal ID or CMND number.

Prints the verdict as JSON (messages in Vietnamese) and exits 0 whatever it is; 2 for a usage error.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from dean06.core.cli import argv_text, write_json
from dean06.identity.cards.cli import date_argument, gender_argument
from dean06.identity.cards.idnumbers import check_id
from dean06.identity.cards.schemas import id_check_dict


class Command(BaseCommand):
    help = "Số định danh cá nhân / CMND. check SỐ [--dob YYYY-MM-DD] [--gender Nam|Nữ]: kiểm tra số (JSON)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser("check", help="Check a 12-digit personal ID or a 9-digit CMND number.")
        check.add_argument("number", help="As typed: spaces, dots, dashes and full-width digits are accepted.")
        check.add_argument("--dob", type=date_argument, help="Date of birth to cross-check, YYYY-MM-DD.")
        check.add_argument("--gender", type=gender_argument, help="Gender to cross-check: Nam or Nữ.")

    def handle(self, *args: Any, **options: Any) -> None:
        check = check_id(argv_text(str(options["number"])), date_of_birth=options["dob"], gender=options["gender"])
        write_json(self.stdout, id_check_dict(check))
