"""The web pages that show persons, four scoping tests each."""

from __future__ import annotations

from django.urls import reverse

from dean06.testing.scoping import ScopedEndpoint, scoping_tests

ENDPOINTS = [
    ScopedEndpoint("person list by ID", url=lambda p: reverse("web:person_list") + f"?q={p.personal_id}", lists=True),
    ScopedEndpoint(
        "person list by ID prefix", url=lambda p: reverse("web:person_list") + f"?q={p.personal_id[:9]}", lists=True
    ),
    ScopedEndpoint("person list by name", url=lambda p: reverse("web:person_list") + "?q=sa ray", lists=True),
    ScopedEndpoint("person list, no query", url=lambda p: reverse("web:person_list"), lists=True),
    ScopedEndpoint(
        "person detail",
        url=lambda p: reverse("web:person_detail", args=[p.pk]) + "?purpose=verification",
    ),
    ScopedEndpoint(
        "person export",
        url=lambda p: reverse("web:person_export") + f"?q={p.personal_id}&purpose=verification",
        lists=True,
    ),
    ScopedEndpoint(
        "person export, everything",
        url=lambda p: reverse("web:person_export") + "?q=&purpose=data_cleansing",
        lists=True,
    ),
]

test_scoping = scoping_tests(ENDPOINTS)
