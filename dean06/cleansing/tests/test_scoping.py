"""The cleansing pages that show persons (a run's rows, the review queue, a decision, a row, the cleaned export,
a commune's work list), four scoping tests each.

`url(person)` builds a finished run of the person's commune holding one ambiguous row that names the person
(name and ID as the file gave them, in a stored file), so the in-scope page must show both and the out-of-scope
one neither.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.urls import reverse

from dean06.cleansing.models import CleansingRun, RowVerdict
from dean06.registry.models import Person
from dean06.testing import factories
from dean06.testing.scoping import ScopedEndpoint, scoping_tests


def verdict_for(person: Person, *, row_class: str = "ambiguous", confidence: float = 0.55) -> RowVerdict:
    """A finished run of the person's commune with one row naming the person."""
    run = CleansingRun(
        unit=person.commune,
        sector="welfare",
        original_name="danh-sach.csv",
        status=CleansingRun.Status.DONE,
        rows=1,
        counts={row_class: 1},
        created_by=factories.user_with_role(None),
    )
    line = f"{person.full_name},01/01/1985,{person.personal_id},Nam,Ấp Phú Hòa\n"
    run.file.save("danh-sach.csv", ContentFile(f"Họ và tên,Ngày sinh,Số CCCD,Giới tính,Địa chỉ\n{line}".encode()))
    return RowVerdict.objects.create(
        run=run,
        unit=person.commune,
        commune=person.commune,
        row=1,
        personal_id=person.personal_id,
        row_class=row_class,
        confidence=confidence,
        reasons="Ngày sinh khác",
        raw={"full_name": person.full_name, "personal_id": person.personal_id, "date_of_birth": "01/01/1985"},
    )


def _run_url(name: str, person: Person, *args: str) -> str:
    # The architecture test passes an unsaved sample person: only the URL's name matters there.
    run_id = verdict_for(person).run_id if person.commune_id else 1
    return reverse(name, args=[run_id, *args])


def _verdict_url(name: str, person: Person) -> str:
    verdict_id = verdict_for(person).pk if person.commune_id else 1
    return reverse(name, args=[verdict_id])


def _worklist_url(person: Person) -> str:
    run_id = verdict_for(person).run_id if person.commune_id else 1
    return reverse("cleansing:worklist", args=[run_id, person.commune.code if person.commune_id else "29263"])


ENDPOINTS = [
    ScopedEndpoint("cleansing run results", url=lambda p: _run_url("cleansing:run_detail", p)),
    ScopedEndpoint("cleansing review queue", url=lambda p: _run_url("cleansing:review", p)),
    ScopedEndpoint(
        "cleansing decision",
        url=lambda p: _verdict_url("cleansing:decide", p),
        method="post",
        data={"decision": "not_found"},
    ),
    ScopedEndpoint("cleansing row", url=lambda p: _verdict_url("cleansing:row", p)),
    ScopedEndpoint("cleansing cleaned export", url=lambda p: _run_url("cleansing:export", p, "csv")),
    ScopedEndpoint("cleansing work list", url=_worklist_url),
]
test_scoping = scoping_tests(ENDPOINTS)
