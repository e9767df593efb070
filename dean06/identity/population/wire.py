"""The HTTP protocol of the population service: headers and JSON bodies, shared by the SANDBOX service that
answers and the client (`http.py`) that asks, so the two cannot drift apart.

    GET  {base}/persons/by-id/{personal_id}                         → PersonAnswer
    GET  {base}/persons/by-old-id/{old_id}                          → PersonAnswer (409 if several persons)
    GET  {base}/persons/search?full_name=&date_of_birth=&commune=   → PersonsAnswer
    POST {base}/persons/verify  VerifyQuestion                      → VerifyAnswer

"Not found" is a 200 answer with `person: null`: a 404 means a wrong URL or a service switched off, which the
client must not mistake for "no such person". Errors are `{"detail": "..."}` with 400, 401, 404 or 409.
"""

from __future__ import annotations

from ninja import Schema

from dean06.identity.population.protocol import PersonRecord, VerifyRequest, VerifyResult

API_KEY_HEADER = "X-Api-Key"
USER_HEADER = "X-Dean06-User"  # the acting dean06 user's username, percent-encoded (UTF-8)
PURPOSE_HEADER = "X-Dean06-Purpose"  # an AccessPurpose value
SANDBOX_HEADER = "X-Dean06-Sandbox"


class PersonAnswer(Schema):
    sandbox: bool = False
    person: PersonRecord | None


class PersonsAnswer(Schema):
    sandbox: bool = False
    persons: list[PersonRecord]


class VerifyQuestion(Schema):
    personal_id: str
    attributes: VerifyRequest


class VerifyAnswer(Schema):
    sandbox: bool = False
    result: VerifyResult
