"""The SANDBOX population service: the local mirror served over HTTP in the protocol of `wire.py`, so that the
HTTP client is tested for real (over loopback) and a demo can run with DEAN06_POPULATION_BACKEND=http.

- 404 for every URL unless DEAN06_SANDBOX is true;
- the API key of DEAN06_SANDBOX_POPULATION_API_KEY in `X-Api-Key` (401 otherwise; an empty key refuses all);
- the acting user and purpose in `X-Dean06-User` / `X-Dean06-Purpose` (400 without), audited here as
  `population_sandbox.lookup` / `population_sandbox.verify`: the national system keeps its own log;
- every answer says SANDBOX: the `X-Dean06-Sandbox: true` header and `"sandbox": true`.
It applies no scoping: the national database serves the whole country to a connected system, and dean06
scopes its own users before asking (`RegistryBase`, `http.commune_in_scope`).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.security import APIKeyHeader

from dean06.core.errors import ApplicationError
from dean06.core.roles import AccessPurpose
from dean06.identity.population.base import audit_lookup, audit_verify
from dean06.identity.population.local import mirror_by_old_id, mirror_by_personal_id, mirror_search, mirror_verify
from dean06.identity.population.protocol import PersonRecord
from dean06.identity.population.wire import (
    API_KEY_HEADER,
    PURPOSE_HEADER,
    SANDBOX_HEADER,
    USER_HEADER,
    PersonAnswer,
    PersonsAnswer,
    VerifyAnswer,
    VerifyQuestion,
)
from dean06.text import nfc


def _sandbox_only[V: Callable[..., Any]](view: V) -> V:
    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not settings.DEAN06_SANDBOX:
            raise Http404
        return view(request, *args, **kwargs)

    return checked  # type: ignore[return-value]


class _SandboxAPI(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        response[SANDBOX_HEADER] = "true"
        return response


class _ApiKey(APIKeyHeader):
    param_name = API_KEY_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> bool | None:
        expected = settings.DEAN06_SANDBOX_POPULATION_API_KEY
        return bool(expected and key and hmac.compare_digest(key.encode(), expected.encode())) or None


sandbox_api = _SandboxAPI(
    title="dean06 SANDBOX — population service",
    version="1",
    description="SANDBOX: the local registry mirror in the population service protocol (docs/adapters.md).",
    auth=_ApiKey(),
    urls_namespace="identity:population_sandbox",
    docs_url=None,
    docs_decorator=_sandbox_only,
)
sandbox_api.add_decorator(_sandbox_only, mode="view")


@sandbox_api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return sandbox_api.create_response(request, {"detail": exc.message}, status=exc.status_code)


@dataclass(frozen=True)
class _Caller:
    username: str
    purpose: str


def _caller(request: HttpRequest) -> _Caller:
    username = unquote(request.headers.get(USER_HEADER, "")).strip()
    purpose = request.headers.get(PURPOSE_HEADER, "")
    if not username or purpose not in AccessPurpose.values:
        raise ApplicationError(_("Cần tên người tra cứu (X-Dean06-User) và mục đích hợp lệ (X-Dean06-Purpose)."))
    return _Caller(username, purpose)


def _looked_up(caller: _Caller, by: str, query: str | dict[str, str], records: list[PersonRecord]) -> None:
    audit_lookup(
        actor=None,
        action="population_sandbox.lookup",
        purpose=caller.purpose,
        by=by,
        query=query,
        records=records,
        acting_user=caller.username,
    )


@sandbox_api.get("/persons/by-id/{personal_id}", response=PersonAnswer, url_name="by_id")
def by_id(request: HttpRequest, personal_id: str) -> PersonAnswer:
    caller = _caller(request)
    record = mirror_by_personal_id(personal_id)
    _looked_up(caller, "personal_id", personal_id, [record] if record else [])
    return PersonAnswer(sandbox=True, person=record)


@sandbox_api.get("/persons/by-old-id/{old_id}", response=PersonAnswer, url_name="by_old_id")
def by_old_id(request: HttpRequest, old_id: str) -> PersonAnswer:
    caller = _caller(request)
    record = mirror_by_old_id(old_id)
    _looked_up(caller, "old_id", old_id, [record] if record else [])
    return PersonAnswer(sandbox=True, person=record)


@sandbox_api.get("/persons/search", response=PersonsAnswer, url_name="search")
def search(request: HttpRequest, full_name: str, date_of_birth: date, commune: str) -> PersonsAnswer:
    caller = _caller(request)
    records = mirror_search(nfc(full_name), date_of_birth, commune)
    query = {"full_name": full_name, "date_of_birth": date_of_birth.isoformat(), "commune": commune}
    _looked_up(caller, "search", query, records)
    return PersonsAnswer(sandbox=True, persons=records)


@sandbox_api.post("/persons/verify", response=VerifyAnswer, url_name="verify")
def verify(request: HttpRequest, question: VerifyQuestion) -> VerifyAnswer:
    caller = _caller(request)
    result = mirror_verify(question.personal_id, question.attributes)
    audit_verify(
        actor=None,
        action="population_sandbox.verify",
        purpose=caller.purpose,
        personal_id=question.personal_id,
        result=result,
        acting_user=caller.username,
    )
    return VerifyAnswer(sandbox=True, result=result)
