"""Reading sector files: CSV in every encoding, XLSX layouts, and the files that must fail clearly."""

from __future__ import annotations

import datetime as dt
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dean06.cleansing.pipeline.errors import ReadError
from dean06.cleansing.pipeline.legacy_encodings import to_tcvn3, to_vni
from dean06.cleansing.pipeline.reading import read_sector_file
from dean06.cleansing.pipeline.schema import ROW, Field

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Giới tính", "Địa chỉ"]
PEOPLE = [
    ["1", "Nguyễn Thị Thủy", "05/03/1990", "084190001234", "Nữ", "Ấp Phú Hòa, Xã Long Đức"],
    ["2", "Thạch Thị Sa Rây", "12/11/1985", "084185005678", "Nữ", "Khóm 3, Phường 1"],
    ["3", "Huỳnh Văn Đức", "01/01/1970", "084070009999", "Nam", "Ấp Ba Se, Xã Lương Hòa"],
]

Cell = str | int | float | dt.date | None
TONES = "\u0300\u0301\u0303\u0309\u0323"


# A minimal XLSX writer (inline strings, numbers, dates, merged cells): xlsxwriter/openpyxl are not installed.
def _column(j: int) -> str:
    name = ""
    j += 1
    while j:
        j, rest = divmod(j - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell_xml(ref: str, value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        serial = (value - dt.date(1899, 12, 30)).days
        return f'<c r="{ref}" s="1"><v>{serial}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


def write_xlsx(path: Path, sheets: dict[str, list[list[Cell]]], merged: dict[str, list[str]] | None = None) -> Path:
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    doc = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w") as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{doc}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        sheet_list = "".join(
            f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(sheets, 1)
        )
        z.writestr("xl/workbook.xml", f"<workbook {ns} {rel_ns}><sheets>{sheet_list}</sheets></workbook>")
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{doc}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        styles_rel = f'<Relationship Id="rId{len(sheets) + 1}" Type="{doc}/styles" Target="styles.xml"/>'
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{rels}{styles_rel}</Relationships>",
        )
        z.writestr(
            "xl/styles.xml",
            f'<styleSheet {ns}><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
            '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
        )
        for i, (name, rows) in enumerate(sheets.items(), 1):
            body = "".join(
                f'<row r="{r}">' + "".join(_cell_xml(f"{_column(j)}{r}", v) for j, v in enumerate(row)) + "</row>"
                for r, row in enumerate(rows, 1)
            )
            merges = (merged or {}).get(name, [])
            merge_xml = (
                f'<mergeCells count="{len(merges)}">'
                + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
                + "</mergeCells>"
                if merges
                else ""
            )
            z.writestr(
                f"xl/worksheets/sheet{i}.xml", f"<worksheet {ns}><sheetData>{body}</sheetData>{merge_xml}</worksheet>"
            )
    return path


def _cp1258(text: str) -> bytes:
    # Windows-1258 has ă â ê ô ơ ư đ precomposed but the five tones only as combining marks.
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES)) + tones)
    return "".join(out).encode("cp1258")


def _cells(rows: list[list[str]]) -> list[list[Cell]]:
    return [list[Cell](row) for row in rows]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    text = "\r\n".join(delimiter.join(f'"{c}"' if delimiter in c else c for c in row) for row in rows) + "\r\n"
    path.write_bytes(_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1258", "cp1258")],
)
def test_csv_encodings(tmp_path: Path, encoding: str, reported: str) -> None:
    result = read_sector_file(write_csv(tmp_path / "list.csv", [HEADER, *PEOPLE], encoding))
    assert result.report.encoding == reported
    assert result.frame[Field.FULL_NAME].to_list() == [p[1] for p in PEOPLE]
    assert result.frame[Field.ADDRESS].to_list() == [p[5] for p in PEOPLE]
    assert result.frame[Field.PERSONAL_ID].to_list() == [p[3] for p in PEOPLE]  # leading zeros kept
    assert result.frame[ROW].to_list() == [1, 2, 3]
    assert result.report.header_line == 1
    assert result.report.serial_column == 1


