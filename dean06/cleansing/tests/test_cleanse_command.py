"""`dean06 cleanse`: the CLI contract end to end against the registry in the test database."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from python_calamine import CalamineWorkbook

from dean06.cleansing.pipeline.legacy_encodings import to_tcvn3, to_vni
from dean06.cleansing.tests.conftest import SECTOR_CSV_HEADER
from dean06.cleansing.tests.pipeline.test_reading import write_xlsx
from dean06.core.models import AuditEvent

pytestmark = pytest.mark.django_db

HEADER = SECTOR_CSV_HEADER
RESULT_HEADER = "row,personal_id,class,confidence,reasons,fixes"
ADDRESS = "Ấp Phú Hòa, Phường Long Đức, Tỉnh Vĩnh Long"


def _cleanse(source: Path, out: Path, *options: str) -> None:
    call_command("cleanse", str(source), "--sector", "welfare", "--out", str(out), *options)


def _result(out: Path) -> list[dict[str, str]]:
    """RESULT.csv's rows, after checking its exact header."""
    with out.open(encoding="utf-8") as handle:
        assert handle.readline().rstrip("\r\n") == RESULT_HEADER
    with out.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _run(tmp_path: Path, body: str) -> list[dict[str, str]]:
    source, out = tmp_path / "ds.csv", tmp_path / "ket-qua.csv"
    source.write_text(HEADER + body, encoding="utf-8")
    _cleanse(source, out)
    return _result(out)


def _people(registry: dict[str, str]) -> list[list[str]]:
    """An alive person, a deceased one and one absent from the registry, as a list office would type them."""
    return [
        ["1", "Nguyễn Văn An", "15/05/1985", registry["an"], "Nam", ADDRESS],
        ["2", "Trần Thị Thủy", "03/02/1950", registry["thuy"], "Nữ", "Ấp 1, Phường Long Đức, Tỉnh Vĩnh Long"],
        ["3", "Lê Không Có", "01/01/1970", "086070999999", "Nam", "Ấp 2, Phường Long Đức, Tỉnh Vĩnh Long"],
    ]


