"""After a run: candidates in the review queue, corrections by hand and from a returned work list, the cleaned
export, a re-run, and the đúng/đủ/sạch/sống dashboard — through the pages, with the job run at once."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter  # type: ignore[import-untyped]
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from dean06.cleansing.corrections import finding_parse
from dean06.cleansing.models import CleansingRun, QualitySnapshot, Resolution, RowVerdict
from dean06.cleansing.quality import row_quality
from dean06.cleansing.tests.conftest import SECTOR_CSV_HEADER, sector_list
from dean06.core.models import AuditEvent, User
from dean06.core.roles import Role
from dean06.registry.models import Person
from dean06.testing import factories
from dean06.testing.auth import login

pytestmark = pytest.mark.django_db
Capture = Callable[..., Any]


@pytest.fixture
def officer() -> User:
    return factories.user_with_role(Role.COMMUNE_POLICE, factories.LONG_DUC)


def _upload(client: Client, body: str, capture: Capture, name: str = "ds.csv") -> CleansingRun:
    unit = factories.unit(factories.LONG_DUC)
    upload = SimpleUploadedFile(name, (SECTOR_CSV_HEADER + body).encode(), content_type="text/csv")
    with capture(execute=True):
        response = client.post(reverse("cleansing:run_list"), {"file": upload, "sector": "welfare", "unit": unit.pk})
    assert response.status_code == 302, response.content.decode()
    return CleansingRun.objects.order_by("-pk").first()  # type: ignore[return-value]


def _verdict(run: CleansingRun, row: int) -> RowVerdict:
    return RowVerdict.objects.get(run=run, row=row)


def test_rows_are_counted_per_commune_and_ambiguous_rows_show_their_candidates(
    officer: User, persons: dict[str, Person], django_capture_on_commit_callbacks: Capture
) -> None:
    client = login(Client(), officer)
    run = _upload(client, sector_list(persons), django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.status == CleansingRun.Status.DONE and run.progress == 100
    assert [v.row_class for v in RowVerdict.objects.filter(run=run).order_by("row")] == [
        "exact",
        "fixable",
        "deceased",
        "ambiguous",
        "not_found",
    ]
    ambiguous = _verdict(run, 4)
    lans = {persons["lan1"].personal_id, persons["lan2"].personal_id}
    assert {c["personal_id"] for c in ambiguous.candidates} == lans
    assert ambiguous.candidates[0]["agreement"]["agree_name"] == "agree"

    page = client.get(reverse("cleansing:run_detail", args=[run.pk])).content.decode()
    assert "Phường Long Đức (29263)" in page
    assert reverse("cleansing:worklist", args=[run.pk, "29263"]) in page

    queue = client.get(reverse("cleansing:review", args=[run.pk])).content.decode()
    assert "Người 1 trong CSDL dân cư" in queue and "Người 2 trong CSDL dân cư" in queue
    for person in (persons["lan1"], persons["lan2"]):
        assert f'value="{person.personal_id}"' in queue
    client.post(reverse("cleansing:decide", args=[ambiguous.pk]), {"decision": persons["lan2"].personal_id})
    ambiguous.refresh_from_db()
    assert ambiguous.decision == persons["lan2"].personal_id and ambiguous.is_clean


def test_an_officer_corrects_a_row_by_hand(
    officer: User, persons: dict[str, Person], django_capture_on_commit_callbacks: Capture
) -> None:
    client = login(Client(), officer)
    run = _upload(client, sector_list(persons), django_capture_on_commit_callbacks)
    missing = _verdict(run, 5)
    url = reverse("cleansing:row", args=[missing.pk])
    assert "Hồ Không Có" in client.get(url).content.decode()

    refused = client.post(url, {"resolution": "corrected", "date_of_birth": "31/02/1960"})
    assert refused.status_code == 400 and "Giá trị không hợp lệ" in refused.content.decode()
    response = client.post(
        url,
        {"resolution": "corrected", "date_of_birth": "1-1-1960", "personal_id": "086 060 000 123", "note": "Đã gặp"},
    )
    assert response.status_code == 302
    missing.refresh_from_db()
    assert missing.resolution == Resolution.CORRECTED and missing.corrected_by == officer
    assert missing.corrected_values == {"date_of_birth": "01/01/1960", "personal_id": "086060000123"}
    assert missing.is_correct and missing.is_complete and missing.field_note == "Đã gặp"
    event = AuditEvent.objects.get(action="cleansing.correct")
    assert event.details["fields"] == ["date_of_birth", "personal_id"] and event.details["source"] == "web"

    # A fixable row the officer corrected keeps the officer's values in the export, not the registry's fixes.
    fixable = _verdict(run, 2)
    client.post(reverse("cleansing:row", args=[fixable.pk]), {"resolution": "corrected", "full_name": "Lê Văn Bính"})
    export = client.get(reverse("cleansing:export", args=[run.pk, "csv"]))
    header, *rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert header[-2:] == ["Xử lý", "Kết quả xác minh thực tế"]
    assert rows[1][1] == "Lê Văn Bính" and rows[1][-2] == "Sửa theo xác minh thực tế"
    assert rows[4][2] == "01/01/1960" and rows[4][3] == "086060000123" and rows[4][-1] == "Đã gặp"


def _returned_worklist(downloaded: bytes, notes: dict[str, str], path: Path) -> Path:
    """The downloaded work list as a field team sends it back: the last column filled in for some rows (by name)."""
    source = CalamineWorkbook.from_filelike(io.BytesIO(downloaded))
    workbook = xlsxwriter.Workbook(str(path))
    for sheet_name in source.sheet_names:
        sheet = workbook.add_worksheet(sheet_name)
        for i, values in enumerate(source.get_sheet_by_name(sheet_name).to_python()):
            cells = list(values)
            if i and cells[1] in notes:
                cells[-1] = notes[str(cells[1])]
            for j, value in enumerate(cells):
                sheet.write(i, j, value)
    workbook.close()
    return path


def test_a_returned_work_list_corrects_the_rows_and_a_rerun_measures_the_progress(
    officer: User, persons: dict[str, Person], django_capture_on_commit_callbacks: Capture, tmp_path: Path
) -> None:
    client = login(Client(), officer)
    run = _upload(client, sector_list(persons), django_capture_on_commit_callbacks)
    before = QualitySnapshot.objects.get(run=run)
    counts = (before.rows_correct, before.rows_complete, before.rows_clean, before.rows_alive)
    assert before.rows == 5 and counts == (1, 3, 3, 4)

    download = client.get(reverse("cleansing:worklist", args=[run.pk, "29263"]))
    assert download.status_code == 200 and download["Content-Disposition"].endswith('.xlsx"')
    assert AuditEvent.objects.filter(action="cleansing.worklist_export").count() == 1
    notes = {
        "Le Van Binh": "Đồng ý",
        "Trần Thị Thủy": "Đã chết năm 2024",
        "Hồ Không Có": "Ngày sinh: 01/01/1961; Số định danh: 086061000321",
        "Trần Thị Lan": "Hỏi lại trưởng ấp",
    }
    returned = _returned_worklist(download.content, notes, tmp_path / "tra-ve.xlsx")
    with returned.open("rb") as handle:
        page = client.post(reverse("cleansing:worklist_return", args=[run.pk]), {"file": handle})
    assert page.status_code == 200, page.content.decode()
    assert [(_verdict(run, r).resolution) for r in (2, 3, 4, 5)] == ["apply", "remove", "", "corrected"]
    assert _verdict(run, 4).field_note == "Hỏi lại trưởng ấp"
    assert _verdict(run, 5).corrected_values == {"date_of_birth": "01/01/1961", "personal_id": "086061000321"}
    event = AuditEvent.objects.get(action="cleansing.worklist_import")
    assert (event.details["applied"], event.details["note_only"], event.details["errors"]) == (3, 1, 0)

    export = client.get(reverse("cleansing:export", args=[run.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(rows) == 6 and rows[2][1] == "Lê Văn Bình" and rows[5][2] == "01/01/1961"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cleansing:rerun", args=[run.pk]))
    rerun = CleansingRun.objects.get(parent=run)
    assert response["Location"] == reverse("cleansing:run_detail", args=[rerun.pk])
    rerun.refresh_from_db()
    assert rerun.status == CleansingRun.Status.DONE and rerun.rows == 4  # the dead person left the list
    assert dict(rerun.counts)["fixable"] == 0 and dict(rerun.counts)["exact"] == 2

    dashboard = client.get(reverse("cleansing:dashboard"), {"sector": "welfare"}).content.decode()
    assert "Phường Long Đức" in dashboard and "<svg" in dashboard and "Hồ Không Có" not in dashboard
    after = QualitySnapshot.objects.get(run=rerun)
    assert after.rows == 4 and after.rows_alive == 4 and after.rows_correct > before.rows_correct


def test_a_work_list_of_another_run_or_with_unknown_rows_changes_nothing(
    officer: User, persons: dict[str, Person], django_capture_on_commit_callbacks: Capture, tmp_path: Path
) -> None:
    client = login(Client(), officer)
    run = _upload(client, sector_list(persons), django_capture_on_commit_callbacks)
    path = tmp_path / "sai.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Ấp Phú Hòa")
    for j, title in enumerate(("Dòng", "Họ và tên", "Kết quả xác minh thực tế")):
        sheet.write(0, j, title)
    sheet.write_row(1, 0, [2, "Người Khác", "Đồng ý"])  # the name does not match row 2
    sheet.write_row(2, 0, [99, "Ai Đó", "Đồng ý"])  # no such row
    workbook.close()
    with path.open("rb") as handle:
        page = client.post(reverse("cleansing:worklist_return", args=[run.pk]), {"file": handle}).content.decode()
    assert "không khớp" in page and "không có trong lượt đối chiếu" in page
    assert not RowVerdict.objects.filter(run=run).exclude(resolution="").exists()

    other = factories.user_with_role(Role.COMMUNE_POLICE, factories.TRA_VINH)
    outsider = login(Client(), other)
    with path.open("rb") as handle:
        assert outsider.post(reverse("cleansing:worklist_return", args=[run.pk]), {"file": handle}).status_code == 404
    assert outsider.post(reverse("cleansing:rerun", args=[run.pk])).status_code == 404
    assert not CleansingRun.objects.filter(parent=run).exists()


@pytest.mark.parametrize(
    ("note", "resolution", "values"),
    [
        ("Đồng ý", "apply", {}),
        ("dong y sua", "apply", {}),
        ("Thông tin đúng", "confirmed", {}),
        ("đúng", "apply", {}),
        ("Ông ấy đã chết", "remove", {}),
        ("ĐÃ CHẾT", "remove", {}),
        ("Chuyển đi nơi khác", "remove", {}),
        ("Giữ nguyên", "confirmed", {}),
        ("NS: 2/3/1980", "corrected", {"date_of_birth": "2/3/1980"}),
        ("Họ tên: Lê Thị Hoà; Giới tính: Nữ", "corrected", {"full_name": "Lê Thị Hoà", "gender": "Nữ"}),
    ],
)
def test_field_team_notes_are_read(note: str, resolution: str, values: dict[str, str]) -> None:
    finding = finding_parse(note)
    assert finding is not None and finding.resolution == resolution and finding.values == values


@pytest.mark.parametrize(
    "note", ["Hỏi lại trưởng ấp", "Không liên lạc được", "dung lai", "Dừng lại", "Đã mất liên lạc"]
)
def test_notes_the_system_cannot_apply_are_left_to_an_officer(note: str) -> None:
    assert finding_parse(note) is None


def test_the_four_criteria_of_a_row() -> None:
    agree = {"agree_name": "agree", "agree_dob": "form", "agree_gender": "agree", "agree_id": "agree"}
    exact = row_quality(row_class="exact", agreement=agree, raw={})
    assert (exact.correct, exact.complete, exact.clean, exact.alive) == (True, True, True, True)
    no_id = row_quality(row_class="fixable", agreement=agree | {"agree_id": "missing"}, raw={})
    assert (no_id.correct, no_id.complete) == (False, False)
    assert row_quality(row_class="fixable", agreement=agree, raw={}, resolution="apply").correct
    dead = row_quality(row_class="deceased", agreement=agree, raw={})
    assert not dead.alive and dead.clean
    unknown = row_quality(row_class="not_found", agreement={}, raw={"full_name": "A", "gender": "Nam"})
    assert not unknown.clean and not unknown.complete
    decided = row_quality(row_class="ambiguous", agreement={}, raw={}, decision="084085000001")
    assert decided.clean and not row_quality(row_class="ambiguous", agreement={}, raw={}, decision="not_found").clean
