"""The demo province generator: determinism, ID structure, realistic shares, households, and the database load."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Max
from pytest_django import DjangoDbBlocker

from dean06.core.models import AuditEvent, User
from dean06.demo import population as pop
from dean06.demo.loading import PopulationExistsError, geography_load, population_load
from dean06.demo.population import AS_OF, REFORM_DATE, Geography, HouseholdRow, PersonRow, population_generate
from dean06.registry.models import Household, Person
from dean06.registry.models.population import Gender, LifeStatus
from dean06.registry.models.units import Era, Level
from dean06.testing import factories
from dean06.testing.units import units_ensure
from dean06.text import fold, name_collation_key

SAMPLE = 5000
SEED = 6
HOME_PREFIXES = {"083", "084", "086"}
PHONE = re.compile(r"0[35789]\d{8}")


@pytest.fixture(scope="module")
def geography(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Geography:
    with django_db_blocker.unblock():
        units_ensure()  # a live-server test on this worker may have flushed them
        return geography_load()


@pytest.fixture(scope="module")
def households(geography: Geography) -> list[HouseholdRow]:
    return list(population_generate(geography, persons=SAMPLE, seed=SEED))


@pytest.fixture(scope="module")
def persons(households: list[HouseholdRow]) -> list[PersonRow]:
    return [p for h in households for p in h.members]


@pytest.fixture(scope="module")
def legacy_province(geography: Geography) -> dict[int, str]:
    return {c.id: c.province_code for c in geography.communes}


def _share(hits: int, total: int) -> float:
    return hits / total if total else 0.0


# Generation (pure)


def test_geography_is_the_whole_new_province(geography: Geography) -> None:
    successors = {n.id for c in geography.communes for n in c.successors}
    assert len(successors) == 124
    assert {c.province_code for c in geography.communes} == {"83", "84", "86"}
    assert geography.province == "Tỉnh Vĩnh Long"


def test_same_seed_same_rows_other_seed_other_rows(geography: Geography) -> None:
    first = list(population_generate(geography, persons=1500, seed=SEED))
    assert first == list(population_generate(geography, persons=1500, seed=SEED))
    assert first != list(population_generate(geography, persons=1500, seed=SEED + 1))


def test_golden_first_household(households: list[HouseholdRow]) -> None:
    """Pins the stream across processes and Python hash seeds. Changing name data or the generator's
    draws changes these rows on purpose: update them then, never to hide an accidental change."""
    first = households[0]
    assert (first.code, first.address) == ("HGD294670000001", "Ấp 9, Xã Tập Sơn, Tỉnh Vĩnh Long")
    assert [
        (p.personal_id, p.old_id, p.full_name, p.date_of_birth.isoformat(), p.relation) for p in first.members[:3]
    ] == [
        ("084064991978", "330245658", "Nguyễn Văn Hùng", "1964-12-30", "Chủ hộ"),
        ("084171993683", "335276365", "Trần Thanh Trinh", "1971-03-10", "Vợ"),
        ("084190652171", "", "Nguyễn Ngọc Ngân", "1990-12-19", "Con"),
    ]


def test_exactly_the_requested_number_of_persons(persons: list[PersonRow], geography: Geography) -> None:
    assert len(persons) == SAMPLE
    assert len({p.commune_id for p in persons}) == 124  # every 2025 commune of the province is populated
    (only,) = population_generate(geography, persons=1, seed=SEED)
    assert [p.is_household_head for p in only.members] == [True]


def test_the_stream_is_lazy(geography: Geography) -> None:
    """A billion persons cost nothing until consumed: nothing is built ahead."""
    household = next(population_generate(geography, persons=10**9, seed=SEED))
    assert household.number == 1


def test_personal_id_structure(persons: list[PersonRow]) -> None:
    allowed = HOME_PREFIXES | {prefix for prefix, _ in pop.OTHER_BIRTH_PREFIX_WEIGHTS}
    for person in persons:
        born, pid = person.date_of_birth, person.personal_id
        assert re.fullmatch(r"\d{12}", pid), pid
        assert pid[:3] in allowed
        assert int(pid[3]) == 2 * (born.year // 100 - 19) + (person.gender == Gender.FEMALE), pid
        assert pid[4:6] == f"{born.year % 100:02d}", pid
        if born >= REFORM_DATE:
            assert pid[:3] == pop.NEW_PROVINCE_ID_PREFIX
    home = sum(p.personal_id[:3] in HOME_PREFIXES for p in persons)
    assert 0.93 < _share(home, len(persons)) < 0.99  # a few percent registered their birth elsewhere


def test_ids_are_unique_and_old_ids_only_for_the_older(persons: list[PersonRow]) -> None:
    assert len({p.personal_id for p in persons}) == len(persons)
    old_ids = [p.old_id for p in persons if p.old_id]
    assert len(set(old_ids)) == len(old_ids)
    assert all(re.fullmatch(r"\d{9}", old_id) for old_id in old_ids)
    assert all(p.date_of_birth.year < 1995 for p in persons if p.old_id)
    older = [p for p in persons if p.date_of_birth.year < 1995]
    assert 0.5 < _share(sum(bool(p.old_id) for p in older), len(older)) < 0.7


def test_khmer_families_in_former_tra_vinh(households: list[HouseholdRow], legacy_province: dict[int, str]) -> None:
    counts: Counter[tuple[bool, bool]] = Counter()
    for household in households:
        for person in household.members:
            counts[(legacy_province[person.legacy_commune_id] == "84", household.khmer)] += 1
    tra_vinh = _share(counts[(True, True)], counts[(True, True)] + counts[(True, False)])
    elsewhere = _share(counts[(False, True)], counts[(False, True)] + counts[(False, False)])
    assert 0.22 < tra_vinh < 0.38
    assert elsewhere < 0.04


def test_surname_frequencies(households: list[HouseholdRow]) -> None:
    kinh = [p.full_name.split(" ")[0] for h in households if not h.khmer for p in h.members]
    khmer = Counter(p.full_name.split(" ")[0] for h in households if h.khmer for p in h.members)
    assert 0.26 < _share(kinh.count("Nguyễn"), len(kinh)) < 0.37
    assert [name for name, _ in Counter(kinh).most_common(3)] == ["Nguyễn", "Trần", "Lê"]
    assert khmer.most_common(1)[0][0] == "Thạch" and "Nguyễn" not in khmer


def test_deceased_share_and_dates(persons: list[PersonRow]) -> None:
    dead = [p for p in persons if p.status == LifeStatus.DECEASED]
    assert 0.004 < _share(len(dead), len(persons)) < 0.011
    assert all(p.death_date is None for p in persons if p.status == LifeStatus.ALIVE)
    assert all(p.death_date is not None and p.date_of_birth < p.death_date < AS_OF for p in dead)
    assert all(p.date_of_birth <= AS_OF for p in persons)


def test_households_are_coherent(households: list[HouseholdRow]) -> None:
    for household in households:
        head, *others = household.members
        assert head.is_household_head and head.relation == pop.HEAD
        assert not any(p.is_household_head for p in others)
        assert 1 <= len(household.members) <= pop.MAX_MEMBERS
        assert {(p.commune_id, p.legacy_commune_id, p.address) for p in household.members} == {
            (household.commune_id, head.legacy_commune_id, household.address)
        }


def test_generations_are_in_order(households: list[HouseholdRow]) -> None:
    """Children are at least 17 years younger than the head, grandchildren 34, parents 17 years older."""
    min_gap = {pop.CHILD: 17, pop.GRANDCHILD: 34, pop.FATHER: -17, pop.MOTHER: -17}
    for household in households:
        head_year = household.members[0].date_of_birth.year
        for person in household.members[1:]:
            gap = min_gap.get(person.relation)
            if gap is not None:
                year = person.date_of_birth.year
                assert (year - head_year >= gap) if gap > 0 else (head_year - year >= -gap), household


def test_children_take_the_fathers_surname(households: list[HouseholdRow]) -> None:
    checked = 0
    for household in households:
        fathers = (p for p in household.members if p.gender == Gender.MALE and p.relation in {pop.HEAD, pop.HUSBAND})
        father = next(fathers, None)
        if father is None:  # a mother heading the household alone
            continue
        for child in (p for p in household.members if p.relation == pop.CHILD):
            assert child.full_name.split(" ")[0] == father.full_name.split(" ")[0]
            checked += 1
    assert checked > 500


def test_age_pyramid_is_plausible(persons: list[PersonRow]) -> None:
    ages = [(AS_OF - p.date_of_birth).days // 365 for p in persons]
    assert 0.18 < _share(sum(a < 15 for a in ages), len(ages)) < 0.28
    assert 0.06 < _share(sum(a >= 65 for a in ages), len(ages)) < 0.14
    assert max(ages) <= 105


def test_names_are_nfc_with_search_and_sort_keys(persons: list[PersonRow]) -> None:
    for person in persons:
        assert person.full_name == unicodedata.normalize("NFC", person.full_name)
        assert person.name_key == fold(person.full_name)
        assert person.sort_name == name_collation_key(person.full_name)


def test_same_names_and_both_tone_styles_occur(persons: list[PersonRow]) -> None:
    repeated = [name for name, count in Counter(p.full_name for p in persons).items() if count > 1]
    assert len(repeated) > 50
    names = {p.full_name.split(" ")[-1] for p in persons}
    assert {"Hòa", "Hoà"} <= names and {"Thủy", "Thuỷ"} <= names


def test_addresses_use_old_and_new_units(households: list[HouseholdRow]) -> None:
    endings = Counter(h.address.rsplit(", ", 1)[-1] for h in households)
    assert endings["Tỉnh Vĩnh Long"] > endings["Tỉnh Trà Vinh"] > 0 and endings["Tỉnh Bến Tre"] > 0
    assert all(re.match(r"(Số \d+, )?(Ấp|Khóm) ", h.address) for h in households)


def test_phones_and_constants(persons: list[PersonRow]) -> None:
    assert all(p.phone == "" or PHONE.fullmatch(p.phone) for p in persons)
    assert 0.5 < _share(sum(bool(p.phone) for p in persons), len(persons)) < 0.85
    assert {p.gender for p in persons} == {Gender.MALE, Gender.FEMALE}
    assert {p.status for p in persons} == {LifeStatus.ALIVE, LifeStatus.DECEASED}


# Database load


@pytest.mark.django_db
def test_load_writes_the_stream() -> None:
    report = population_load(persons=2000, seed=SEED)
    assert (report.persons, Person.objects.count()) == (2000, 2000)
    assert Household.objects.count() == report.households
    assert Person.objects.filter(status=LifeStatus.DECEASED).count() == report.deceased
    assert not Person.objects.exclude(commune__era=Era.Y2025, commune__path__startswith="2025/86/").exists()
    legacy = Person.objects.filter(legacy_commune__era=Era.PRE2025, legacy_commune__level=Level.COMMUNE)
    assert legacy.filter(legacy_commune__path__regex=r"^pre2025/8[346]/").count() == 2000
    assert not Person.objects.exclude(household__commune=F("commune")).exists()
    assert Person.objects.filter(is_household_head=True).count() == report.households
    event = AuditEvent.objects.get(action="person.bulk_load")
    assert event.details["persons"] == 2000 and event.details["seed"] == SEED


@pytest.mark.django_db
def test_second_load_refuses_unless_replace() -> None:
    population_load(persons=300, seed=SEED)
    citizen = User.objects.create_user(username="congdan.thu", person=Person.objects.first())
    with pytest.raises(PopulationExistsError):
        population_load(persons=300, seed=SEED)
    report = population_load(persons=400, seed=SEED + 1, replace=True)
    assert (report.unlinked_accounts, Person.objects.count()) == (1, 400)
    citizen.refresh_from_db()
    assert citizen.person is None
    # The load gave households explicit ids; the id sequence must have moved past them.
    top = Household.objects.aggregate(top=Max("pk"))["top"]
    assert factories.household().pk > top


@pytest.mark.django_db
def test_command_prints_the_demo_accounts() -> None:
    out = StringIO()
    call_command("demo", persons=300, seed=SEED, stdout=out)
    text = out.getvalue()
    assert "Tài khoản mẫu / Demo accounts" in text and "motcua.longduc" in text and "Công an xã" in text
    assert "300 công dân" in text
    with pytest.raises(CommandError, match="--replace"):
        call_command("demo", persons=300, stdout=StringIO())
    out = StringIO()
    call_command("demo", persons=300, keep_existing=True, stdout=out)  # what bin/serve runs on every start
    assert "Giữ nguyên" in out.getvalue() and "congdan" in out.getvalue() and Person.objects.count() == 300
