"""Registry endpoints: thin wrappers around the selectors (scoping and audit happen there)."""

from datetime import date

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination, paginate

from dean06.core.roles import AccessPurpose
from dean06.registry import selectors
from dean06.registry.models import Person
from dean06.registry.units.resolver import EraName, resolve_address

router = Router(tags=["registry"])


class PersonOut(Schema):
    id: int
    personal_id: str
    old_id: str
    full_name: str
    date_of_birth: date
    gender: str
    commune_code: str
    commune_name: str
    status: str


class PersonDetailOut(PersonOut):
    address: str
    household_code: str | None
    death_date: date | None
    phone: str


class BoundedPagination(LimitOffsetPagination):
    """Limit and offset within the database's integer range: ninja leaves them unbounded, and an offset of 2**63
    reached the SQL and answered 500 (found by schemathesis, tests/test_openapi.py); now it is a 422."""

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=2**31 - 1)
        offset: int = Field(0, ge=0, le=2**31 - 1)


# PostgreSQL text cannot hold a NUL byte: one in a search reached the SQL and answered 500 (found by schemathesis on
# PostgreSQL, tests/test_openapi.py); refused as invalid input (422) instead.
NO_NUL = r"^[^\x00]*$"


class PersonFilter(Schema):
    q: str = Field("", pattern=NO_NUL)
    commune: str = Field("", pattern=NO_NUL)


def _person_out(person: Person) -> dict[str, object]:
    return {
        "id": person.pk,
        "personal_id": person.personal_id,
        "old_id": person.old_id,
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth,
        "gender": person.gender,
        "commune_code": person.commune.code,
        "commune_name": person.commune.name,
        "status": person.status,
    }


@router.get("/persons", response=list[PersonOut], url_name="person_list")
@paginate(BoundedPagination)
def person_list(request: HttpRequest, filters: Query[PersonFilter]) -> list[dict[str, object]]:
    """Persons in the caller's units (name or ID search). Each page shown is audited."""
    persons = selectors.person_list(actor=request.user, query=filters.q, commune_code=filters.commune)
    return _AuditedPage(request, filters.q, persons)  # type: ignore[return-value]


@router.get("/persons/{person_id}", response=PersonDetailOut, url_name="person_detail")
def person_detail(request: HttpRequest, person_id: int, purpose: AccessPurpose) -> dict[str, object]:
    """One person's record; `purpose` is required and audited."""
    person = selectors.person_get(actor=request.user, person_id=person_id, purpose=purpose)
    return {
        **_person_out(person),
        "address": person.address,
        "household_code": person.household.code if person.household else None,
        "death_date": person.death_date,
        "phone": person.phone,
    }


@router.get("/units/resolve", url_name="unit_resolve")
def unit_resolve(request: HttpRequest, q: str, era: EraName | None = None) -> dict[str, object]:
    """Today's commune(s) for an old or new address or unit code; "ambiguous"/"split" instead of a guess."""
    return dict(resolve_address(q, era=era).as_dict())


class _AuditedPage:
    """A sliceable view of the person queryset that audits exactly the page the paginator takes."""

    def __init__(self, request: HttpRequest, query: str, persons: object) -> None:
        self.request, self.query, self.persons = request, query, persons

    def __len__(self) -> int:
        return self.persons.count()  # type: ignore[attr-defined, no-any-return]

    def count(self) -> int:
        return len(self)

    def __getitem__(self, page: slice) -> list[dict[str, object]]:
        shown = list(self.persons[page])  # type: ignore[index]
        selectors.person_list_audit(actor=self.request.user, query=self.query, shown=shown)
        return [_person_out(p) for p in shown]
