"""Population database lookups as JSON (mounted at /api/population/, session auth): thin wrappers around the
configured adapter, which checks permissions, scopes the name search and audits every call.

Lookups by exact identifier are not limited to the caller's units (see protocol.py); the name search is.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.http import HttpRequest
from ninja import Query, Router, Schema

from dean06.core.errors import NotFoundError
from dean06.core.roles import AccessPurpose
from dean06.identity.population.backends import get_population_registry
from dean06.identity.population.protocol import PersonRecord, VerifyRequest, VerifyResult

router = Router(tags=["population"])

# PostgreSQL text cannot hold a NUL byte: one in a searched name reached the SQL and answered 500 (found by
# schemathesis on PostgreSQL, tests/test_openapi.py); refused as invalid input (422) instead.
type SearchText = Annotated[str, Query(pattern=r"^[^\x00]*$")]


class QrIn(Schema):
    payload: str
    purpose: AccessPurpose


class VerifyIn(Schema):
    personal_id: str
    attributes: VerifyRequest
    purpose: AccessPurpose


def _found(record: PersonRecord | None) -> PersonRecord:
    if record is None:
        raise NotFoundError()
    return record


@router.get("/persons/by-id/{personal_id}", response=PersonRecord, url_name="population_by_id")
def by_id(request: HttpRequest, personal_id: str, purpose: AccessPurpose) -> PersonRecord:
    """The citizen with this 12-digit personal ID, whatever their commune; `purpose` is audited."""
    registry = get_population_registry()
    return _found(registry.by_personal_id(personal_id, actor=request.user, purpose=purpose))


@router.get("/persons/by-old-id/{old_id}", response=PersonRecord, url_name="population_by_old_id")
def by_old_id(request: HttpRequest, old_id: str, purpose: AccessPurpose) -> PersonRecord:
    """The citizen with this 9-digit CMND number; 409 when several persons carry it."""
    registry = get_population_registry()
    return _found(registry.by_old_id(old_id, actor=request.user, purpose=purpose))


@router.post("/persons/by-qr", response=PersonRecord, url_name="population_by_qr")
def by_qr(request: HttpRequest, body: QrIn) -> PersonRecord:
    """The citizen whose chip-card QR text (as the scanner delivers it) is given."""
    registry = get_population_registry()
    return _found(registry.by_qr_payload(body.payload, actor=request.user, purpose=body.purpose))


@router.get("/persons/search", response=list[PersonRecord], url_name="population_search")
def search(
    request: HttpRequest, full_name: SearchText, date_of_birth: date, commune: SearchText, purpose: AccessPurpose
) -> list[PersonRecord]:
    """Citizens of a 2025 commune inside the caller's units with this name (tone marks and case aside) and
    date of birth; a commune outside the caller's units gives an empty list."""
    registry = get_population_registry()
    return registry.search(full_name, date_of_birth, commune, actor=request.user, purpose=purpose)


@router.post("/persons/verify", response=VerifyResult, url_name="population_verify")
def verify(request: HttpRequest, body: VerifyIn) -> VerifyResult:
    """Match or not per attribute for a personal ID (`found: false` if no one has it); no record is disclosed."""
    registry = get_population_registry()
    return registry.verify(body.personal_id, body.attributes, actor=request.user, purpose=body.purpose)
