"""The national population database adapter: what dean06 asks (CSDLQG về dân cư) and what it gets back.

Two implementations answer alike (`tests/test_population_contract.py` runs one suite on both): the local mirror
(`local.py`, the registry's Person table) and an HTTP client (`http.py`) for a configured endpoint, such as the
SANDBOX service (`sandbox.py`). Every call names the acting dean06 user and the purpose of the lookup.

Scoping: the national database is not divided by the province's units, but dean06's users are. Lookups by an
exact identifier (personal ID, old ID, the QR on a card) answer any user holding `person.view` over some unit:
the counter officer identifying the citizen in front of them, card in hand. A search by name is the fishing
kind, so it only covers the actor's own units (`visible_to`). Each call is audited (`population.lookup`,
`population.verify`) with purpose and identifiers, never the record itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal, Protocol

from django.utils.translation import gettext_lazy as _

from dean06.core.errors import ApplicationError

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User
    from dean06.core.roles import AccessPurpose

    Actor = User | AnonymousUser

Outcome = Literal["match", "no_match", "not_provided"]


@dataclass(frozen=True)
class PersonRecord:
    """A citizen as the population database answers: 2025 commune, no contact details."""

    personal_id: str
    old_id: str
    full_name: str
    date_of_birth: date
    gender: str
    commune_code: str
    commune_name: str
    address: str
    status: str
    death_date: date | None
    household_code: str | None


@dataclass(frozen=True)
class VerifyRequest:
    """Attributes to check against the record; those left out are answered "not_provided"."""

    full_name: str | None = None
    date_of_birth: date | None = None
    gender: str | None = None
    old_id: str | None = None


@dataclass(frozen=True)
class VerifyResult:
    """Match or not per attribute, like an ID authentication service: the record itself is not disclosed."""

    found: bool
    full_name: Outcome
    date_of_birth: Outcome
    gender: Outcome
    old_id: Outcome


class AdapterUnavailable(ApplicationError):  # noqa: N818  the name says what the caller must handle
    """The population service cannot be reached or answers nonsense; the caller may try again later."""

    status_code = 503
    default_message = _("Không kết nối được Cơ sở dữ liệu quốc gia về dân cư. Vui lòng thử lại sau.")


class AmbiguousIdentifier(ApplicationError):  # noqa: N818
    """An old ID number held by several persons: only the personal ID identifies one of them."""

    status_code = 409
    default_message = _("Số CMND này gắn với nhiều công dân; hãy tra cứu bằng số định danh cá nhân.")


class PopulationRegistry(Protocol):
    """Lookups return None when no one matches; `search` returns persons in the actor's units only."""

    def by_personal_id(self, personal_id: str, *, actor: Actor, purpose: AccessPurpose) -> PersonRecord | None: ...

    def by_old_id(self, old_id: str, *, actor: Actor, purpose: AccessPurpose) -> PersonRecord | None: ...

    def by_qr_payload(self, payload: str, *, actor: Actor, purpose: AccessPurpose) -> PersonRecord | None: ...

    def search(
        self, full_name: str, date_of_birth: date, commune_code: str, *, actor: Actor, purpose: AccessPurpose
    ) -> list[PersonRecord]: ...

    def verify(
        self, personal_id: str, attributes: VerifyRequest, *, actor: Actor, purpose: AccessPurpose
    ) -> VerifyResult: ...
