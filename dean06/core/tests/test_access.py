"""visible_to / access_by_id / require_permission, exhaustively (ADR-0003)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from dean06.core.access import access_by_id, has_permission, require_permission, visible_to
from dean06.core.errors import NotFoundError, PermissionDeniedError
from dean06.core.models import RoleAssignment
from dean06.core.roles import ROLE_PERMISSIONS, Permission, Role
from dean06.registry.models import Person
from dean06.testing import factories

pytestmark = pytest.mark.django_db

BEN_TRE_WARD = "28756"  # Phường Phú Khương (former TP Bến Tre), also province 86
HANOI_WARD = "00004"  # Phường Ba Đình, Hà Nội


def _visible(actor: object, permission: Permission = Permission.PERSON_VIEW) -> set[str]:
    queryset = visible_to(Person.objects.all(), actor=actor, permission=permission)  # type: ignore[arg-type]
    return set(queryset.values_list("personal_id", flat=True))


@pytest.fixture
def people() -> dict[str, Person]:
    return {
        "long_duc": factories.person(factories.LONG_DUC),
        "tra_vinh": factories.person(factories.TRA_VINH),
        "ben_tre": factories.person(BEN_TRE_WARD),
        "hanoi": factories.person(HANOI_WARD),
    }


def test_commune_role_sees_only_its_commune(people: dict[str, Person]) -> None:
    officer = factories.user_with_role(Role.COMMUNE_POLICE, factories.LONG_DUC)
    assert _visible(officer) == {people["long_duc"].personal_id}


def test_province_role_sees_every_commune_inside(people: dict[str, Person]) -> None:
    group = factories.user_with_role(Role.WORKING_GROUP, factories.PROVINCE)
    expected = {people[k].personal_id for k in ("long_duc", "tra_vinh", "ben_tre")}
    assert _visible(group) == expected


def test_several_grants_add_up(people: dict[str, Person]) -> None:
    officer = factories.user_with_role(Role.COMMUNE_POLICE, factories.LONG_DUC)
    RoleAssignment.objects.create(user=officer, role=Role.ONE_STOP_OFFICER, unit=factories.unit(factories.TRA_VINH))
    assert _visible(officer) == {people["long_duc"].personal_id, people["tra_vinh"].personal_id}


def test_role_without_the_permission_sees_nothing(people: dict[str, Person]) -> None:
    receptionist = factories.user_with_role(Role.CLINIC_RECEPTIONIST, factories.PROVINCE)
    assert _visible(receptionist) == set()
    assert not has_permission(receptionist, Permission.PERSON_VIEW)
    with pytest.raises(PermissionDeniedError):
        require_permission(receptionist, Permission.PERSON_VIEW)


def test_export_is_a_separate_permission(people: dict[str, Person]) -> None:
    one_stop = factories.user_with_role(Role.ONE_STOP_OFFICER, factories.LONG_DUC)
    assert _visible(one_stop) == {people["long_duc"].personal_id}
    assert _visible(one_stop, Permission.PERSON_EXPORT) == set()


@pytest.mark.parametrize("actor_kind", ["anonymous", "no_roles", "inactive", "superuser_without_role"])
def test_actors_without_grants_see_nothing(people: dict[str, Person], actor_kind: str) -> None:
    actor: object
    if actor_kind == "anonymous":
        actor = AnonymousUser()
    elif actor_kind == "no_roles":
        actor = factories.user_with_role(None)
    elif actor_kind == "inactive":
        actor = factories.user_with_role(Role.WORKING_GROUP, factories.PROVINCE, is_active=False)
    else:
        actor = factories.user_with_role(None, is_superuser=True, is_staff=True)
    assert _visible(actor) == set()


def test_legacy_unit_grant_does_not_leak_into_the_2025_tree(people: dict[str, Person]) -> None:
    officer = factories.user_with_role(None)
    RoleAssignment.objects.create(
        user=officer, role=Role.COMMUNE_POLICE, unit=factories.unit(factories.LONG_DUC, era="pre2025")
    )
    assert _visible(officer) == set()


def test_access_by_id_hides_out_of_scope_rows_as_not_found(people: dict[str, Person]) -> None:
    officer = factories.user_with_role(Role.COMMUNE_POLICE, factories.LONG_DUC)
    own = access_by_id(Person.objects.all(), actor=officer, permission=Permission.PERSON_VIEW, pk=people["long_duc"].pk)
    assert own == people["long_duc"]
    for pk in (people["tra_vinh"].pk, 10**9, "not-a-number"):
        with pytest.raises(NotFoundError):
            access_by_id(Person.objects.all(), actor=officer, permission=Permission.PERSON_VIEW, pk=pk)


def test_require_permission_over_a_unit_path() -> None:
    officer = factories.user_with_role(Role.COMMUNE_POLICE, factories.LONG_DUC)
    require_permission(officer, Permission.PERSON_CHANGE, unit_path=factories.unit(factories.LONG_DUC).path)
    with pytest.raises(PermissionDeniedError):
        require_permission(officer, Permission.PERSON_CHANGE, unit_path=factories.unit(factories.TRA_VINH).path)


def test_every_role_has_a_permission_set() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert ROLE_PERMISSIONS[Role.SYSTEM_ADMIN] == frozenset(Permission)
