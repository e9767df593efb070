"""Reads of registry data. Every person-bearing read goes through `visible_to` and is audited."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import BigIntegerField, Count, Q, QuerySet
from django.db.models.functions import Cast

from dean06.core.access import access_by_id, has_permission, require_permission, visible_to
from dean06.core.audit import audit_record
from dean06.core.models import User
from dean06.core.roles import AccessPurpose, Permission
from dean06.registry.models import AdministrativeUnit, Person
from dean06.registry.models.population import LifeStatus
from dean06.registry.models.units import Era, Level
from dean06.text import fold

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    Actor = User | AnonymousUser


def _person_search(queryset: QuerySet[Person], query: str) -> QuerySet[Person]:
    query = query.strip()
    if not query:
        return queryset
    digits = "".join(ch for ch in query if ch.isdigit())
    if digits and len(digits) == len(query.replace(" ", "")):
        return queryset.filter(Q(personal_id__startswith=digits) | Q(old_id__startswith=digits))
    return queryset.filter(name_key__contains=fold(query))


def person_list(*, actor: Actor, query: str = "", commune_code: str = "") -> QuerySet[Person]:
    """Persons in the actor's units matching a name or ID query (unevaluated, for paging)."""
    require_permission(actor, Permission.PERSON_VIEW)
    persons = visible_to(Person.objects.select_related("commune"), actor=actor, permission=Permission.PERSON_VIEW)
    if commune_code:
        persons = persons.filter(commune__era=Era.Y2025, commune__code=commune_code)
    return _person_search(persons, query).order_by("sort_name", "personal_id")


def person_list_audit(*, actor: Actor, query: str, shown: list[Person]) -> None:
    """Record that a page of search results (names and IDs) was shown to the actor."""
    audit_record(
        actor=actor,
        action="person.list",
        object_type="registry.person",
        details={"query": query, "count": len(shown), "ids": [p.pk for p in shown]},
    )


def person_get(*, actor: Actor, person_id: int | str, purpose: AccessPurpose | str) -> Person:
    """One person's full record, audited with the purpose; NotFoundError if missing or out of scope."""
    person = access_by_id(
        Person.objects.select_related("commune", "commune__parent", "legacy_commune", "household"),
        actor=actor,
        permission=Permission.PERSON_VIEW,
        pk=person_id,
    )
    audit_record(actor=actor, action="person.read", obj=person, purpose=str(purpose))
    return person


def person_export_rows(*, actor: Actor, query: str = "", purpose: str) -> Iterator[Person]:
    """Persons the actor may export, streamed; the export is audited once with its row count."""
    require_permission(actor, Permission.PERSON_EXPORT)
    persons = visible_to(Person.objects.select_related("commune"), actor=actor, permission=Permission.PERSON_EXPORT)
    persons = _person_search(persons, query).order_by("sort_name", "personal_id")
    audit_record(
        actor=actor,
        action="person.export",
        object_type="registry.person",
        purpose=purpose,
        details={"query": query, "count": persons.count()},
    )
    return persons.iterator(chunk_size=2000)


def commune_list(*, province_code: str) -> QuerySet[AdministrativeUnit]:
    """Today's communes of a province."""
    return AdministrativeUnit.objects.filter(era=Era.Y2025, level=Level.COMMUNE, parent__code=province_code).order_by(
        "name"
    )


@dataclass(frozen=True)
class CommuneCount:
    name: str
    count: int


@dataclass(frozen=True)
class PersonCounts:
    """How many persons the actor may see; counts only, so no audit entry (no one's data is shown)."""

    total: int
    deceased: int
    top_communes: list[CommuneCount]
    other_communes: int


def person_counts(*, actor: Actor, top: int = 5) -> PersonCounts | None:
    """Counts over the persons visible to `actor`, largest communes first; None without PERSON_VIEW."""
    if not has_permission(actor, Permission.PERSON_VIEW):
        return None
    persons = visible_to(Person.objects.all(), actor=actor, permission=Permission.PERSON_VIEW)
    by_commune = [
        CommuneCount(row["commune__name"], row["count"])
        for row in persons.values("commune__name").annotate(count=Count("pk")).order_by("-count", "commune__name")
    ]
    return PersonCounts(
        total=sum(c.count for c in by_commune),
        deceased=persons.filter(status=LifeStatus.DECEASED).count(),
        top_communes=by_commune[:top],
        other_communes=max(len(by_commune) - top, 0),
    )


def person_own_get(*, actor: Actor) -> Person | None:
    """A citizen's own population record (the data subject's right of access), audited like any read."""
    if not isinstance(actor, User) or actor.kind != User.Kind.CITIZEN or actor.person_id is None:
        return None
    person = Person.objects.select_related("commune", "household").get(pk=actor.person_id)
    audit_record(actor=actor, action="person.read_own", obj=person)
    return person


# --- KPI facts for monitoring (counts only, no personal data) ---------------------------------------------------

from datetime import date, datetime  # noqa: E402

from dean06.core.models import AuditEvent  # noqa: E402

EID_LOGIN_ACTION = "eid.login"
PERSON_OBJECT_TYPE = "registry.person"


@dataclass(frozen=True)
class EidLevelFacts:
    """Adults living in a unit on a day, and how many of them logged in with a level-2 e-ID by then."""

    adults: int
    level2_logins: int  # distinct persons; a lower bound of the level-2 holders
    any_level2_login: bool  # whether the platform has recorded any level-2 login at all by then


def kpi_eid_level2_facts(*, unit_path: str, adult_age: int, on: date, until: datetime) -> EidLevelFacts:
    """Alive persons of the unit (or any unit inside it) aged `adult_age` or more on `on`, and those among them
    with an `eid.login` audit entry at level 2 before `until`. Counts only: no audit entry."""
    try:
        born_by = on.replace(year=on.year - adult_age)
    except ValueError:  # 29 February
        born_by = on.replace(year=on.year - adult_age, day=28)
    adults = Person.objects.filter(
        commune__path__startswith=unit_path, date_of_birth__lte=born_by, status=LifeStatus.ALIVE
    )
    logins = AuditEvent.objects.filter(
        action=EID_LOGIN_ACTION, object_type=PERSON_OBJECT_TYPE, details__level=2, at__lt=until
    )
    # One query, no 7,000-id IN list. The audit log keeps ids as text: the subquery casts them (person entries hold
    # digits only), so that the persons' primary key index still serves the semi-join.
    person_ids = logins.order_by().annotate(person_id=Cast("object_id", BigIntegerField())).values("person_id")
    with_login = adults.filter(pk__in=person_ids)
    return EidLevelFacts(adults=adults.count(), level2_logins=with_login.count(), any_level2_login=logins.exists())
