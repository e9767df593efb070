"""Field work lists (`dean06 cleanse … --worklists DIR`) and the cleaned-dataset export (XLSX/CSV)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command
from python_calamine import CalamineWorkbook

from dean06.cleansing.exports import cleaned_export
from dean06.cleansing.tests.conftest import SECTOR_CSV_HEADER
from dean06.cleansing.worklists import HEADER, hamlet_of, sheet_names, slug, worklists_write
from dean06.core.exports import cell

HEADER_CSV = SECTOR_CSV_HEADER


def _body(an: str, thuy: str) -> str:
    return (
        f'1,Nguyễn Văn An,15/05/1985,{an},Nam,"Ấp Phú Hòa, Phường Long Đức, Tỉnh Vĩnh Long"\n'
        f'2,Trần Thị Thuỷ,03/02/1950,{thuy},Nữ,"Ấp 1, Phường Long Đức, Tỉnh Vĩnh Long"\n'
        f'3,Nguyen Van An,15/05/1985,{an},Nam,"Ấp Phú Hòa, Phường Long Đức, Tỉnh Vĩnh Long"\n'
        '4,"=HYPERLINK(""http://x.example"";""bam"")",01/01/1970,086070999999,Nam,'
        '"Ấp 2, Phường Long Đức, Tỉnh Vĩnh Long"\n'
        "5,Lê Văn Bốn,02/02/1972,086072888888,Nam,Nơi nào đó\n"
    )


def _sheets(path: Path) -> dict[str, Sequence[Sequence[object]]]:
    workbook = CalamineWorkbook.from_path(str(path))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


@pytest.mark.django_db
def test_the_command_writes_one_work_list_per_commune(
    tmp_path: Path, registry: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    source, out, lists = tmp_path / "ds.csv", tmp_path / "ket-qua.csv", tmp_path / "ds-xac-minh"
    source.write_text(HEADER_CSV + _body(registry["an"], registry["thuy"]), encoding="utf-8")
    call_command("cleanse", str(source), "--sector", "welfare", "--out", str(out), "--worklists", str(lists))

    files = sorted(p.name for p in lists.iterdir())
    assert files == ["29263-phuong-long-duc.xlsx", "chua-xac-dinh-xa.xlsx"]
    assert "2 tệp / files, 4 dòng / rows" in capsys.readouterr().out

    long_duc = _sheets(lists / "29263-phuong-long-duc.xlsx")
    assert set(long_duc) == {"Ấp 1", "Ấp 2", "Ấp Phú Hòa"}
    for rows in long_duc.values():
        assert tuple(rows[0]) == HEADER
    # Ấp Phú Hòa: row 1 is exact (no field work), row 3 a duplicate of row 1.
    assert [(r[0], r[5]) for r in long_duc["Ấp Phú Hòa"][1:]] == [(3.0, "Trùng lặp")]
    (thuy,) = long_duc["Ấp 1"][1:]
    assert thuy[1] == "Trần Thị Thuỷ" and thuy[5] == "Đã chết" and "Đã mất" in str(thuy[6])
    assert thuy[3] == registry["thuy"] and str(thuy[3]).startswith("0")
    assert thuy[8] == ""
    (injected,) = long_duc["Ấp 2"][1:]
    assert injected[1] == '\'=HYPERLINK("http://x.example";"bam")'
    assert injected[3] == "086070999999" and injected[5] == "Không tìm thấy trong CSDL dân cư"

    unknown = _sheets(lists / "chua-xac-dinh-xa.xlsx")
    assert list(unknown) == ["Chưa rõ ấp"]
    assert unknown["Chưa rõ ấp"][1][:2] == [5.0, "Lê Văn Bốn"]


def _frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    original = pl.DataFrame(
        {
            "row": [1, 2, 3],
            "full_name": ["Nguyen Van An", "@SUM(A1)", "Trần Thị B"],
            "date_of_birth": ["1985", "01/01/1990", "02/02/1991"],
            "personal_id": ["084085000001", "012345678901", "-1"],
            "hamlet": ["Khóm 3", None, None],
            "address": ["Phường Long Đức", "Tổ 5, Phường Trà Vinh", None],
            "extra_7": ["+84 90", "x", None],
        },
        schema_overrides={"row": pl.Int64},
    )
    verdicts = pl.DataFrame(
        {
            "row": [1, 2, 3],
            "personal_id": ["084085000001", None, None],
            "class": ["fixable", "not_found", "exact"],
            "confidence": [0.9, 1.0, 1.0],
            "reasons": ["Họ tên khác; Ngày sinh chỉ có năm", "Không tìm thấy trong CSDL dân cư", ""],
            "fixes": ["full_name=Nguyễn Văn An;date_of_birth=1985-05-15", "", ""],
        }
    )
    return original, verdicts


def test_worklists_without_communes_and_readable_fixes(tmp_path: Path) -> None:
    original, verdicts = _frames()
    communes = pl.DataFrame({"row": [1, 2, 3], "commune_code": ["29263", None, "29263"]}).with_columns(
        commune_name=pl.lit("Phường Long Đức")
    )
    paths = worklists_write(original, verdicts, tmp_path / "a" / "b", communes)
    assert [p.name for p in paths] == ["29263-phuong-long-duc.xlsx", "chua-xac-dinh-xa.xlsx"]
    long_duc = _sheets(paths[0])
    assert list(long_duc) == ["Khóm 3"]
    assert long_duc["Khóm 3"][1][7] == "Họ tên: Nguyễn Văn An; Ngày sinh: 15/05/1985"
    assert long_duc["Khóm 3"][1][3] == "084085000001"
    unknown = _sheets(paths[1])
    assert list(unknown) == ["Tổ 5"]
    assert unknown["Tổ 5"][1][1] == "'@SUM(A1)" and unknown["Tổ 5"][1][3] == "012345678901"


def test_helpers() -> None:
    assert slug("Phường Long Đức") == "phuong-long-duc"
    assert hamlet_of(None, "Ấp Phú Hòa, Phường Long Đức") == "Ấp Phú Hòa"
    assert hamlet_of(None, "số 12, thôn Đông, xã X") == "Thôn Đông"
    assert hamlet_of(None, None) == "Chưa rõ ấp"
    names = sheet_names(["Ấp [1]: a/b?", "Ấp  1  a b", "A" * 40, "A" * 35])
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names.values())
    assert len({n.casefold() for n in names.values()}) == 4
    assert cell("=1+1") == "'=1+1" and cell("+84") == "'+84" and cell("-1") == "'-1" and cell("@x") == "'@x"
    assert cell(None) == "" and cell("Ấp 1") == "Ấp 1"


def test_cleaned_export_csv(tmp_path: Path) -> None:
    original, verdicts = _frames()
    path = tmp_path / "sach.csv"
    assert cleaned_export(original, verdicts, path, {"full_name": "Họ và tên"}) == 3
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    assert header[:3] == ["Dòng", "Họ và tên", "date_of_birth"] and "Kết quả đối chiếu" in header
    first = dict(zip(header, rows[1], strict=True))
    assert first["Họ và tên"] == "Nguyễn Văn An" and first["date_of_birth"] == "15/05/1985"
    assert first["personal_id"] == "084085000001" and first["extra_7"] == "'+84 90"
    assert first["Kết quả đối chiếu"] == "Sai/thiếu thông tin — cần sửa"
    second = dict(zip(header, rows[2], strict=True))
    assert second["Họ và tên"] == "'@SUM(A1)" and second["date_of_birth"] == "01/01/1990"
    third = dict(zip(header, rows[3], strict=True))
    assert third["personal_id"] == "'-1" and third["Mã kết quả"] == "exact"


def test_cleaned_export_xlsx(tmp_path: Path) -> None:
    original, verdicts = _frames()
    path = tmp_path / "sach.xlsx"
    cleaned_export(original, verdicts, path)
    (sheet,) = _sheets(path).values()
    header = sheet[0]
    first = dict(zip(header, sheet[1], strict=True))
    assert first["full_name"] == "Nguyễn Văn An" and first["personal_id"] == "084085000001"
    assert first["Số định danh (CSDL dân cư)"] == "084085000001"
    second = dict(zip(header, sheet[2], strict=True))
    assert second["full_name"] == "'@SUM(A1)" and second["personal_id"] == "012345678901"
