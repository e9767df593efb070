"""`dean06 id check` and `dean06 qr parse|decode`: exact JSON, exit 0 for any verdict, 2 for usage errors."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command, load_command_class

from dean06.identity.tests.test_qr_image import card_qr, encoded
from dean06.identity.tests.test_qr_payload import SAMPLES, TRA_VINH

# The commands resolve addresses through the unit index, which is built from the database on first use.
pytestmark = pytest.mark.django_db

ID_KEYS = [
    "input",
    "normalized",
    "kind",
    "valid",
    "province_code",
    "province_name",
    "gender",
    "century",
    "birth_year_2",
    "errors",
    "warnings",
]
CARD_KEYS = [
    "ok",
    "personal_id",
    "old_id",
    "full_name",
    "date_of_birth",
    "gender",
    "address",
    "issue_date",
    "commune",
    "warnings",
    "errors",
]


def _run(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command(*args, stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def _exit_code(*argv: str) -> int:
    """As from the shell, where argparse errors and CommandError end in SystemExit."""
    try:
        load_command_class("dean06.identity", argv[0]).run_from_argv(["dean06", *argv])
    except SystemExit as exit_info:
        return int(exit_info.code or 0)
    return 0


def test_id_check_prints_the_verdict() -> None:
    assert _run("id", "check", "084085000001") == {
        "input": "084085000001",
        "normalized": "084085000001",
        "kind": "personal_id",
        "valid": True,
        "province_code": "084",
        "province_name": "Trà Vinh",
        "gender": "Nam",
        "century": 1900,
        "birth_year_2": "85",
        "errors": [],
        "warnings": [],
    }


def test_id_check_cross_checks_and_names_problems_in_vietnamese() -> None:
    result = _run("id", "check", "84 085 000 001", "--dob", "1986-05-15", "--gender", "Nữ")
    assert list(result) == ID_KEYS
    assert (result["valid"], result["normalized"]) == (False, "084085000001")
    assert [e["code"] for e in result["errors"]] == ["birth_year_mismatch", "gender_mismatch"]
    assert set(result["errors"][0]) == {"code", "message"}
    assert "nhưng giới tính ghi là Nữ" in result["errors"][1]["message"]
    assert [w["code"] for w in result["warnings"]] == ["leading_zero_restored"]


def test_id_check_of_an_invalid_number_still_exits_0() -> None:
    result = _run("id", "check", "abc")
    assert (result["kind"], result["valid"], result["province_code"]) == ("invalid", False, None)
    assert _exit_code("id", "check", "abc") == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["id"],
        ["id", "check"],
        ["id", "check", "084085000001", "--gender", "Male"],
        ["id", "check", "084085000001", "--dob", "15/05/1985"],
        ["qr", "parse"],
        ["qr", "decode", "/khong/co/tep.png"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit_code(*argv) == 2
    assert capsys.readouterr().err


@pytest.mark.django_db
def test_qr_parse_prints_the_card_and_its_commune_today() -> None:
    result = _run("qr", "parse", TRA_VINH + "\r\n")
    assert list(result) == CARD_KEYS
    assert result == {
        "ok": True,
        "personal_id": "084185000001",
        "old_id": None,
        "full_name": "Thạch Thị Sa Rây",
        "date_of_birth": "1985-05-15",
        "gender": "Nữ",
        "address": "Ấp Phú Hòa, Xã Long Đức, TP Trà Vinh, Trà Vinh",
        "issue_date": "2021-04-20",
        "commune": {
            "status": "ok",
            "communes": [{"code": "29263", "name": "Phường Long Đức", "province_code": "86"}],
            "message": "Đơn vị hiện nay: Phường Long Đức (29263), Tỉnh Vĩnh Long.",
        },
        "warnings": [],
        "errors": [],
    }


@pytest.mark.django_db
def test_qr_parse_of_sample_4_warns_and_sample_5_keeps_the_old_id() -> None:
    fourth, fifth = _run("qr", "parse", SAMPLES[3]), _run("qr", "parse", SAMPLES[4])
    assert fourth["ok"] and [w["code"] for w in fourth["warnings"]] == ["gender_mismatch"]
    assert fifth["old_id"] == "012345678" and fifth["commune"]["status"] == "ok"


@pytest.mark.django_db
def test_qr_parse_of_a_bad_payload_is_ok_false_and_exits_0() -> None:
    result = _run("qr", "parse", TRA_VINH.replace("15051985", "31022000"))
    assert list(result) == CARD_KEYS
    assert result["ok"] is False and result["personal_id"] is None and result["commune"] is None
    assert [e["code"] for e in result["errors"]] == ["date_of_birth_impossible"]
    assert _exit_code("qr", "parse", "x") == 0


@pytest.mark.django_db
def test_qr_decode_reads_an_image_file(tmp_path: Path) -> None:
    image = tmp_path / "the.jpg"
    image.write_bytes(encoded(card_qr(), "JPEG", quality=80))
    result = _run("qr", "decode", str(image))
    assert list(result) == [*CARD_KEYS, "decoded"]
    assert result["decoded"] is True and result["ok"] is True and result["full_name"] == "Thạch Thị Sa Rây"


@pytest.mark.django_db
def test_qr_decode_without_a_code_says_so_in_vietnamese(tmp_path: Path) -> None:
    image = tmp_path / "blank.png"
    image.write_bytes(encoded(card_qr().point(lambda _: 255)))
    result = _run("qr", "decode", str(image))
    assert (result["ok"], result["decoded"], result["commune"]) == (False, False, None)
    assert result["errors"][0]["code"] == "no_qr_code"
    assert result["errors"][0]["message"].startswith("Không tìm thấy mã QR trong ảnh.")
    assert _exit_code("qr", "decode", str(image)) == 0
