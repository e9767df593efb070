"""The procedure catalogue: the shipped data is valid and real-shaped, bad entries are named clearly, loading is
idempotent, and `dean06 procedures` prints what it did."""

from __future__ import annotations

import copy
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dean06.public_services.choices import FieldSource, Level
from dean06.public_services.eforms import FIELD_TYPES, PREFILLABLE
from dean06.public_services.models import Procedure
from dean06.public_services.services.catalogue import (
    DEFAULT_PATH,
    MUST_LOCK,
    STORE_KINDS,
    CatalogueInvalidError,
    catalogue_read,
    catalogue_validate,
    procedures_load,
)


def _shipped() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    return data


def _entry(code: str = "VL-HT-KHAISINH") -> dict[str, Any]:
    return copy.deepcopy(next(p for p in _shipped()["procedures"] if p["code"] == code))


def _errors(*entries: dict[str, Any]) -> list[str]:
    return catalogue_validate({"procedures": list(entries)}, file_name="thu.json").errors


def _write(path: Path, entries: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"procedures": entries}, ensure_ascii=False), encoding="utf-8")
    return path


# --- the shipped catalogue (no database) ---


def test_the_shipped_catalogue_validates() -> None:
    check = catalogue_validate(_shipped(), file_name=DEFAULT_PATH.name)
    assert check.errors == []
    assert len(check.procedures) >= 8
    assert len({p["code"] for p in check.procedures}) == len(check.procedures)
    assert {p["level"] for p in check.procedures} <= set(Level.values)


def test_every_procedure_has_a_time_limit_and_a_legal_basis() -> None:
    for procedure in catalogue_read():
        assert procedure["processing_days"] > 0, procedure["code"]
        assert procedure["legal_basis"], procedure["code"]
        assert procedure["fee_vnd"] >= 0, procedure["code"]


def test_every_form_field_is_valid_and_identity_is_never_retyped() -> None:
    for procedure in catalogue_read():
        names = [f["name"] for f in procedure["form"]]
        assert len(names) == len(set(names)), procedure["code"]
        for spec in procedure["form"]:
            assert spec["type"] in FIELD_TYPES
            assert spec["source"] in FieldSource.values
            if spec["name"] in PREFILLABLE:
                assert spec["source"] in (FieldSource.EID, FieldSource.REGISTRY), (procedure["code"], spec["name"])
            if spec["name"] in MUST_LOCK:
                assert spec["locked"] is True, (procedure["code"], spec["name"])
            if spec["source"] == FieldSource.DOCUMENT_STORE:
                assert spec["store_kind"] in STORE_KINDS
        # Every e-form starts from who the applicant is, taken from the e-ID.
        assert {"full_name", "personal_id"} <= set(names), procedure["code"]


def test_documents_name_known_store_kinds() -> None:
    for procedure in catalogue_read():
        keys = [d["key"] for d in procedure["documents"]]
        assert len(keys) == len(set(keys))
        # The e-form is the declaration: no procedure asks for a "tờ khai" to be uploaded as well.
        assert not any(d["name"].lower().startswith("tờ khai") for d in procedure["documents"]), procedure["code"]
        assert all(d["store_kind"] in ("", *STORE_KINDS) for d in procedure["documents"])


def test_civil_status_and_residence_need_level_two() -> None:
    for procedure in catalogue_read():
        area = procedure["field_area"].lower()
        if "hộ tịch" in area or "cư trú" in area:
            assert procedure["eid_level"] == 2, procedure["code"]


def test_the_index_has_late_publications_to_count_but_most_are_on_time() -> None:
    procedures = catalogue_read()
    on_time = [p for p in procedures if p["published_on"] <= p["effective_on"]]
    assert 1 <= len(procedures) - len(on_time) <= 2
    late = {p["code"] for p in procedures if p not in on_time}
    notes = {p["code"]: p.get("note", "") for p in _shipped()["procedures"]}
    assert all("MUỘN" in notes[code] for code in late)  # each late one says why


