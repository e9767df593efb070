"""The registry API's person endpoints, four scoping tests each."""

from __future__ import annotations

from django.urls import reverse

from dean06.testing.scoping import ScopedEndpoint, scoping_tests

ENDPOINTS = [
    ScopedEndpoint(
        "api person list",
        url=lambda p: reverse("api:person_list") + f"?q={p.personal_id}",
        api=True,
        lists=True,
    ),
    ScopedEndpoint(
        "api person list by name", url=lambda p: reverse("api:person_list") + "?q=sa ray", api=True, lists=True
    ),
    ScopedEndpoint(
        "api person detail",
        url=lambda p: reverse("api:person_detail", args=[p.pk]) + "?purpose=verification",
        api=True,
    ),
]

test_scoping = scoping_tests(ENDPOINTS)
