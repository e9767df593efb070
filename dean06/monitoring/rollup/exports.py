"""The roll-up's download formats, and the audited export shared by the page and the command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from dean06.core.audit import audit_record
from dean06.monitoring.models import Plan
from dean06.monitoring.rollup.data import Rollup
from dean06.monitoring.rollup.docx import rollup_docx
from dean06.monitoring.rollup.pdf import rollup_pdf
from dean06.monitoring.rollup.xlsx import rollup_xlsx

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User

    Actor = User | AnonymousUser


@dataclass(frozen=True)
class Format:
    render: Callable[[Rollup], bytes]
    content_type: str


FORMATS: Final = {
    "docx": Format(rollup_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": Format(rollup_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": Format(rollup_pdf, "application/pdf"),
}


def rollup_filename(rollup: Rollup, extension: str) -> str:
    return f"bao-cao-de-an-06-{rollup.unit_code}-{rollup.period}.{extension}"


def rollup_export(*, actor: Actor | None, plan: Plan, rollup: Rollup, extension: str) -> bytes:
    """The roll-up in one of FORMATS, with a `rollup.export` audit entry (actor None: the command line)."""
    content = FORMATS[extension].render(rollup)
    audit_record(actor=actor, action="rollup.export", obj=plan, details={"format": extension, "period": rollup.period})
    return content
