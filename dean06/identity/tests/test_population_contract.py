"""One contract, two implementations: every test runs against the local mirror and against the HTTP client
talking to the SANDBOX service over loopback (pytest-django's live server, so those runs are transactional)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from dean06.core.errors import ApplicationError, PermissionDeniedError
from dean06.core.models import AuditEvent, User
from dean06.core.roles import AccessPurpose, Role
from dean06.identity.population.base import RegistryBase
from dean06.identity.population.http import HttpPopulationRegistry
from dean06.identity.population.local import LocalPopulationRegistry
from dean06.identity.population.protocol import (
    AmbiguousIdentifier,
    PersonRecord,
    VerifyRequest,
    VerifyResult,
)
from dean06.registry.models import Person
from dean06.testing import factories

API_KEY = "khoa-hop-dong-thu-nghiem"
PURPOSE = AccessPurpose.PUBLIC_SERVICE
BORN = date(1990, 3, 4)


# The database marks must be static: pytest-django orders transactional tests last and creates the test
# database only for tests it knows use one (a fixture merely requested at run time would not count).
LOCAL = pytest.param("local", marks=pytest.mark.django_db)
HTTP = pytest.param("http", marks=pytest.mark.django_db(transaction=True))


@pytest.fixture(params=[LOCAL, HTTP])
def population(request: pytest.FixtureRequest) -> Iterator[RegistryBase]:
    if request.param == "local":
        yield LocalPopulationRegistry()
        return
    request.getfixturevalue("units_reloaded")  # the flush after each transactional test empties the unit tables
    server = request.getfixturevalue("live_server")
    settings = request.getfixturevalue("settings")
    settings.DEAN06_SANDBOX = True
    settings.DEAN06_SANDBOX_POPULATION_API_KEY = API_KEY
    client = HttpPopulationRegistry(server.url + reverse("identity:population_sandbox:api-root"), API_KEY, timeout=10)
    yield client
    client.session.close()  # no kept-alive connection outlives the test (the server thread would use the database)


@pytest.fixture
def citizen(population: RegistryBase) -> Person:
    return factories.person(
        full_name="Nguyễn Thị Hòa",
        old_id="331234567",
        date_of_birth=BORN,
        gender="Nữ",
        address="Số 12, Khóm 3, Phường Long Đức, Tỉnh Vĩnh Long",
        household=factories.household(code="HGD29263000001"),
    )


@pytest.fixture
def officer(population: RegistryBase) -> User:
    return factories.user_with_role(Role.ONE_STOP_OFFICER, factories.LONG_DUC)


def _qr(person: Person) -> str:
    return f"{person.personal_id}|{person.old_id}|{person.full_name}|04031990|Nữ|{person.address}|15042021\r\n"


def test_lookup_by_personal_id_gives_the_record(population: RegistryBase, citizen: Person, officer: User) -> None:
    record = population.by_personal_id(citizen.personal_id, actor=officer, purpose=PURPOSE)
    assert record == PersonRecord(
        personal_id=citizen.personal_id,
        old_id="331234567",
        full_name="Nguyễn Thị Hòa",
        date_of_birth=BORN,
        gender="Nữ",
        commune_code=factories.LONG_DUC,
        commune_name="Phường Long Đức",
        address="Số 12, Khóm 3, Phường Long Đức, Tỉnh Vĩnh Long",
        status="alive",
        death_date=None,
        household_code="HGD29263000001",
    )


def test_lookup_by_old_id_and_by_qr(population: RegistryBase, citizen: Person, officer: User) -> None:
    assert population.by_old_id("331234567", actor=officer, purpose=PURPOSE) == population.by_qr_payload(
        _qr(citizen), actor=officer, purpose=PURPOSE
    )
    record = population.by_old_id("331234567", actor=officer, purpose=PURPOSE)
    assert record is not None and record.personal_id == citizen.personal_id


def test_deceased_person_is_reported_as_such(population: RegistryBase, officer: User) -> None:
    person = factories.person(status="deceased", death_date=date(2024, 8, 1))
    record = population.by_personal_id(person.personal_id, actor=officer, purpose=PURPOSE)
    assert record is not None and (record.status, record.death_date) == ("deceased", date(2024, 8, 1))


def test_exact_lookups_are_not_limited_to_the_actor_units(population: RegistryBase, citizen: Person) -> None:
    # A counter officer of Phường Trà Vinh identifies a Long Đức citizen who shows their card.
    elsewhere = factories.user_with_role(Role.ONE_STOP_OFFICER, factories.TRA_VINH)
    assert population.by_personal_id(citizen.personal_id, actor=elsewhere, purpose=PURPOSE) is not None
    assert population.by_old_id(citizen.old_id, actor=elsewhere, purpose=PURPOSE) is not None
    assert population.by_qr_payload(_qr(citizen), actor=elsewhere, purpose=PURPOSE) is not None
    assert population.verify(citizen.personal_id, VerifyRequest(), actor=elsewhere, purpose=PURPOSE).found


def test_no_one_found_is_none(population: RegistryBase, citizen: Person, officer: User) -> None:
    assert population.by_personal_id("084099999999", actor=officer, purpose=PURPOSE) is None
    assert population.by_old_id("339999999", actor=officer, purpose=PURPOSE) is None
    payload = _qr(citizen).replace(citizen.personal_id, "084099999999")
    assert population.by_qr_payload(payload, actor=officer, purpose=PURPOSE) is None


def test_typed_numbers_are_forgiven_spacing_and_lost_zeros(
    population: RegistryBase, citizen: Person, officer: User
) -> None:
    spaced = f"{citizen.personal_id[:3]} {citizen.personal_id[3:6]} {citizen.personal_id[6:]}"
    assert population.by_personal_id(spaced, actor=officer, purpose=PURPOSE) is not None
    assert population.by_personal_id(citizen.personal_id[1:], actor=officer, purpose=PURPOSE) is not None


@pytest.mark.parametrize("number", ["12345", "0840850000011234", "08408500000A"])
def test_malformed_numbers_are_refused(population: RegistryBase, officer: User, number: str) -> None:
    with pytest.raises(ApplicationError) as refused:
        population.by_personal_id(number, actor=officer, purpose=PURPOSE)
    assert refused.value.status_code == 400
    with pytest.raises(ApplicationError):
        population.by_old_id(number, actor=officer, purpose=PURPOSE)


def test_malformed_qr_is_refused(population: RegistryBase, citizen: Person, officer: User) -> None:
    for payload in ("", "not a card", _qr(citizen).replace("04031990", "31021990")):
        with pytest.raises(ApplicationError) as refused:
            population.by_qr_payload(payload, actor=officer, purpose=PURPOSE)
        assert refused.value.status_code == 400 and refused.value.message


def test_old_id_of_two_persons_is_ambiguous(population: RegistryBase, officer: User) -> None:
    factories.person(old_id="331111111")
    factories.person(old_id="331111111")
    with pytest.raises(AmbiguousIdentifier) as refused:
        population.by_old_id("331111111", actor=officer, purpose=PURPOSE)
    assert refused.value.status_code == 409


def test_search_compares_names_without_tone_style_or_case(
    population: RegistryBase, citizen: Person, officer: User
) -> None:
    factories.person(full_name="Nguyễn Thị Hòa", date_of_birth=date(1991, 3, 4))  # another birthday
    factories.person(full_name="Nguyễn Thị Hòa", date_of_birth=BORN, commune_code=factories.TRA_VINH)
    for name in ("Nguyễn Thị Hoà", "NGUYỄN THỊ HÒA", "nguyen thi hoa", " Nguyễn  Thị Hòa "):
        found = population.search(name, BORN, factories.LONG_DUC, actor=officer, purpose=PURPOSE)
        assert [r.personal_id for r in found] == [citizen.personal_id], name
    assert population.search("Nguyễn Thị Hà", BORN, factories.LONG_DUC, actor=officer, purpose=PURPOSE) == []


def test_search_covers_only_the_actor_units(population: RegistryBase, citizen: Person) -> None:
    elsewhere = factories.user_with_role(Role.ONE_STOP_OFFICER, factories.TRA_VINH)
    assert population.search(citizen.full_name, BORN, factories.LONG_DUC, actor=elsewhere, purpose=PURPOSE) == []
    province = factories.user_with_role(Role.WORKING_GROUP, factories.PROVINCE)
    found = population.search(citizen.full_name, BORN, factories.LONG_DUC, actor=province, purpose=PURPOSE)
    assert [r.personal_id for r in found] == [citizen.personal_id]
    assert population.search(citizen.full_name, BORN, "99999", actor=province, purpose=PURPOSE) == []


def test_verify_answers_per_attribute(population: RegistryBase, citizen: Person, officer: User) -> None:
    everything = VerifyRequest(full_name="nguyễn thị hoà", date_of_birth=BORN, gender="Nữ", old_id="331234567")
    assert population.verify(citizen.personal_id, everything, actor=officer, purpose=PURPOSE) == VerifyResult(
        found=True, full_name="match", date_of_birth="match", gender="match", old_id="match"
    )
    wrong = VerifyRequest(full_name="Nguyễn Thị Hà", date_of_birth=date(1990, 4, 3))
    assert population.verify(citizen.personal_id, wrong, actor=officer, purpose=PURPOSE) == VerifyResult(
        found=True, full_name="no_match", date_of_birth="no_match", gender="not_provided", old_id="not_provided"
    )
    unknown = population.verify("084099999999", VerifyRequest(gender="Nữ"), actor=officer, purpose=PURPOSE)
    assert unknown == VerifyResult(
        found=False, full_name="not_provided", date_of_birth="not_provided", gender="no_match", old_id="not_provided"
    )


def test_verify_keeps_vowels_apart(population: RegistryBase, officer: User) -> None:
    person = factories.person(full_name="Lê Văn Tú")
    for name, outcome in (("LÊ VĂN TÚ", "match"), ("Lệ Văn Tú", "no_match"), ("Le Van Tu", "no_match")):
        result = population.verify(person.personal_id, VerifyRequest(full_name=name), actor=officer, purpose=PURPOSE)
        assert result.full_name == outcome, name


def test_every_call_needs_person_view(population: RegistryBase, citizen: Person) -> None:
    receptionist = factories.user_with_role(Role.CLINIC_RECEPTIONIST, factories.LONG_DUC)  # unit.view only
    for actor in (receptionist, AnonymousUser()):
        with pytest.raises(PermissionDeniedError):
            population.by_personal_id(citizen.personal_id, actor=actor, purpose=PURPOSE)
        with pytest.raises(PermissionDeniedError):
            population.by_old_id(citizen.old_id, actor=actor, purpose=PURPOSE)
        with pytest.raises(PermissionDeniedError):
            population.by_qr_payload(_qr(citizen), actor=actor, purpose=PURPOSE)
        with pytest.raises(PermissionDeniedError):
            population.search(citizen.full_name, BORN, factories.LONG_DUC, actor=actor, purpose=PURPOSE)
        with pytest.raises(PermissionDeniedError):
            population.verify(citizen.personal_id, VerifyRequest(), actor=actor, purpose=PURPOSE)
    assert not AuditEvent.objects.filter(action__startswith="population").exists()


def test_every_call_is_audited_with_identifiers_only(population: RegistryBase, citizen: Person, officer: User) -> None:
    population.by_personal_id(citizen.personal_id, actor=officer, purpose=AccessPurpose.VERIFICATION)
    population.by_old_id("339999999", actor=officer, purpose=PURPOSE)
    population.by_qr_payload(_qr(citizen), actor=officer, purpose=PURPOSE)
    population.search("Nguyen Thi Hoa", BORN, factories.LONG_DUC, actor=officer, purpose=PURPOSE)
    population.verify(citizen.personal_id, VerifyRequest(date_of_birth=BORN), actor=officer, purpose=PURPOSE)

    lookups = list(AuditEvent.objects.filter(action="population.lookup").order_by("seq"))
    assert [(e.details["by"], e.details["answered"]) for e in lookups] == [
        ("personal_id", [citizen.personal_id]),
        ("old_id", []),
        ("qr", [citizen.personal_id]),
        ("search", [citizen.personal_id]),
    ]
    assert lookups[0].purpose == "verification" and lookups[0].object_id == citizen.personal_id
    assert lookups[1].details["query"] == "339999999" and lookups[1].object_id == ""
    assert lookups[3].details["query"] == {
        "full_name": "Nguyen Thi Hoa",
        "date_of_birth": "1990-03-04",
        "commune": factories.LONG_DUC,
    }
    verified = AuditEvent.objects.get(action="population.verify")
    assert verified.object_id == citizen.personal_id and verified.details["found"] is True
    assert verified.details["outcomes"]["date_of_birth"] == "match"
    assert {e.actor_id for e in [*lookups, verified]} == {officer.pk}
    assert {e.details["backend"] for e in [*lookups, verified]} == {population.backend}
    logged = json.dumps([e.details for e in [*lookups, verified]], ensure_ascii=False)
    assert citizen.address not in logged and "1990-03-04" not in json.dumps(verified.details)