def _write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_every_row_gets_its_class(tmp_path: Path, registry: dict[str, str]) -> None:
    an, thuy = registry["an"], registry["thuy"]
    rows = _run(
        tmp_path,
        f'1,Nguyễn Văn An,15/05/1985,{an},Nam,"{ADDRESS}"\n'
        f'2,Trần Thị Thuỷ,03/02/1950,{thuy},Nữ,"Ấp 1, Phường Long Đức, Tỉnh Vĩnh Long"\n'
        f'3,Nguyen Van An,15/05/1985,{an},Nam,"{ADDRESS}"\n'
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


# --- files that cannot be read: exit 2, the reason on stderr, nothing written -------------------------------------


def _corrupt_xlsx(path: Path) -> None:
    """A real workbook cut short, as an interrupted download or copy leaves it."""
    good = write_xlsx(path.with_name("good.xlsx"), {"DS": [["Họ và tên", "Ngày sinh"], ["Nguyễn Văn An", "1985"]]})
    path.write_bytes(good.read_bytes()[:300])


def _wide_without_header(path: Path) -> None:
    _write_csv(path, [[f"giá trị {r}-{c}" for c in range(50)] for r in range(30)])


UNREADABLE: list[tuple[str, str, Callable[[Path], object], str, str]] = [
    # (case, file name, writer, Vietnamese reason, English reason)
    ("empty", "ds.csv", lambda p: p.write_bytes(b""), "trống", "empty"),
    ("binary", "ds.csv", lambda p: p.write_bytes(bytes(range(256)) * 20), "nhị phân", "binary"),
    ("zip signature only", "ds.xlsx", lambda p: p.write_bytes(b"PK\x03\x04 broken"), "tệp hỏng", "corrupt"),
    ("truncated xlsx", "ds.xlsx", _corrupt_xlsx, "tệp hỏng", "corrupt"),
    ("50 columns, no header", "ds.csv", _wide_without_header, "Không nhận ra dòng tiêu đề", "No recognisable header"),
]


@pytest.mark.parametrize(
    ("name", "write", "reason_vi", "reason_en"), [c[1:] for c in UNREADABLE], ids=[c[0] for c in UNREADABLE]
)
def test_unreadable_file_exits_2_with_a_reason_and_writes_nothing(
    tmp_path: Path,
    registry: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    name: str,
    write: Callable[[Path], object],
    reason_vi: str,
    reason_en: str,
) -> None:
    source = tmp_path / name
    write(source)
    outputs = tmp_path / "out"
    outputs.mkdir()
    with pytest.raises(SystemExit) as exit_info:
        _cleanse(
            source,
            outputs / "RESULT.csv",
            "--worklists",
            str(outputs / "danh-sach"),
            "--cleaned",
            str(outputs / "sach.xlsx"),
        )
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert reason_vi in captured.err and reason_en in captured.err
    assert source.name in captured.err
    assert captured.out == ""
    assert list(outputs.iterdir()) == []  # no RESULT.csv, no work lists, no cleaned dataset: nothing half-done
    assert not AuditEvent.objects.filter(action="cleansing.run").exists()


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _cleanse(tmp_path / "khong-co.csv", tmp_path / "RESULT.csv")
    assert exit_info.value.code == 2
    assert "Không mở được tệp" in capsys.readouterr().err
    assert not (tmp_path / "RESULT.csv").exists()


# --- legacy font encodings and list layouts -----------------------------------------------------------------------


@pytest.mark.parametrize(("legacy", "encode"), [("tcvn3", to_tcvn3), ("vni", to_vni)])
def test_legacy_font_csv_is_decoded_and_every_row_classified(
    tmp_path: Path,
    registry: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    legacy: str,
    encode: Callable[[str], str],
) -> None:
    header = HEADER.rstrip("\n").split(",")
    rows = [[encode(c) for c in row] for row in [header, *_people(registry)]]
    # The font's text is 8-bit: each code point stands for the byte of the same value (Windows-1252).
    source = _write_csv(tmp_path / f"ds-{legacy}.csv", rows, encoding="cp1252")
    out = tmp_path / "RESULT.csv"
    _cleanse(source, out)
    assert f"mã hóa / encoding: {legacy}" in capsys.readouterr().out
    result = _result(out)
    # A name decoded wrongly would not be exact: the class proves the decoding.
    assert [(r["row"], r["class"]) for r in result] == [("1", "exact"), ("2", "deceased"), ("3", "not_found")]
    assert [r["personal_id"] for r in result] == [registry["an"], registry["thuy"], ""]


def test_title_row_merged_header_and_total_row(tmp_path: Path, registry: dict[str, str]) -> None:
    people = _people(registry)
    rows = [
        ["DANH SÁCH ĐỐI TƯỢNG BẢO TRỢ XÃ HỘI NĂM 2026", "", "", "", "", ""],
        ["STT", "Thông tin cá nhân", "", "Ngày sinh", "Giấy tờ", "Địa chỉ"],
        ["", "Họ và tên", "Giới tính", "", "Số CCCD", ""],
        *[[p[0], p[1], p[4], p[2], p[3], p[5]] for p in people],
        ["Tổng cộng", "3 người", "", "", "", ""],
    ]
    out = tmp_path / "RESULT.csv"
    _cleanse(_write_csv(tmp_path / "ds.csv", rows), out)
    result = _result(out)
    # Each person once, numbered below the two header lines; neither the title nor the total is a row.
    assert [(r["row"], r["class"]) for r in result] == [("1", "exact"), ("2", "deceased"), ("3", "not_found")]


# --- --cleaned -----------------------------------------------------------------------------------------------------

FORMULAS = ["=1+1", "+84 912 345 678", "-5", "@SUM(A1:A2)"]


def _cleaned_input(tmp_path: Path, registry: dict[str, str]) -> Path:
    header = [*HEADER.rstrip("\n").split(","), "Ghi chú"]
    people = _people(registry)
    people.append(["4", "Nguyen Van An", "15/05/1985", registry["an"], "Nam", ADDRESS])  # duplicate of row 1
    people[1][1] = "Tran Thi Thuy"  # deceased: the fix is not applied
    rows = [header, *([*p, note] for p, note in zip(people, FORMULAS, strict=True))]
    return _write_csv(tmp_path / "ds.csv", rows)


def _read_cleaned(path: Path) -> list[list[str]]:
    if path.suffix == ".xlsx":
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        # The row number is the one numeric cell (calamine reads it as a float); everything else is text.
        return [[str(int(c)) if isinstance(c, float) else str(c) for c in row] for row in sheet.to_python()]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_cleaned_dataset(
    tmp_path: Path, registry: dict[str, str], capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    cleaned = tmp_path / f"da-lam-sach{suffix}"
    _cleanse(_cleaned_input(tmp_path, registry), tmp_path / "RESULT.csv", "--cleaned", str(cleaned))
    assert f"4 dòng / rows → {cleaned}" in capsys.readouterr().out
    header, *rows = _read_cleaned(cleaned)
    assert header[:8] == ["Dòng", "Họ và tên", "Ngày sinh", "Số CCCD", "Giới tính", "Địa chỉ", "Ghi chú", header[7]]
    assert len(rows) == 4 and [r[0] for r in rows] == ["1", "2", "3", "4"]  # one row per input row, in order
    # No cell can run as a formula; the text after the apostrophe is the input's.
    assert [r[6] for r in rows] == ["'" + f for f in FORMULAS]
    # IDs stay text, leading zero included (in the input column and the registry's).
    assert [r[3] for r in rows] == [registry["an"], registry["thuy"], "086070999999", registry["an"]]
    assert rows[0][7] == registry["an"] and registry["an"].startswith("0")
    assert [r[8] for r in rows] == ["exact", "deceased", "not_found", "duplicate"]
    assert [r[1] for r in rows] == ["Nguyễn Văn An", "Tran Thi Thuy", "Lê Không Có", "Nguyen Van An"]


def test_cleaned_dataset_applies_the_fixes(tmp_path: Path, registry: dict[str, str]) -> None:
    source = _write_csv(
        tmp_path / "ds.csv",
        [HEADER.rstrip("\n").split(","), ["1", "Nguyen Van An", "1985", registry["an"], "", ADDRESS]],
    )
    cleaned = tmp_path / "sach.csv"
    _cleanse(source, tmp_path / "RESULT.csv", "--cleaned", str(cleaned))
    header, row = _read_cleaned(cleaned)
    record = dict(zip(header, row, strict=True))
    assert record["Mã kết quả"] == "fixable"
    assert (record["Họ và tên"], record["Ngày sinh"], record["Giới tính"]) == ("Nguyễn Văn An", "15/05/1985", "Nam")
