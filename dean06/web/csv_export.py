"""CSV for Excel: UTF-8 with a byte-order mark (else Excel shows Vietnamese as mojibake), and no cell
that a spreadsheet would run as a formula (CSV injection, OWASP)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dean06.core.exports import BOM, FORMULA_PREFIXES, cell
from dean06.registry.models import Person

__all__ = ["BOM", "FORMULA_PREFIXES", "cell", "csv_lines", "person_csv_response"]


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[list[object]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([cell(h) for h in header])
    for row in rows:
        yield writer.writerow([cell(v) for v in row])


# Headers use the model's verbose names as msgids, so they translate alike.
PERSON_COLUMNS: tuple[tuple[str | Promise, Callable[[Person], object]], ...] = (
    (_("Số định danh cá nhân"), lambda p: p.personal_id),
    (_("Số CMND 9 số"), lambda p: p.old_id),
    (_("Họ và tên"), lambda p: p.full_name),
    (_("Ngày sinh"), lambda p: date_format(p.date_of_birth, "SHORT_DATE_FORMAT")),
    (_("Giới tính"), lambda p: p.get_gender_display()),
    (_("Nơi thường trú (xã, phường)"), lambda p: p.commune.name),
    (_("Địa chỉ thường trú"), lambda p: p.address),
    (_("Tình trạng"), lambda p: p.get_status_display()),
)


def person_csv_response(persons: Iterable[Person]) -> StreamingHttpResponse:
    """Stream `persons` as a CSV attachment, headers in the active language."""
    header = [str(label) for label, _value in PERSON_COLUMNS]
    rows = ([value(p) for _label, value in PERSON_COLUMNS] for p in persons)
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    filename = f"cong-dan-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