@pytest.mark.parametrize("file_encoding", ["cp1252", "utf-8"])  # 8-bit as the font wrote it, or re-saved as UTF-8
@pytest.mark.parametrize(("legacy", "encode"), [("tcvn3", to_tcvn3), ("vni", to_vni)])
def test_csv_in_legacy_font_encoding(tmp_path: Path, legacy: str, encode: object, file_encoding: str) -> None:
    assert callable(encode)
    rows = [[encode(c) for c in row] for row in [HEADER, *PEOPLE]]
    result = read_sector_file(write_csv(tmp_path / "list.csv", rows, file_encoding))
    assert result.report.encoding == legacy
    names = result.frame[Field.FULL_NAME].to_list()
    if legacy == "vni":
        assert names == [p[1] for p in PEOPLE]
    else:  # TCVN3 has no upper-case toned letters in .VnTime: "Ấp" comes back "ấp"
        assert names == [p[1] for p in PEOPLE]
        assert result.frame[Field.ADDRESS][0] == "ấp Phú Hòa, Xã Long Đức"
    assert result.report.data_rows == 3


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    result = read_sector_file(write_csv(tmp_path / "list.csv", [HEADER, *PEOPLE], delimiter=delimiter))
    assert result.frame[Field.ADDRESS].to_list() == [p[5] for p in PEOPLE]


def test_title_rows_total_row_and_blank_lines_are_accounted_for(tmp_path: Path) -> None:
    rows = [
        ["DANH SÁCH NGƯỜI HƯỞNG TRỢ CẤP"],
        ["Xã Long Đức, tháng 3/2026"],
        [],
        HEADER,
        PEOPLE[0],
        [],
        PEOPLE[1],
        PEOPLE[2],
        ["", "Tổng cộng: 3 người", "", "", "", ""],
        [],
    ]
    result = read_sector_file(write_csv(tmp_path / "list.csv", rows))
    report = result.report
    assert report.header_line == 4
    assert [t.line for t in report.title_rows] == [1, 2, 3]
    assert [(s.line, s.reason) for s in report.skipped] == [(6, "blank"), (9, "total"), (10, "blank")]
    assert result.frame[ROW].to_list() == [1, 3, 4]  # file line = header_line + row
    lines_after_header = len(rows) - report.header_line
    assert report.data_rows + len(report.skipped) == lines_after_header


def test_csv_two_row_header(tmp_path: Path) -> None:
    rows = [
        ["STT", "Thông tin cá nhân", "", "Ngày sinh", "Giấy tờ", ""],
        ["", "Họ và tên", "Giới tính", "", "Số CCCD", "Ngày cấp"],
        ["1", "Trần Quốc Toản", "Nam", "02/02/1992", "084092001111", "01/01/2021"],
    ]
    result = read_sector_file(write_csv(tmp_path / "list.csv", rows))
    assert (result.report.header_line, result.report.header_lines) == (2, 2)
    assert result.frame.row(0, named=True) == {
        ROW: 1,
        Field.FULL_NAME: "Trần Quốc Toản",
        Field.GENDER: "Nam",
        Field.DATE_OF_BIRTH: "02/02/1992",
        Field.PERSONAL_ID: "084092001111",
        "extra_6": "01/01/2021",
    }
    assert result.report.columns["extra_6"] == "Ngày cấp"
    with pytest.raises(ReadError, match="CSV"):
        read_sector_file(tmp_path / "list.csv", sheet="Sheet1")


def test_total_word_inside_the_list_is_data(tmp_path: Path) -> None:
    rows = [HEADER, ["1", "Lê Tổng", "", "", "", "Cộng Hòa"], *PEOPLE[1:]]
    result = read_sector_file(write_csv(tmp_path / "list.csv", rows))
    assert result.report.data_rows == 3


