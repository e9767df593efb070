"""`dean06 registry load`: validation with line numbers, upsert, idempotence, old unit codes, the command."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dean06.core.models import AuditEvent
from dean06.registry.imports import HEADER, ImportFileError, persons_import
from dean06.registry.models import Person
from dean06.testing import factories
from dean06.text import fold, name_collation_key

pytestmark = pytest.mark.django_db

PHUONG_4 = "29236"  # pre-2025 Phường 4 (TP Trà Vinh), whole into Phường Long Đức (29263); no 2025 unit has it
CAI_VON = "29770"  # pre-2025 Phường Cái Vồn, split between 29770 and 29771; also a 2025 code
GOOD = [
    "084085000101",
    "331234567",
    "Nguyễn Thị Hoà",
    "1985-05-15",
    "Nữ",
    factories.LONG_DUC,
    "Ấp Phú Hòa",
    "alive",
    "",
]


def _row(**changes: str) -> list[str]:
    row = dict(zip(HEADER, GOOD, strict=True)) | changes
    return [row[name] for name in HEADER]


def _csv(tmp_path: Path, rows: list[list[str]], *, name: str = "persons.csv", bom: bool = False) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8-sig" if bom else "utf-8")
    return path


def _rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as rejects:
        return list(csv.DictReader(rejects))


def test_valid_rows_are_inserted_with_search_keys(tmp_path: Path) -> None:
    dead = _row(personal_id="084085000102", full_name="Lê Văn Tư", status="deceased", death_date="2024-02-29")
    report = persons_import(_csv(tmp_path, [_row(), dead]))
    assert (report.read, report.inserted, report.updated, report.unchanged, report.rejected) == (2, 2, 0, 0, 0)
    person = Person.objects.get(personal_id="084085000101")
    assert (person.full_name, person.old_id, person.date_of_birth, person.gender) == (
        "Nguyễn Thị Hoà",
        "331234567",
        date(1985, 5, 15),
        "Nữ",
    )
    assert person.name_key == fold("Nguyễn Thị Hoà") and person.sort_name == name_collation_key("Nguyễn Thị Hoà")
    assert person.commune == factories.unit(factories.LONG_DUC) and person.legacy_commune is None
    assert Person.objects.get(personal_id="084085000102").death_date == date(2024, 2, 29)
    event = AuditEvent.objects.get(action="person.bulk_import")
    assert event.details == {
        "file": "persons.csv",
        "unit_era": "2025",
        "read": 2,
        "inserted": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }


def test_every_rejected_row_is_reported_with_its_line(tmp_path: Path) -> None:
    rows = [
        _row(),  # line 2
        _row(personal_id="84085000103"),  # 3: a spreadsheet ate the leading zero
        _row(personal_id="08408500010X"),  # 4
        _row(personal_id="084085000105", old_id="3312345"),  # 5
        _row(personal_id="084085000106", full_name=" "),  # 6
        _row(personal_id="084085000107", date_of_birth="1985-02-29"),  # 7
        _row(personal_id="084085000108", date_of_birth="15/05/1985"),  # 8
        _row(personal_id="084085000109", date_of_birth="2999-01-01"),  # 9
        _row(personal_id="084085000110", gender="nữ"),  # 10
        _row(personal_id="084085000111", commune_code="99999"),  # 11
        _row(personal_id="084085000112", status="dead"),  # 12
        _row(personal_id="084085000113", death_date="2020-01-01"),  # 13: alive with a death date
        _row(personal_id="084085000114", status="deceased", death_date="1980-01-01"),  # 14: before birth
        _row(personal_id="084085000115", address="x" * 301),  # 15
        [],  # 16
        ["084085000117", "too", "few"],  # 17
        _row(personal_id="084085000118", old_id=""),  # 18: fine
    ]
    rejects_path = tmp_path / "out" / "bad.csv"
    rejects_path.parent.mkdir()
    report = persons_import(_csv(tmp_path, rows), rejects_path=rejects_path)
    assert (report.read, report.inserted, report.rejected) == (17, 2, 15)
    assert report.read == report.inserted + report.updated + report.unchanged + report.rejected
    rejected = _rejects(rejects_path)
    assert [int(r["line"]) for r in rejected] == list(range(3, 18))
    reasons = {int(r["line"]): r["reason_en"] for r in rejected}
    assert "leading 0" in reasons[3] and "12 digits" in reasons[4] and "9 digits" in reasons[5]
    assert "missing" in reasons[6] and "real YYYY-MM-DD" in reasons[7] and "real YYYY-MM-DD" in reasons[8]
    assert "after today" in reasons[9] and "Nam or Nữ" in reasons[10] and "'99999'" in reasons[11]
    assert "alive or deceased" in reasons[12] and "only when status is deceased" in reasons[13]
    assert "before the date of birth" in reasons[14] and "300 characters" in reasons[15]
    assert reasons[16] == "empty line" and "3 columns" in reasons[17]
    assert all(r["reason_vi"] for r in rejected) and rejected[0]["personal_id"] == "84085000103"
    assert [(r.line, r.personal_id) for r in report.first_rejections[:2]] == [(3, "84085000103"), (4, "08408500010X")]


def test_loading_the_same_file_again_changes_nothing(tmp_path: Path) -> None:
    path = _csv(tmp_path, [_row(), _row(personal_id="084085000102", old_id="")])
    persons_import(path)
    stamps = dict(Person.objects.values_list("personal_id", "updated_at"))
    again = persons_import(path)
    assert (again.read, again.inserted, again.updated, again.unchanged) == (2, 0, 0, 2)
    assert dict(Person.objects.values_list("personal_id", "updated_at")) == stamps
    assert AuditEvent.objects.filter(action="person.bulk_import").count() == 2


def test_changed_rows_are_updated_and_other_columns_kept(tmp_path: Path) -> None:
    household = factories.household()
    existing = factories.person(personal_id=GOOD[0], household=household, is_household_head=True, phone="0901234567")
    report = persons_import(_csv(tmp_path, [_row(address="Số 5, Khóm 2"), _row(personal_id="084085000102")]))
    assert (report.inserted, report.updated, report.unchanged) == (1, 1, 0)
    existing.refresh_from_db()
    assert (existing.address, existing.full_name, existing.name_key) == ("Số 5, Khóm 2", GOOD[2], fold(GOOD[2]))
    assert (existing.household, existing.is_household_head, existing.phone) == (household, True, "0901234567")


def test_pre2025_codes_resolve_to_todays_commune(tmp_path: Path) -> None:
    rows = [
        _row(commune_code=PHUONG_4),
        _row(personal_id="084085000102", commune_code=factories.LONG_DUC),  # pre-2025 Xã Long Đức, same code
        _row(personal_id="084085000103", commune_code=CAI_VON),
    ]
    report = persons_import(_csv(tmp_path, rows), unit_era="pre2025")
    assert (report.inserted, report.rejected) == (2, 1)
    phuong_4, xa_long_duc = Person.objects.order_by("personal_id")
    assert phuong_4.commune == xa_long_duc.commune == factories.unit(factories.LONG_DUC)
    assert phuong_4.legacy_commune == factories.unit(PHUONG_4, era="pre2025")
    assert xa_long_duc.legacy_commune == factories.unit(factories.LONG_DUC, era="pre2025")
    (split,) = _rejects(report.rejects_path)
    assert split["line"] == "4" and "đã chia tách vào 29770, 29771" in split["reason_vi"]
    in_2025 = persons_import(_csv(tmp_path, [_row(personal_id="084085000104", commune_code=PHUONG_4)], name="b.csv"))
    assert in_2025.rejected == 1 and "2025 list" in in_2025.first_rejections[0].reason_en


def test_a_2025_code_keeps_the_old_commune_while_the_commune_stays(tmp_path: Path) -> None:
    persons_import(_csv(tmp_path, [_row(commune_code=PHUONG_4)], name="old.csv"), unit_era="pre2025")
    same = persons_import(_csv(tmp_path, [_row()], name="new.csv"))
    assert (same.updated, same.unchanged) == (0, 1)
    assert Person.objects.get().legacy_commune == factories.unit(PHUONG_4, era="pre2025")
    moved = persons_import(_csv(tmp_path, [_row(commune_code=factories.TRA_VINH)], name="moved.csv"))
    person = Person.objects.get()
    assert moved.updated == 1 and person.commune == factories.unit(factories.TRA_VINH) and person.legacy_commune is None


def test_a_repeated_personal_id_keeps_the_first_row(tmp_path: Path) -> None:
    rows = [_row(), _row(personal_id="084085000102"), _row(full_name="Người Khác"), _row(address="Khác")]
    report = persons_import(_csv(tmp_path, rows), batch_size=2)
    assert (report.read, report.inserted, report.rejected) == (4, 2, 2)
    assert Person.objects.get(personal_id=GOOD[0]).full_name == GOOD[2]
    assert [(r["line"], r["reason_en"]) for r in _rejects(report.rejects_path)] == [
        ("4", "same personal ID as line 2"),
        ("5", "same personal ID as line 2"),
    ]


def test_bom_quoted_line_breaks_and_line_numbers(tmp_path: Path) -> None:
    rows = [_row(address="Khóm 1,\nPhường 4"), _row(personal_id="1")]
    report = persons_import(_csv(tmp_path, rows, bom=True), batch_size=1)
    assert report.inserted == 1 and Person.objects.get().address == "Khóm 1, Phường 4"
    assert report.first_rejections[0].line == 4  # the first row spans lines 2 and 3


def test_a_file_that_cannot_be_read_writes_nothing(tmp_path: Path) -> None:
    wrong_header = tmp_path / "wrong.csv"
    wrong_header.write_text("cccd,ho_ten\n084085000101,An\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="header"):
        persons_import(wrong_header)
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(_csv(tmp_path, [_row()] * 3).read_bytes().replace("Hoà".encode(), "Hoà".encode("cp1258")))
    with pytest.raises(ImportFileError, match="UTF-8"):
        persons_import(latin1)
    assert not Person.objects.exists() and not AuditEvent.objects.exists()


def test_the_command(tmp_path: Path) -> None:
    path = _csv(tmp_path, [_row(commune_code=PHUONG_4), _row(personal_id="12")])
    out = io.StringIO()
    call_command(
        "registry", "load", str(path), "--unit-era", "pre2025", "--rejects", str(tmp_path / "r.csv"), stdout=out
    )
    text = out.getvalue()
    assert "thêm mới / inserted 1" in text and "loại / rejected 1" in text
    assert "dòng / line 3" in text and str(tmp_path / "r.csv") in text
    assert Person.objects.get().legacy_commune is not None
    with pytest.raises(CommandError, match="no such file"):
        call_command("registry", "load", str(tmp_path / "missing.csv"))
