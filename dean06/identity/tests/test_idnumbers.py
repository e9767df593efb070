"""Rules of the 12-digit personal ID and the old 9-digit CMND number (issue #3, point 1)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from vietnam_provinces.legacy import Province

from dean06.identity.cards.idnumbers import IdCheck, check_id, normalize_id, parse_gender
from dean06.identity.cards.provinces import BIRTH_PROVINCES

TODAY = date(2026, 6, 1)


def _check(text: str, **kwargs: object) -> IdCheck:
    return check_id(text, today=TODAY, **kwargs)  # type: ignore[arg-type]


def _codes(problems: tuple[object, ...]) -> list[str]:
    return [p.code for p in problems]  # type: ignore[attr-defined]


def test_a_tra_vinh_id_reads_province_gender_century_and_year() -> None:
    check = _check("084085000001")
    assert check.valid and check.kind == "personal_id"
    assert (check.normalized, check.province_code, check.province_name) == ("084085000001", "084", "Trà Vinh")
    assert (check.gender, check.century, check.birth_year_2) == ("Nam", 1900, "85")
    assert check.errors == check.warnings == ()


@pytest.mark.parametrize(
    ("digit", "gender", "century"),
    [("0", "Nam", 1900), ("1", "Nữ", 1900), ("2", "Nam", 2000), ("3", "Nữ", 2000)],
)
def test_gender_and_century_digit(digit: str, gender: str, century: int) -> None:
    check = _check(f"084{digit}05000001")
    assert check.valid and (check.gender, check.century) == (gender, century)


@pytest.mark.parametrize(("digit", "gender", "century"), [("4", "Nam", 2100), ("5", "Nữ", 2100), ("9", "Nữ", 2300)])
def test_a_later_century_is_read_but_is_in_the_future(digit: str, gender: str, century: int) -> None:
    check = _check(f"084{digit}00000001")
    assert (check.gender, check.century) == (gender, century)
    assert _codes(check.errors) == ["birth_year_future"]
    assert f"năm sinh {century}, sau năm hiện tại (2026)" in check.errors[0].message_vi


def test_a_birth_year_later_this_century_is_in_the_future() -> None:
    assert _check("084226000001").valid  # born 2026
    assert _codes(_check("084227000001").errors) == ["birth_year_future"]


@pytest.mark.parametrize(
    "typed",
    [
        "084 085 000 001",
        "084.085.000.001",
        "084-085-000-001",
        "084–085—000001",
        "\u00a0084085000001 ",
        "０８４０８５０００００１",
        "０８４－０８５．０００　００１",
    ],
)
def test_typed_separators_and_full_width_digits_are_normalised(typed: str) -> None:
    check = _check(typed)
    assert check.valid and check.normalized == "084085000001" and check.input == typed
    assert check.warnings == ()


def test_a_leading_zero_lost_by_excel_is_restored_with_a_warning() -> None:
    check = _check("84085000001")
    assert check.valid and check.normalized == "084085000001"
    assert _codes(check.warnings) == ["leading_zero_restored"]
    assert "084085000001" in check.warnings[0].message_vi and "Excel" in check.warnings[0].message_en


def test_two_zeros_lost_from_a_ha_noi_id_are_restored() -> None:
    check = _check("1098012345")
    assert check.valid and (check.normalized, check.province_name) == ("001098012345", "Hà Nội")
    assert "mất 2 số 0" in check.warnings[0].message_vi


def test_an_8_digit_number_becomes_a_cmnd_candidate_with_a_warning() -> None:
    check = _check("12345678")
    assert check.valid and (check.kind, check.normalized) == ("old_id_9", "012345678")
    assert _codes(check.warnings) == ["leading_zero_restored"]


def test_numbers_that_start_with_zero_are_not_padded() -> None:
    for typed in ("08408500000", "01234567"):
        check = _check(typed)
        assert check.kind == "invalid" and _codes(check.errors) == ["wrong_length"]


def test_a_9_digit_cmnd_is_recognised_but_cannot_be_cross_checked() -> None:
    check = _check("381234567")
    assert check.valid and check.kind == "old_id_9" and check.province_code is None and check.gender is None
    crossed = _check("381234567", date_of_birth=date(1985, 5, 15), gender="Nam")
    assert crossed.valid and _codes(crossed.warnings) == ["cross_check_unavailable"]


def test_a_12_digit_cmnd_is_the_personal_id() -> None:
    assert _check("079085000123").kind == "personal_id"


def test_an_unknown_province_code_is_named() -> None:
    check = _check("099085000001")
    assert not check.valid and check.kind == "personal_id"
    assert (check.province_code, check.province_name) == ("099", None)
    assert _codes(check.errors) == ["province_code_unknown"]
    assert "“099”: mã tỉnh nơi đăng ký khai sinh không hợp lệ" in check.errors[0].message_vi
    assert "province where the birth was registered" in check.errors[0].message_en


def test_the_province_table_has_the_63_legacy_provinces() -> None:
    assert len(BIRTH_PROVINCES) == 63
    legacy = {f"{p.code:03d}": p.name.removeprefix("Tỉnh ").removeprefix("Thành phố ") for p in Province.iter_all()}
    assert set(legacy) == set(BIRTH_PROVINCES)
    renamed = {"017", "046", "079"}  # Hoà/Hòa spelling; Thừa Thiên Huế (Huế since 2025); "TP " kept
    assert {code: BIRTH_PROVINCES[code] for code in legacy if code not in renamed} == {
        code: name for code, name in legacy.items() if code not in renamed
    }
    assert BIRTH_PROVINCES["084"] == "Trà Vinh" and BIRTH_PROVINCES["083"] == "Bến Tre"


def test_cross_check_with_date_of_birth_and_gender() -> None:
    assert _check("084085000001", date_of_birth=date(1985, 5, 15), gender="Nam").valid
    check = _check("084085000001", date_of_birth=date(1986, 5, 15), gender="Nữ")
    assert _codes(check.errors) == ["birth_year_mismatch", "gender_mismatch"]
    year, gender = check.errors
    assert "năm sinh 1985" in year.message_vi and "15/05/1986" in year.message_vi
    assert gender.message_vi == "Chữ số thứ 4 “0” là của giới tính Nam, nhưng giới tính ghi là Nữ."
    assert "means male, but the gender given is female" in gender.message_en


def test_a_2000s_birth_cross_checks() -> None:
    check = _check("084305000001", date_of_birth=date(2005, 1, 2), gender="Nữ")
    assert check.valid and (check.gender, check.century) == ("Nữ", 2000)


@pytest.mark.parametrize(
    ("typed", "code", "vi"),
    [
        ("", "empty", "Chưa nhập số."),
        ("  - . ", "empty", "Chưa nhập số."),
        ("CCCD 084085000001", "invalid_characters", "“C”, “D”"),
        ("08408500000１a", "invalid_characters", "“a”"),
        ("0840850000012", "wrong_length", "Số có 13 chữ số"),
        ("12345", "wrong_length", "Số có 5 chữ số"),
        ("٠٨٤٠٨٥٠٠٠٠٠١", "invalid_characters", "“٠”"),  # Arabic-Indic digits are not ID digits
    ],
)
def test_rejections_name_the_problem(typed: str, code: str, vi: str) -> None:
    check = _check(typed)
    assert not check.valid and check.kind == "invalid" and _codes(check.errors) == [code]
    assert vi in check.errors[0].message_vi


def test_every_problem_has_both_languages() -> None:
    cases = ["", "x", "123", "099085000001", "084485000001", "84085000001"]
    problems = [p for text in cases for check in [_check(text, gender="Nữ")] for p in (*check.errors, *check.warnings)]
    assert problems
    for problem in problems:
        assert problem.message_vi and problem.message_en and problem.message_vi != problem.message_en
        assert problem.message("vi") == problem.message_vi and problem.message("en-us") == problem.message_en


@pytest.mark.parametrize(
    ("typed", "gender"), [("Nam", "Nam"), ("NỮ", "Nữ"), ("nu", "Nữ"), (" nam ", "Nam"), ("", None)]
)
def test_parse_gender(typed: str, gender: str | None) -> None:
    assert parse_gender(typed) == gender


def test_normalize_id_alone() -> None:
    assert normalize_id("084 085 000 001").digits == "084085000001"


@given(st.text(), st.none() | st.dates(), st.sampled_from([None, "Nam", "Nữ"]))
def test_no_input_makes_check_raise(text: str, born: date | None, gender: str | None) -> None:
    check = check_id(text, date_of_birth=born, gender=gender)  # type: ignore[arg-type]
    if check.valid:
        assert check.kind != "invalid" and len(check.normalized) in (9, 12) and check.normalized.isdigit()
    assert all(p.message_vi and p.message_en for p in (*check.errors, *check.warnings))


@given(
    st.sampled_from(sorted(BIRTH_PROVINCES)),
    st.integers(0, 1),
    st.integers(0, 99),
    st.integers(0, 999_999),
    st.sampled_from(["", " ", ".", "-"]),
)
def test_any_well_formed_1900s_id_is_valid_however_typed(
    province: str, female: int, year: int, serial: int, separator: str
) -> None:
    number = f"{province}{female}{year:02d}{serial:06d}"
    typed = separator.join([number[:3], number[3:6], number[6:]])
    born = date(1900 + year, 1, 1)
    check = _check(typed, date_of_birth=born, gender="Nữ" if female else "Nam")
    assert check.valid and check.normalized == number and check.province_name == BIRTH_PROVINCES[province]


def test_the_pure_modules_import_no_django() -> None:
    modules = ["idnumbers", "qr_payload", "qr_image", "mojibake", "problems", "provinces"]
    imports = "; ".join(f"import dean06.identity.cards.{name}" for name in modules)
    script = f"import sys; {imports}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)  # noqa: S603
    assert found.stdout.strip() == "[]"