def test_last_person_living_in_cong_hoa_is_not_a_total(tmp_path: Path) -> None:
    rows = [HEADER[1:], *[p[1:] for p in PEOPLE], ["Lê Văn Tư", "", "", "Nam", "Ấp Cộng Hòa"], ["Cộng: 4 người"]]
    result = read_sector_file(write_csv(tmp_path / "list.csv", rows))
    assert result.report.data_rows == 4
    assert [(s.line, s.reason) for s in result.report.skipped] == [(6, "total")]


def test_total_merged_across_the_serial_column(tmp_path: Path) -> None:
    rows = [HEADER, *PEOPLE, ["Tổng cộng", "", "", "", "", ""], ["1", "Lê Văn Tư", "", "", "", ""]]
    result = read_sector_file(write_csv(tmp_path / "list.csv", rows[:-1]))
    assert [(s.line, s.reason) for s in result.report.skipped] == [(5, "total")]
    # Not at the end: a row after it makes it part of the list, reported as data rather than lost.
    assert read_sector_file(write_csv(tmp_path / "list2.csv", rows)).report.data_rows == 5


def test_dos_end_of_file_marker_is_not_binary(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [HEADER, *PEOPLE])
    path.write_bytes(path.read_bytes() + b"\x1a")
    assert read_sector_file(path).report.data_rows == 3


def test_unmapped_columns_kept_and_mapping_override_wins(tmp_path: Path) -> None:
    rows = [[*HEADER, "Ghi chú", "Mã hộ"], *[[*p, "x", "H1"] for p in PEOPLE]]
    result = read_sector_file(write_csv(tmp_path / "l.csv", rows), mapping={"Mã hộ": Field.BANK_ACCOUNT})
    assert result.frame["extra_7"].to_list() == ["x", "x", "x"]
    assert result.frame[Field.BANK_ACCOUNT].to_list() == ["H1", "H1", "H1"]
    assert result.report.mapping["Mã hộ"] is Field.BANK_ACCOUNT
    assert result.report.columns["extra_7"] == "Ghi chú"


def test_override_makes_an_unknown_header_readable(tmp_path: Path) -> None:
    rows = [["Col A", "Col B"], ["Nguyễn Văn A", "001"]]
    result = read_sector_file(write_csv(tmp_path / "l.csv", rows), mapping={"col a": Field.FULL_NAME})
    assert result.frame[Field.FULL_NAME].to_list() == ["Nguyễn Văn A"]
    assert result.frame["extra_2"].to_list() == ["001"]