def test_fee_bearing_procedures_pay_online_and_free_ones_do_not() -> None:
    for procedure in catalogue_read():
        if procedure["online_payment"]:
            assert procedure["fee_vnd"] > 0, procedure["code"]


# --- clear messages for bad entries (no database) ---


def _with_field(**changes: Any) -> dict[str, Any]:
    entry = _entry()
    entry["form"][6].update(changes)  # child_full_name, a citizen-typed text field
    return entry


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (_with_field(source="hearsay"), "nguồn dữ liệu không xác định “hearsay”"),
        (_with_field(type="number"), "kiểu trường không xác định “number”"),
        (_with_field(name="child_gender"), "trùng tên trường “child_gender”"),
        (_with_field(locked=True), "chỉ khóa được trường điền sẵn"),
        (_with_field(type="select"), "cần danh sách “choices”"),
        (_with_field(source="registry"), "CSDL dân cư chỉ điền sẵn"),
        (_with_field(source="document_store"), "cần “store_kind”"),
    ],
    ids=["source", "type", "duplicate-field", "locked-citizen", "select-choices", "registry-name", "store-kind"],
)
def test_a_bad_form_field_is_named_with_file_and_code(entry: dict[str, Any], expected: str) -> None:
    errors = _errors(entry)
    assert any(e.startswith("thu.json, thủ tục VL-HT-KHAISINH: ") and expected in e for e in errors), errors


def test_missing_processing_days_is_named() -> None:
    entry = _entry()
    del entry["processing_days"]
    assert _errors(entry) == [
        "thu.json, thủ tục VL-HT-KHAISINH: thiếu thời hạn giải quyết (“processing_days”, số ngày làm việc)"
    ]


@pytest.mark.parametrize("days", [0, -3, "7", 1.5, True])
def test_processing_days_must_be_a_positive_whole_number(days: object) -> None:
    entry = _entry()
    entry["processing_days"] = days
    assert any("processing_days" in e for e in _errors(entry))


def test_identity_typed_by_the_citizen_is_refused() -> None:
    entry = _entry()
    entry["form"][0].update(source="citizen", locked=False)  # full_name
    errors = _errors(entry)
    assert any("nguồn phải là eid hoặc registry" in e for e in errors)
    assert any("phải khóa" in e for e in errors)


def test_duplicate_codes_unknown_keys_and_bad_codes() -> None:
    bad_code, typo = _entry(), _entry("VL-HT-KHAITU")
    bad_code["code"] = "KS01"
    typo["procesing_days"] = 1
    errors = _errors(_entry(), _entry(), bad_code, typo)
    assert "thu.json, thủ tục VL-HT-KHAISINH: trùng mã thủ tục" in errors
    assert any("thủ tục KS01: mã thủ tục phải là mã quốc gia" in e for e in errors)
    assert any("VL-HT-KHAITU: khóa không được hỗ trợ “procesing_days”" in e for e in errors)


def test_residence_below_level_two_and_online_payment_without_fee_are_refused() -> None:
    residence, free = _entry("VL-CT-TAMTRU"), _entry()
    residence["eid_level"] = 1
    free["online_payment"] = True
    errors = _errors(residence, free)
    assert any("VL-CT-TAMTRU: thủ tục hộ tịch, cư trú yêu cầu" in e for e in errors)
    assert any("VL-HT-KHAISINH: thủ tục không thu phí" in e for e in errors)


def test_an_invalid_check_returns_no_procedures() -> None:
    entry = _entry()
    entry["level"] = "district"  # abolished on 1/7/2025
    check = catalogue_validate([entry, _entry("VL-HT-KHAITU")], file_name="thu.json")
    assert not check.ok
    assert check.procedures == []
    assert "cấp thực hiện không xác định “district”" in check.errors[0]


def test_unreadable_json_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "hong.json"
    broken.write_text('{"procedures": [', encoding="utf-8")
    with pytest.raises(CatalogueInvalidError) as raised:
        catalogue_read(broken)
    assert raised.value.errors[0].startswith("hong.json: không đọc được JSON")


