"""The public-services pages that show a person (the applicant of a dossier), four scoping tests each.

`url(person)` builds a received dossier of the person's commune (late, so that the apology letter exists), whose
e-form carries the applicant's name and ID."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from dean06.core.models import User
from dean06.core.roles import Role
from dean06.public_services.choices import PetitionKind
from dean06.public_services.services.petitions import petition_submit
from dean06.public_services.tests import factories as ps
from dean06.registry.models import Person
from dean06.testing.scoping import ScopedEndpoint, scoping_tests


def _dossier_url(name: str, person: Person) -> str:
    # The architecture test passes an unsaved sample person: only the URL's name matters there.
    if not person.commune_id:
        return reverse(name, args=[1])
    dossier = ps.dossier(
        applicant=person, procedure=ps.birth_procedure(), due_on=timezone.localdate() - timedelta(days=3)
    )
    return reverse(name, args=[dossier.pk])


def _queue_url(person: Person) -> str:
    if person.commune_id:
        ps.dossier(applicant=person)
    return reverse("public_services:queue")


def _petition_url(name: str, person: Person) -> str:
    """A petition the person's citizen account sent to their commune (officers see the sender's name and ID)."""
    if not person.commune_id:
        return reverse(name, args=[1]) if name.endswith("detail") else reverse(name)
    citizen = User.objects.filter(person=person).first() or ps.citizen(person)  # the URL is built more than once
    petition = petition_submit(
        actor=citizen, kind=PetitionKind.STAFF, subject="Cán bộ hẹn lại nhiều lần", body="Nội dung."
    )
    return reverse(name, args=[petition.pk]) if name.endswith("detail") else reverse(name)


def _endpoint(label: str, url_name: str) -> ScopedEndpoint:
    return ScopedEndpoint(
        label,
        url=lambda p: _dossier_url(url_name, p),
        role=Role.ONE_STOP_OFFICER,
        role_without_permission=Role.CLINIC_RECEPTIONIST,
    )


ENDPOINTS = [
    _endpoint("dossier detail", "public_services:dossier_detail"),
    _endpoint("dossier e-form", "public_services:dossier_form"),
    _endpoint("dossier receipt", "public_services:receipt"),
    _endpoint("apology letter", "public_services:apology"),
    ScopedEndpoint(
        "dossier queue",
        url=_queue_url,
        lists=True,
        role=Role.ONE_STOP_OFFICER,
        role_without_permission=Role.CLINIC_RECEPTIONIST,
    ),
    ScopedEndpoint(
        "petition detail",
        url=lambda p: _petition_url("public_services:petition_detail", p),
        role=Role.ONE_STOP_OFFICER,
        role_without_permission=Role.CLINIC_RECEPTIONIST,
    ),
    ScopedEndpoint(
        "petition queue",
        url=lambda p: _petition_url("public_services:petition_queue", p),
        lists=True,
        role=Role.ONE_STOP_OFFICER,
        role_without_permission=Role.CLINIC_RECEPTIONIST,
    ),
]


def _api_endpoint(label: str, url_name: str) -> ScopedEndpoint:
    # The API's dossier reads answer 401 anonymous, 403 without the permission, 404 outside the officer's units.
    return ScopedEndpoint(
        label,
        url=lambda p: _dossier_url(url_name, p),
        api=True,
        role=Role.ONE_STOP_OFFICER,
        role_without_permission=Role.CLINIC_RECEPTIONIST,
    )


def _api_list_url(person: Person) -> str:
    if person.commune_id:
        ps.dossier(applicant=person)
    return reverse("api:dossier_list")


ENDPOINTS += [
    _api_endpoint("api dossier detail", "api:dossier_detail"),
    _api_endpoint("api dossier e-form", "api:dossier_form"),
    ScopedEndpoint(
        "api dossier list",
        url=_api_list_url,
        api=True,
        lists=True,
        role=Role.ONE_STOP_OFFICER,
        role_without_permission=Role.CLINIC_RECEPTIONIST,
    ),
]
test_scoping = scoping_tests(ENDPOINTS)