@pytest.mark.parametrize("content", [b"", b"  \r\n", b"\xef\xbb\xbf", b"\xff\xfe", b",,,\r\n,,\r\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(ReadError, match="trống") as info:
        read_sector_file(path)
    assert "empty" in info.value.message_en


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(ReadError) as info:
        read_sector_file(path)
    assert "binary" in info.value.message_en


def test_corrupt_xlsx(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", {"Sheet1": _cells([HEADER, *PEOPLE])})
    path = tmp_path / "broken.xlsx"
    path.write_bytes(good.read_bytes()[:300])
    with pytest.raises(ReadError) as info:
        read_sector_file(path)
    assert "corrupt" in info.value.message_en


def test_fifty_columns_without_header(tmp_path: Path) -> None:
    rows = [[f"v{r}_{c}" for c in range(50)] for r in range(30)]
    with pytest.raises(ReadError) as info:
        read_sector_file(write_csv(tmp_path / "wide.csv", rows))
    assert "«v0_0»" in info.value.message_en
    assert "--map" in info.value.message_en
    assert "--map" in info.value.message_vi


def test_xlsx_title_rows_merged_header_total_and_types(tmp_path: Path) -> None:
    rows: list[list[Cell]] = [
        ["DANH SÁCH HỘ NGHÈO NĂM 2026", None, None, None, None],
        [None, None, None, None, None],
        ["STT", "Thông tin cá nhân", None, "Ngày sinh", "Số CCCD"],
        [None, "Họ và tên", "Giới tính", None, None],
        [1, "Nguyễn Thị Thủy", "Nữ", dt.date(1990, 3, 5), "084190001234"],
        [2, "Trần Quốc Toản", "Nam", dt.date(1985, 11, 12), 84185005678],
        [3, "Huỳnh Văn Đức", "Nam", "01/01/1970", 84070009999.0],
        [None, "Tổng cộng", None, None, None],
    ]
    path = write_xlsx(tmp_path / "list.xlsx", {"Sheet1": rows}, {"Sheet1": ["B3:C3", "A3:A4", "D3:D4", "E3:E4"]})
    result = read_sector_file(path)
    frame, report = result.frame, result.report
    assert report.header_line == 4
    assert report.header_lines == 2
    assert [t.line for t in report.title_rows] == [1, 2]
    assert [(s.line, s.reason) for s in report.skipped] == [(8, "total")]
    assert frame[Field.FULL_NAME].to_list() == ["Nguyễn Thị Thủy", "Trần Quốc Toản", "Huỳnh Văn Đức"]
    assert frame[Field.GENDER].to_list() == ["Nữ", "Nam", "Nam"]
    assert frame[Field.DATE_OF_BIRTH].to_list() == ["05/03/1990", "12/11/1985", "01/01/1970"]
    # Text keeps its zero; a number lost it in Excel already (the normaliser repairs it), but never reads "….0".
    assert frame[Field.PERSONAL_ID].to_list() == ["084190001234", "84185005678", "84070009999"]
    assert report.encoding == "unicode"
    assert report.data_rows + len(report.skipped) == len(rows) - report.header_line


def test_xlsx_picks_the_first_sheet_with_a_header(tmp_path: Path) -> None:
    sheets: dict[str, list[list[Cell]]] = {
        "Hướng dẫn": [["Điền danh sách vào trang sau"]],
        "Danh sách": _cells([HEADER, *PEOPLE]),
        "Khác": [list(HEADER)],
    }
    path = write_xlsx(tmp_path / "book.xlsx", sheets)
    result = read_sector_file(path)
    assert result.report.sheet == "Danh sách"
    assert result.report.sheets == ("Hướng dẫn", "Danh sách", "Khác")
    assert result.report.data_rows == 3
    assert read_sector_file(path, sheet="Khác").report.data_rows == 0
    with pytest.raises(ReadError, match="Danh sách"):
        read_sector_file(path, sheet="Không có")


def test_xlsx_cells_in_vni_font(tmp_path: Path) -> None:
    rows = [[to_vni(c) for c in row] for row in [HEADER, *PEOPLE]]
    result = read_sector_file(write_xlsx(tmp_path / "vni.xlsx", {"S": _cells(rows)}))
    assert result.report.encoding == "vni"
    assert result.frame[Field.ADDRESS].to_list() == [p[5] for p in PEOPLE]


def test_empty_xlsx(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="trống"):
        read_sector_file(write_xlsx(tmp_path / "empty.xlsx", {"Sheet1": []}))


_BODY_CELL = st.sampled_from(["", " ", "Nguyễn Văn A", "Tổng cộng", "Cộng", "084190001234", "1", "x,y", '"q"'])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_BODY_CELL, min_size=0, max_size=8), max_size=25))
def test_every_line_after_the_header_is_accounted_for_once(body: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:  # hypothesis reruns the body: no shared tmp_path
        path = Path(folder) / "list.csv"
        path.write_text(
            "\n".join([",".join(HEADER), *(",".join(f'"{c}"' for c in row) for row in body)]) + "\n", encoding="utf-8"
        )
        result = read_sector_file(path)
    report = result.report
    lines = [report.header_line + r for r in result.frame[ROW].to_list()] + [s.line for s in report.skipped]
    assert sorted(lines) == list(range(2, len(body) + 2))
