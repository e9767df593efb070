"""`dean06 units load | resolve "TEXT" | show CODE`: the official unit lists and the address resolver."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dean06.core.cli import argv_text, utf8_stdout, write_json
from dean06.registry.models.units import Era
from dean06.registry.units.index import reset_unit_index, unit_index
from dean06.registry.units.loader import units_load
from dean06.registry.units.resolver import EraName, resolve_address

_ERAS: list[EraName] = ["pre2025", "2025"]


class Command(BaseCommand):
    help = (
        "Đơn vị hành chính / administrative units. load: nạp danh mục NSO; "
        'resolve "ĐỊA CHỈ": quy đổi địa chỉ cũ sang xã/phường hiện nay (JSON); show MÃ --era: xem một đơn vị.'
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("load", help="Load/refresh both unit lists and the old→new table from vietnam-provinces.")
        resolve = actions.add_parser("resolve", help="Resolve an address or a unit code; prints JSON.")
        resolve.add_argument("text", help='Address or code, e.g. "Xã Long Đức, TP Trà Vinh" or 29263.')
        resolve.add_argument("--era", choices=_ERAS, help="Only this list (default: both).")
        resolve.add_argument(
            "--home-province",
            default=None,
            help=(
                "2025 code of the province preferred when the text names none "
                f'(default {settings.DEAN06_HOME_PROVINCE}; "" for no preference).'
            ),
        )
        show = actions.add_parser("show", help="Show one unit with its parents and its successors or predecessors.")
        show.add_argument("code")
        show.add_argument("--era", choices=_ERAS, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        utf8_stdout()
        action = str(options["action"])
        if action == "load":
            self._load()
        elif action == "resolve":
            self._resolve(argv_text(str(options["text"])), options["era"], options["home_province"])
        else:
            self._show(str(options["code"]), str(options["era"]))

    def _load(self) -> None:
        report = units_load()
        reset_unit_index()
        self.stdout.write(
            f"Đã nạp / loaded (vietnam-provinces data {report.data_version}): "
            f"2025: {report.units_2025} đơn vị / units; trước 2025 / pre-2025: {report.units_pre2025}; "
            f"chuyển đổi / successions: {report.successions} (bỏ qua / skipped: {report.successions_skipped})"
        )

    def _resolve(self, text: str, era: EraName | None, home_province: str | None) -> None:
        self.stdout.write(resolve_address(text, home_province=home_province, era=era).to_json())

    def _show(self, code: str, era: str) -> None:
        index = unit_index()
        unit = index.by_code.get((era, code))
        if unit is None:
            raise CommandError(f"Không có mã {code} ({era}) / no unit {code} in era {era}")
        parents = [index.units[pk] for pk in (unit.district_id, unit.province_id) if pk is not None and pk != unit.id]
        if era == Era.PRE2025:
            links = [
                {"code": s.unit.code, "name": s.unit.name, "merge": s.merge} for s in index.successors.get(unit.id, ())
            ]
        else:
            links = [
                {"code": old.code, "name": old.name, "merge": s.merge}
                for old_id, found in index.successors.items()
                for s in found
                if s.unit.id == unit.id and (old := index.units[old_id]).code
            ]
        shown = {
            "era": unit.era,
            "code": unit.code,
            "level": unit.level,
            "name": unit.name,
            "kind": unit.kind,
            "parents": [{"code": p.code, "name": p.name, "level": p.level} for p in parents],
            "successors" if era == Era.PRE2025 else "predecessors": links,
        }
        write_json(self.stdout, shown)
