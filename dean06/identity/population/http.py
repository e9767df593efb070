"""HTTP client of a population service speaking the protocol of `wire.py` (the SANDBOX service, or a gateway
to the national database). Permission checks and the audit stay on dean06's side (`RegistryBase`); the
service learns who is asking and why from two headers, for its own log."""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import requests
from django.utils.translation import gettext as _
from pydantic import BaseModel, ValidationError

from dean06.core import context
from dean06.core.access import granted_unit_paths
from dean06.core.roles import AccessPurpose, Permission
from dean06.identity.population.base import RegistryBase
from dean06.identity.population.protocol import (
    AdapterUnavailable,
    AmbiguousIdentifier,
    PersonRecord,
    VerifyRequest,
    VerifyResult,
)
from dean06.identity.population.wire import (
    API_KEY_HEADER,
    PURPOSE_HEADER,
    USER_HEADER,
    PersonAnswer,
    PersonsAnswer,
    VerifyAnswer,
    VerifyQuestion,
)
from dean06.registry.models import AdministrativeUnit
from dean06.registry.models.units import Era, Level

if TYPE_CHECKING:
    from dean06.identity.population.protocol import Actor

logger = logging.getLogger(__name__)


def commune_in_scope(actor: Actor, commune_code: str) -> bool:
    """Whether a 2025 commune lies inside a unit where the actor holds person.view (what `visible_to` does for
    local rows, applied to the remote answer's one commune)."""
    path = (
        AdministrativeUnit.objects.filter(era=Era.Y2025, level=Level.COMMUNE, code=commune_code)
        .values_list("path", flat=True)
        .first()
    )
    return path is not None and any(path.startswith(p) for p in granted_unit_paths(actor, Permission.PERSON_VIEW))


class HttpPopulationRegistry(RegistryBase):
    backend = "http"

    def __init__(self, base_url: str, api_key: str, *, timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update({API_KEY_HEADER: api_key, "Accept": "application/json"})

    def _by_personal_id(self, personal_id: str, *, actor: Actor, purpose: AccessPurpose) -> PersonRecord | None:
        answer = self._call("GET", f"/persons/by-id/{personal_id}", PersonAnswer, actor=actor, purpose=purpose)
        return answer.person

    def _by_old_id(self, old_id: str, *, actor: Actor, purpose: AccessPurpose) -> PersonRecord | None:
        answer = self._call("GET", f"/persons/by-old-id/{old_id}", PersonAnswer, actor=actor, purpose=purpose)
        return answer.person

    def _search(
        self, full_name: str, date_of_birth: date, commune_code: str, *, actor: Actor, purpose: AccessPurpose
    ) -> list[PersonRecord]:
        if not commune_in_scope(actor, commune_code):
            return []  # the national database would answer for any commune: dean06's users may not ask
        params = {"full_name": full_name, "date_of_birth": date_of_birth.isoformat(), "commune": commune_code}
        answer = self._call("GET", "/persons/search", PersonsAnswer, actor=actor, purpose=purpose, params=params)
        return answer.persons

    def _verify(
        self, personal_id: str, attributes: VerifyRequest, *, actor: Actor, purpose: AccessPurpose
    ) -> VerifyResult:
        question = VerifyQuestion(personal_id=personal_id, attributes=attributes).model_dump(mode="json")
        answer = self._call("POST", "/persons/verify", VerifyAnswer, actor=actor, purpose=purpose, json=question)
        return answer.result

    def _call[A: BaseModel](
        self, method: str, path: str, answer: type[A], *, actor: Actor, purpose: AccessPurpose, **request: Any
    ) -> A:
        headers = {USER_HEADER: quote(actor.get_username()), PURPOSE_HEADER: str(purpose)}
        if request_id := context.request_id.get():
            headers["X-Request-ID"] = request_id  # the service's log entry joins dean06's
        url = self.base_url + path
        try:
            response = self.session.request(method, url, headers=headers, timeout=self.timeout, **request)
        except requests.Timeout as error:
            logger.warning("population service %s timed out: %s", url, error)
            raise AdapterUnavailable(
                _("Cơ sở dữ liệu quốc gia về dân cư không trả lời trong %(seconds)s giây. Vui lòng thử lại sau.")
                % {"seconds": f"{self.timeout:g}"}
            ) from error
        except requests.RequestException as error:
            logger.warning("population service %s unreachable: %s", url, error)
            raise AdapterUnavailable() from error
        return self._answer(response, answer)

    def _answer[A: BaseModel](self, response: requests.Response, answer: type[A]) -> A:
        if response.status_code == 409:
            raise AmbiguousIdentifier()
        if response.status_code in (401, 403):
            logger.error("population service refused the API key: %s %s", response.status_code, response.url)
            raise AdapterUnavailable(
                _("Cơ sở dữ liệu quốc gia về dân cư từ chối kết nối của hệ thống (khóa API). Hãy báo quản trị viên.")
            )
        try:
            if response.status_code != 200:
                raise ValueError(response.status_code)
            return answer.model_validate(response.json())
        except (ValueError, ValidationError) as error:  # requests' JSON errors are ValueErrors too
            logger.error("population service gave a bad answer: %s %s: %s", response.status_code, response.url, error)
            raise AdapterUnavailable(
                _("Cơ sở dữ liệu quốc gia về dân cư trả lời không hợp lệ (HTTP %(status)s). Vui lòng thử lại sau.")
                % {"status": response.status_code}
            ) from error
