"""`dean06 cleanse`: the CLI contract end to end against the registry in the test database."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from dean06.cleansing.tests.conftest import SECTOR_CSV_HEADER
from dean06.core.models import AuditEvent

pytestmark = pytest.mark.django_db

HEADER = SECTOR_CSV_HEADER


def _run(tmp_path: Path, body: str) -> list[dict[str, str]]:
    source, out = tmp_path / "ds.csv", tmp_path / "ket-qua.csv"
    source.write_text(HEADER + body, encoding="utf-8")
    call_command("cleanse", str(source), "--sector", "welfare", "--out", str(out))
    with out.open(encoding="utf-8") as handle:
        assert handle.readline().strip() == "row,personal_id,class,confidence,reasons,fixes"
    with out.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_row_gets_its_class(tmp_path: Path, registry: dict[str, str]) -> None:
    an, thuy = registry["an"], registry["thuy"]
    rows = _run(
        tmp_path,
        f'1,Nguyễn Văn An,15/05/1985,{an},Nam,"Ấp Phú Hòa, Phường Long Đức, Tỉnh Vĩnh Long"\n'
        f'2,Trần Thị Thuỷ,03/02/1950,{thuy},Nữ,"Ấp 1, Phường Long Đức, Tỉnh Vĩnh Long"\n'
        f'3,Nguyen Van An,15/05/1985,{an},Nam,"Ấp Phú Hòa, Phường Long Đức, Tỉnh Vĩnh Long"\n'
        '4,Lê Không Có,01/01/1970,086070999999,Nam,"Ấp 2, Phường Long Đức, Tỉnh Vĩnh Long"\n',
    )
    assert [(r["row"], r["class"]) for r in rows] == [
        ("1", "exact"),
        ("2", "deceased"),
        ("3", "duplicate"),
        ("4", "not_found"),
    ]
    assert rows[0]["personal_id"] == an and rows[3]["personal_id"] == ""
    event = AuditEvent.objects.get(action="cleansing.run")
    assert event.details["rows"] == 4 and event.purpose == "data_cleansing"


def test_a_name_without_diacritics_is_fixable(tmp_path: Path, registry: dict[str, str]) -> None:
    rows = _run(tmp_path, f'1,Nguyen Van An,15/05/1985,{registry["an"]},Nam,"Phường Long Đức, Vĩnh Long"\n')
    assert rows[0]["class"] == "fixable"
    assert "full_name=Nguyễn Văn An" in rows[0]["fixes"]
    assert "Họ tên" in rows[0]["reasons"]


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02\xff" * 200, b"PK\x03\x04 broken"])
def test_unreadable_files_exit_2_with_a_reason(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / ("bad.xlsx" if content.startswith(b"PK") else "bad.csv")
    source.write_bytes(content)
    with pytest.raises(SystemExit) as exit_info:
        call_command("cleanse", str(source), "--sector", "other", "--out", str(tmp_path / "out.csv"))
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.strip()
    assert not (tmp_path / "out.csv").exists()