def test_a_folder_of_files_is_read_and_a_code_may_appear_once(tmp_path: Path) -> None:
    _write(tmp_path / "a.json", [_entry()])
    _write(tmp_path / "b.json", [_entry("VL-HT-KHAITU")])
    assert [p["code"] for p in catalogue_read(tmp_path)] == ["VL-HT-KHAISINH", "VL-HT-KHAITU"]
    _write(tmp_path / "c.json", [_entry()])
    with pytest.raises(CatalogueInvalidError, match="VL-HT-KHAISINH khai báo ở nhiều tệp"):
        catalogue_read(tmp_path)


# --- loading (database) ---


@pytest.mark.django_db
def test_load_then_reload_is_idempotent() -> None:
    first = procedures_load()
    count = Procedure.objects.count()
    assert len(first.created) == count >= 8
    second = procedures_load()
    assert second.created == second.updated == []
    assert len(second.unchanged) == count == Procedure.objects.count()
    birth = Procedure.objects.get(code="VL-LT-KHAISINH")
    assert birth.processing_days == 3
    assert birth.uses_population_data
    assert Procedure.objects.get(code="VL-BTXH-NCT").published_on_time is False


@pytest.mark.django_db
def test_reload_updates_changed_values_by_code(tmp_path: Path) -> None:
    procedures_load()
    count = Procedure.objects.count()
    data = _shipped()
    data["procedures"][0]["processing_days"] = 2
    data["procedures"][0]["fee_note"] = "Ghi chú mới."
    changed = tmp_path / "procedures.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = procedures_load(changed)
    assert report.updated == [data["procedures"][0]["code"]]
    assert len(report.unchanged) == count - 1
    assert Procedure.objects.count() == count
    procedure = Procedure.objects.get(code=data["procedures"][0]["code"])
    assert (procedure.processing_days, procedure.fee_note) == (2, "Ghi chú mới.")


@pytest.mark.django_db
def test_an_invalid_file_writes_nothing(tmp_path: Path) -> None:
    good, bad = _entry(), _entry("VL-HT-KHAITU")
    bad["form"][0]["source"] = "hearsay"
    with pytest.raises(CatalogueInvalidError):
        procedures_load(_write(tmp_path / "x.json", [good, bad]))
    assert not Procedure.objects.exists()


@pytest.mark.django_db
def test_procedures_no_longer_in_the_file_are_kept_and_reported(tmp_path: Path) -> None:
    procedures_load()
    report = procedures_load(_write(tmp_path / "one.json", [_entry()]))
    assert report.unchanged == ["VL-HT-KHAISINH"]
    assert "VL-HT-KHAITU" in report.not_in_catalogue
    assert Procedure.objects.filter(code="VL-HT-KHAITU").exists()


# --- `dean06 procedures` ---


def _run(*args: str) -> str:
    out = StringIO()
    call_command("procedures", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_cli_load_prints_a_summary() -> None:
    count = len(_shipped()["procedures"])
    first = _run("load")
    assert f"Đã nạp / loaded {count} thủ tục / procedures" in first
    assert f"thêm mới / created {count} (" in first
    again = _run("load")
    assert f"thêm mới / created 0, cập nhật / updated 0, không đổi / unchanged {count}." in again


@pytest.mark.django_db
def test_cli_check_and_an_invalid_file(tmp_path: Path) -> None:
    assert "Hợp lệ / valid" in _run("check")
    assert not Procedure.objects.exists()  # check writes nothing
    entry = _entry()
    entry["form"][6]["type"] = "number"
    with pytest.raises(CommandError) as raised:
        _run("load", "--file", str(_write(tmp_path / "sai.json", [entry])))
    assert "sai.json, thủ tục VL-HT-KHAISINH: trường “child_full_name”: kiểu trường không xác định “number”" in str(
        raised.value
    )
