"""The rows behind a figure of the Decision 766 index: the dossiers, procedures or petitions of an indicator's
numerator or denominator, as a table for the page and an XLSX export (audited). No applicant, no petition text.
docs/monitoring.md, "Drill-down"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dean06.core.audit import audit_record
from dean06.core.errors import ApplicationError
from dean06.core.xlsx import Sheet, xlsx_tables
from dean06.monitoring.index766 import Index766, Indicator
from dean06.public_services.selectors import index_dossier_rows, index_petition_rows, index_procedure_rows

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User

type Table = tuple[list[str], list[tuple[int, list[str]]]]  # the header, then each row's id and cells

ON_TIME: Final = "DOSSIER_ON_TIME"  # whose numerator says which dossiers are on time, by the index's own rule


class Part(StrEnum):
    NUMERATOR = "numerator"
    DENOMINATOR = "denominator"


class UnknownIndicatorError(ApplicationError):
    default_message = gettext_lazy("Không có chỉ tiêu này, hoặc chỉ tiêu chưa có số liệu để xem chi tiết.")


@dataclass(frozen=True)
class DrillDown:
    """A table: `header`, then one row per item (its id, for a link, and its cells as text)."""

    index: Index766
    indicator: Indicator
    part: Part
    header: list[str]
    rows: list[tuple[int, list[str]]]

    @property
    def source(self) -> str:
        return self.indicator.source

    @property
    def labelled_rows(self) -> list[tuple[int, list[tuple[str, str]]]]:
        """Each row's cells with their column title (the narrow screen's `data-label`)."""
        return [(row_id, list(zip(self.header, cells, strict=True))) for row_id, cells in self.rows]


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _yes(value: bool) -> str:
    return _("Có") if value else _("Không")


def _dossiers(index: Index766, ids: tuple[int, ...]) -> Table:
    on_time = {i for g in index.groups for item in g.indicators if item.code == ON_TIME for i in item.numerator_ids}
    header = [_("Mã hồ sơ"), _("Thủ tục"), _("Kênh nộp"), _("Ngày tiếp nhận"), _("Hạn trả kết quả")]
    header += [_("Ngày giải quyết xong"), _("Đúng hạn"), _("Kết quả điện tử")]
    rows = [
        (
            d.id,
            [
                d.code,
                d.procedure,
                d.channel,
                _day(d.received_on),
                _day(d.due_on),
                _day(d.finished_on),
                _yes(d.id in on_time),
                _yes(d.electronic_result),
            ],
        )
        for d in index_dossier_rows(ids)
    ]
    return header, rows


def _procedures(_index: Index766, ids: tuple[int, ...]) -> Table:
    return [_("Mã thủ tục"), _("Tên thủ tục")], [(p.id, [p.code, p.name]) for p in index_procedure_rows(ids)]


def _petitions(_index: Index766, ids: tuple[int, ...]) -> Table:
    header = [_("Mã phản ánh"), _("Loại"), _("Ngày tiếp nhận"), _("Hạn trả lời"), _("Ngày trả lời")]
    rows = [
        (p.id, [p.code, p.kind, _day(p.received_on), _day(p.due_on), _day(p.answered_on)])
        for p in index_petition_rows(ids)
    ]
    return header, rows


TABLES: Final[dict[str, Callable[[Index766, tuple[int, ...]], Table]]] = {
    "dossier": _dossiers,
    "procedure": _procedures,
    "petition": _petitions,
}


def index766_drilldown(index: Index766, code: str, part: Part) -> DrillDown:
    """The items behind `part` of the indicator `code`; UnknownIndicatorError for a code the index does not have
    or an indicator whose data are not captured."""
    indicator = next((i for g in index.groups for i in g.indicators if i.code == code), None)
    if indicator is None or indicator.source not in TABLES:
        raise UnknownIndicatorError()
    ids = indicator.numerator_ids if part == Part.NUMERATOR else indicator.denominator_ids
    header, rows = TABLES[indicator.source](index, ids)
    return DrillDown(index=index, indicator=indicator, part=part, header=header, rows=rows)


def index766_export(*, actor: User | AnonymousUser, drill: DrillDown) -> bytes:
    """The drill-down as an XLSX workbook (every cell text, through the formula escape); audited."""
    titles = [
        f"{drill.index.unit_name} — {drill.index.period.label}",
        f"{drill.indicator.name} ({drill.indicator.code})",
    ]
    widths = [40 if j == 1 else 18 for j in range(len(drill.header))]
    rows = [values for _id, values in drill.rows]
    content = xlsx_tables([Sheet(drill.indicator.code, drill.header, rows, widths, titles)])
    with transaction.atomic():
        details = {
            "unit": drill.index.unit_code,
            "period": drill.index.period.label,
            "indicator": drill.indicator.code,
            "part": str(drill.part),
            "rows": len(drill.rows),
        }
        audit_record(actor=actor, action="index766.export", object_type="monitoring.index766", details=details)
    return content
