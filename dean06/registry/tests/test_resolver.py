"""The era-aware address resolver on real addresses of former Trà Vinh (84), Bến Tre (83) and Vĩnh Long (86).

Expected communes come from the official conversion table shipped in vietnam-provinces 2026.9.0 (NSO codes).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pytest_django import DjangoAssertNumQueries

from dean06.registry.units import index as index_module
from dean06.registry.units.index import UnitIndex, reset_unit_index, unit_index
from dean06.registry.units.resolver import EraName, Resolution, resolve_address

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True, scope="module")
def _fresh_index() -> Iterator[None]:
    reset_unit_index()
    yield
    reset_unit_index()


def codes(resolution: Resolution) -> list[str]:
    return [c.code for c in resolution.communes]


# --- ok: one old commune, one new commune -------------------------------------------------------------


def test_old_commune_with_district_abbreviation() -> None:
    result = resolve_address("Xã Long Đức, TP Trà Vinh")
    assert result.status == "ok"
    assert [(c.code, c.name, c.province_code) for c in result.communes] == [("29263", "Phường Long Đức", "86")]
    (match,) = result.legacy.matches
    assert (match.era, match.commune, match.merge) == ("pre2025", match.commune, "whole")
    assert match.commune is not None and (match.commune.code, match.commune.name) == ("29263", "Xã Long Đức")
    assert match.district is not None and match.district.code == "842"
    assert match.province is not None and match.province.code == "84"
    assert result.legacy.home_province_assumed is None


def test_hamlet_and_abbreviated_commune_without_province_assumes_home_province() -> None:
    result = resolve_address("Ấp Phú Hòa, X. Long Đức")
    assert result.status == "ok"
    assert codes(result) == ["29263"]
    assert result.legacy.street == ("Ấp Phú Hòa",)
    assert result.legacy.home_province_assumed == "86"
    assert "Tỉnh Vĩnh Long" in result.message_vi and "home province" in result.message_en


def test_without_home_province_the_same_name_elsewhere_makes_it_ambiguous() -> None:
    result = resolve_address("Ấp Phú Hòa, X. Long Đức", home_province="")
    assert result.status == "ambiguous"
    assert codes(result) == ["26389", "29263", "31645"]  # Long Thành (Đồng Nai), TP Trà Vinh, Long Phú (Sóc Trăng)
    assert resolve_address("Ấp Phú Hòa, X. Long Đức", home_province="92").communes[0].name == "Xã Đại Ngãi"


def test_numbered_ward_with_full_prefixes() -> None:
    result = resolve_address("Phường 4, Thành phố Trà Vinh, Tỉnh Trà Vinh")
    assert (result.status, codes(result)) == ("ok", ["29263"])


@pytest.mark.parametrize(
    "text", ["Phường 3, TP Trà Vinh", "P.3, TP. Trà Vinh", "P3 - TP Trà Vinh", "Phường 03, Trà Vinh"]
)
def test_reused_code_29242_was_phuong_3_and_is_phuong_tra_vinh(text: str) -> None:
    result = resolve_address(text)
    assert (result.status, [(c.code, c.name) for c in result.communes]) == ("ok", [("29242", "Phường Trà Vinh")])
    assert result.legacy.matches[0].commune is not None
    assert result.legacy.matches[0].commune.name == "Phường 3"


@pytest.mark.parametrize(("code", "old_name", "new_name"), [
    ("29242", "Phường 3", "Phường Trà Vinh"),
    ("29263", "Xã Long Đức", "Phường Long Đức"),
])  # fmt: skip
def test_bare_reused_code_matches_both_eras_and_says_so(code: str, old_name: str, new_name: str) -> None:
    result = resolve_address(code)
    assert (result.status, codes(result)) == ("ok", [code])
    assert result.legacy.eras == ("pre2025", "2025")
    assert [m.commune.name for m in result.legacy.matches if m.commune] == [old_name, new_name]


def test_ben_tre_commune_with_city_and_province() -> None:
    result = resolve_address("Xã Phú Hưng, TP Bến Tre, Bến Tre")
    assert (result.status, [(c.code, c.name) for c in result.communes]) == ("ok", [("28756", "Phường Phú Khương")])


def test_vinh_long_commune_with_district() -> None:
    result = resolve_address("Xã Thanh Đức, Huyện Long Hồ, Vĩnh Long")
    assert (result.status, [(c.code, c.name) for c in result.communes]) == ("ok", [("29590", "Phường Thanh Đức")])
    assert result.legacy.matches[0].province is not None
    assert result.legacy.matches[0].province.code == "86"  # the old Vĩnh Long province


def test_old_tra_vinh_address_under_the_new_province_name() -> None:
    result = resolve_address("Xã Long Đức, TP Trà Vinh, Tỉnh Vĩnh Long")
    assert (result.status, codes(result)) == ("ok", ["29263"])


def test_new_era_name() -> None:
    result = resolve_address("Phường Long Đức, Vĩnh Long")
    assert (result.status, codes(result)) == ("ok", ["29263"])
    assert result.legacy.eras == ("2025",)
    assert result.legacy.matches[0].district is None


def test_text_without_diacritics() -> None:
    result = resolve_address("xa long duc, tp tra vinh")
    assert (result.status, codes(result)) == ("ok", ["29263"])


@pytest.mark.parametrize(("text", "expected"), [
    ("Xã Vĩnh Hoà, Huyện Chợ Lách, Tỉnh Bến Tre", ("28901", "Xã Hưng Khánh Trung")),  # NSO spells it "Vĩnh Hòa"
    ("Phường Hoà Thuận, Vĩnh Long", ("29398", "Phường Hòa Thuận")),
    ("Phường 7, TP Trà Vinh", ("29254", "Phường Nguyệt Hóa")),
])  # fmt: skip
def test_tone_mark_placement_does_not_matter(text: str, expected: tuple[str, str]) -> None:
    result = resolve_address(text)
    assert (result.status, [(c.code, c.name) for c in result.communes]) == ("ok", [expected])


def test_spaced_dash_inside_an_official_name_is_not_a_separator() -> None:
    result = resolve_address("Phường 1, Thành phố Vũng Tàu, Tỉnh Bà Rịa - Vũng Tàu")
    assert (result.status, codes(result)) == ("ok", ["26506"])


def test_street_parts_and_dashes_are_reported_not_matched() -> None:
    result = resolve_address("Ấp 3 - Xã Long Đức - TP Trà Vinh")
    assert (result.status, codes(result), result.legacy.street) == ("ok", ["29263"], ("Ấp 3",))


# --- retired wards, wrong districts, not found ----------------------------------------------------------


def test_ward_retired_before_the_snapshot_resolves_through_the_sourced_supplement() -> None:
    result = resolve_address("P.2, TP. Trà Vinh, Trà Vinh")
    assert (result.status, codes(result)) == ("ok", ["29242"])
    (match,) = result.legacy.matches
    assert match.commune is not None and match.commune.code is None  # not in the NSO snapshot
    assert match.retired is not None and match.retired.merged_into.code == "29242"
    assert "1277/NQ-UBTVQH15" in match.retired.source
    assert "1277/NQ-UBTVQH15" in result.message_vi


def test_same_numbered_ward_of_another_district_never_answers() -> None:
    # Phường 2 of Thị xã Duyên Hải became Phường Trường Long Hòa (29516); TP Trà Vinh's Phường 2 did not.
    assert codes(resolve_address("Khóm 1, Phường 2, Thành phố Trà Vinh, Tỉnh Trà Vinh")) == ["29242"]
    assert codes(resolve_address("Phường 2, TX Duyên Hải")) == ["29516"]
    assert resolve_address("Phường 1, Huyện Duyên Hải").status == "not_found"  # only the Thị xã has wards


def test_retired_ward_without_a_sourced_merge_is_not_found() -> None:
    result = resolve_address("Phường 5, TP Bến Tre")
    assert (result.status, result.communes) == ("not_found", ())
    assert result.legacy.unrecognised == ("Phường 5",)
    assert "04/01/2025" in result.message_vi and "does not guess" in result.message_en


def test_unknown_name_is_not_found() -> None:
    result = resolve_address("Xã Không Có Thật, Huyện Càng Long")
    assert result.status == "not_found"
    assert result.legacy.unrecognised == ("Xã Không Có Thật",)


def test_district_alone_is_not_a_commune() -> None:
    result = resolve_address("TP Trà Vinh")
    assert (result.status, result.communes) == ("not_found", ())
    assert result.legacy.matches[0].district is not None
    assert result.legacy.matches[0].district.code == "842"


# --- split and ambiguous --------------------------------------------------------------------------------


def test_split_town_lists_every_new_commune() -> None:
    result = resolve_address("Thị trấn Tam Bình, Huyện Tam Bình, Tỉnh Vĩnh Long")
    assert result.status == "split"
    assert [(c.code, c.name) for c in result.communes] == [("29719", "Xã Tam Bình"), ("29836", "Xã Trà Côn")]
    assert result.legacy.matches[0].merge == "partial"


def test_split_ward_whose_code_was_reused() -> None:
    result = resolve_address("Phường Cái Vồn, Thị xã Bình Minh, Vĩnh Long")
    assert (result.status, codes(result)) == ("split", ["29770", "29771"])


@pytest.mark.parametrize(("era", "status", "expected"), [
    (None, "ambiguous", ["29719", "29836"]),  # old Thị trấn Tam Bình (split) vs new Xã Tam Bình
    ("pre2025", "split", ["29719", "29836"]),
    ("2025", "ok", ["29719"]),
])  # fmt: skip
def test_code_of_a_split_unit_depends_on_the_era(era: EraName | None, status: str, expected: list[str]) -> None:
    result = resolve_address("29719", era=era)
    assert (result.status, codes(result)) == (status, expected)


def test_same_name_in_three_districts_of_the_home_province_is_ambiguous() -> None:
    result = resolve_address("Xã Mỹ Hòa")
    assert result.status == "ambiguous"
    assert codes(result) == ["29122", "29416", "29770"]  # Ba Tri (83), Cầu Ngang (84), Bình Minh (86)
    assert result.legacy.home_province_assumed == "86"


def test_same_name_in_two_districts_of_ben_tre_is_ambiguous() -> None:
    result = resolve_address("Xã Vĩnh Hòa, Bến Tre")
    assert (result.status, codes(result)) == ("ambiguous", ["28901", "29110"])


def test_numbered_ward_without_district_is_ambiguous() -> None:
    result = resolve_address("Phường 2, Trà Vinh")
    assert (result.status, codes(result)) == ("ambiguous", ["29242", "29516"])


def test_lone_name_of_a_province_and_a_ward_is_ambiguous() -> None:
    result = resolve_address("Trà Vinh")  # Tỉnh Trà Vinh, Thành phố Trà Vinh, or today's Phường Trà Vinh?
    assert (result.status, codes(result)) == ("ambiguous", ["29242"])
    assert {m.province.code for m in result.legacy.matches if m.province} == {"84", "86"}


def test_a_district_with_the_2025_era_finds_nothing() -> None:
    assert resolve_address("Xã Long Đức, TP Trà Vinh", era="2025").status == "not_found"
    assert codes(resolve_address("Xã Long Đức, TP Trà Vinh", era="pre2025")) == ["29263"]


@pytest.mark.parametrize("text", ["", "  ,  - "])
def test_empty_address(text: str) -> None:
    assert resolve_address(text).status == "not_found"


def test_unloaded_lists_are_reported_and_not_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    builds: list[UnitIndex] = []

    def build_empty() -> UnitIndex:
        builds.append(UnitIndex(units={}, by_name={}, by_code={}, successors={}, old_provinces={}, new_provinces={}))
        return builds[-1]

    monkeypatch.setattr(index_module, "build_index", build_empty)
    reset_unit_index()
    result = resolve_address("Xã Long Đức, TP Trà Vinh")
    assert result.status == "not_found" and "dean06 units load" in result.message_en
    resolve_address("29263")
    assert len(builds) == 2  # built again once the lists are loaded, not stuck with the empty index
    monkeypatch.undo()
    reset_unit_index()
    assert resolve_address("29263").status == "ok"


def test_era_is_validated() -> None:
    with pytest.raises(ValueError, match="era"):
        resolve_address("29263", era="1990")  # type: ignore[arg-type]


def test_resolving_does_not_query_the_database_once_the_index_is_built(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    unit_index()
    with django_assert_num_queries(0):
        resolve_address("Ấp Phú Hòa, X. Long Đức, TP Trà Vinh")
        resolve_address("29719")


# --- CLI ------------------------------------------------------------------------------------------------


def run_resolve(*args: str) -> dict[str, object]:
    out = StringIO()
    call_command("units", "resolve", *args, stdout=out)
    parsed: dict[str, object] = json.loads(out.getvalue())
    return parsed


def test_cli_resolve_prints_the_documented_json() -> None:
    data = run_resolve("Xã Long Đức, TP Trà Vinh")
    assert list(data) == ["status", "communes", "legacy", "message_vi", "message_en"]
    assert data["status"] == "ok"
    assert data["communes"] == [{"code": "29263", "name": "Phường Long Đức", "province_code": "86"}]
    legacy = data["legacy"]
    assert isinstance(legacy, dict)
    assert list(legacy) == ["eras", "matches", "street", "unrecognised", "home_province_assumed"]
    assert legacy["matches"][0] == {
        "era": "pre2025",
        "commune": {"code": "29263", "name": "Xã Long Đức"},
        "district": {"code": "842", "name": "Thành phố Trà Vinh"},
        "province": {"code": "84", "name": "Tỉnh Trà Vinh"},
        "merge": "whole",
        "new_codes": ["29263"],
        "retired": None,
    }


def test_cli_resolve_options() -> None:
    assert run_resolve("29719", "--era", "pre2025")["status"] == "split"
    assert run_resolve("Ấp Phú Hòa, X. Long Đức", "--home-province", "")["status"] == "ambiguous"
    assert run_resolve("Phường 5, TP Bến Tre")["status"] == "not_found"


def test_cli_usage_error() -> None:
    with pytest.raises(CommandError):
        call_command("units", "resolve", "29263", "--era", "1990")


def test_cli_usage_error_exits_with_2() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(
        [sys.executable, "-m", "dean06", "units", "resolve"], cwd=ROOT, env=env, capture_output=True, check=False
    )
    assert done.returncode == 2


def test_cli_show_lists_predecessors_of_a_new_commune() -> None:
    out = StringIO()
    call_command("units", "show", "29263", "--era", "2025", stdout=out)
    shown = json.loads(out.getvalue())
    assert shown["name"] == "Phường Long Đức"
    assert {(p["code"], p["name"]) for p in shown["predecessors"]} == {("29236", "Phường 4"), ("29263", "Xã Long Đức")}


@pytest.mark.parametrize("text", ["Xã Tân Phú, Tỉnh Vĩnh Long", "Phường Cái Vồn, Tỉnh Vĩnh Long"])
def test_a_2025_commune_under_its_province_is_read_in_todays_units(text: str) -> None:
    """Old communes of the same names exist in old Vĩnh Long, but a three-tier address would name a district."""
    result = resolve_address(text)
    assert result.status == "ok" and result.communes[0].name == text.split(",")[0]
