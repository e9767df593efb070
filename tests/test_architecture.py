"""Project-wide rules that keep personal data behind the scoping function (issue #2, ADR-0003)."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

from dean06.registry.models import Household, Person
from dean06.testing.scoping import ScopedEndpoint

ROOT = Path(__file__).resolve().parent.parent / "dean06"

# URL names that never show a person's data, with the reason.
NOT_PERSON_BEARING: dict[str, str] = {
    "web:login": "login form",
    "web:logout": "logout action",
    "web:home": "dashboard: counts through visible_to; a citizen sees only their own record (person_own_get)",
    "web:audit_log": "audit log: actor names and object ids, restricted to audit.view holders",
    "set_language": "language switch",
    "api:openapi-json": "API schema",
    "api:openapi-view": "API documentation page",
    "api:api-root": "API index",
    "api:unit_resolve": "administrative units only",
    "identity:qr_scan": "card scan: shows only what is printed on the card handed over; audited as card.scan",
    "identity:qr_scan_frame": "camera frames of the card scan page, same rules",
    "api:id_check": "ID number rules only; nothing is looked up",
    "api:qr_parse": "card scan over the API, same rules as identity:qr_scan",
    "api:qr_decode": "card scan over the API, same rules as identity:qr_scan",
    "identity:eid_login": "redirect to the e-ID provider",
    "identity:eid_callback": "e-ID login callback; shows no record",
    "identity:my_data": "the citizen's own record only (person_own_get); staff get 403",
    "identity:eid_level2_demo": "level-2 gate demonstration; no personal data",
    "identity:sandbox_eid_login": "SANDBOX provider login (404 unless SANDBOX); synthetic persons, list audited",
    "identity:totp_verify": "second-factor code form",
    "identity:totp_enrol": "authenticator enrolment (own secret, QR, recovery codes)",
    "identity:totp_recovery": "recovery-code form",
    "cleansing:run_list": "file names, units and counts through visible_to; no person",
    "cleansing:run_status": "a run's status and counts; no person",
    "public_services:procedure_list": "the public procedure catalogue",
    "monitoring:plan_list": "the plans of the actor's units (titles, document numbers); no person",
    "monitoring:plan_detail": "a plan's tasks: lead and partner agencies, deadlines, statuses; no person",
    "monitoring:index766": "Decision 766 index: counts and scores of a unit's dossiers for a period; no person",
    "monitoring:index766_detail": "dossier codes, procedures and dates only; no applicant",
    "monitoring:rollup": "provincial roll-up report: units' figures and texts, KPIs, 766 scores; no person",
    "monitoring:plan_create": "a new plan of one of the actor's units: code, title, year; no person",
    "monitoring:plan_status": "issues or ends a plan of the actor's units (plan.edit); no person",
    "monitoring:task_create": "adds a task (agencies, deadline) to a plan the actor may edit; no person",
    "monitoring:task_edit": "reassigns, reschedules or closes a task of a plan the actor may edit; no person",
    "monitoring:report_list": "monthly reports of the actor's communes: unit, period, status; no person",
    "monitoring:report_form": "a commune's monthly report form: tasks and unit KPI counts; another commune is a 404",
    "monitoring:report_detail": "a unit's monthly report versions (task progress, unit KPIs) and the officers who "
    "sent or returned them; scoped by report.submit over the unit",
    "monitoring:dashboard": "Đề án 06 dashboard: plan progress, report states, KPIs, 766 ranking by unit; no person",
    "monitoring:unit_dashboard": "one unit's dashboard: report states, task percents, KPIs, 766 rank; no person",
    "public_services:procedure_detail": "one procedure of the public catalogue",
    "public_services:dossier_start": "a citizen starts a draft of their own; redirects",
    "public_services:track": "status and dates by dossier code; no name, no ID (test_dossiers)",
    "public_services:my_dossiers": "a citizen's own dossiers only (applicant = their person)",
    "public_services:rating": "the applicant rates their own returned dossier; redirects",
    "public_services:counter": "finds the applicant among the officer's units only, audited (test_dossiers)",
    "public_services:fee_pay": "starts a fee payment of a dossier the actor may read; redirects (test_payments)",
    "public_services:dossier_act": "a workflow step; redirects; 404 outside the officer's units (test_dossiers)",
    "public_services:result_issue": "signs a result; redirects; 404 outside the officer's units (test_results)",
    "public_services:result_download": "a PDF for its holder or the officers of its unit; 404 otherwise "
    "(test_results: the PDF's text is compressed, so the generic marker search cannot read it)",
    "public_services:result_verify": "checks an uploaded PDF's signature; shows signer and time only",
    "public_services:result_verify_code": "checks the stored result of a code; dossier code and procedure only",
    "cleansing:dashboard": "đúng/đủ/sạch/sống counts per unit through visible_to; no person",
    "cleansing:rerun": "starts a run and redirects; 404 outside the actor's units (cleansing test_web)",
    "cleansing:worklist_return": "line numbers and outcomes of the uploaded file; writes only rows of the actor's "
    "units, 404 for a run outside them (cleansing test_web)",
    # ADR-0009: exact-identifier lookups answer anyone holding person.view somewhere (401/403 tested in
    # dean06/identity/tests/test_scoping.py); the name search is unit-scoped and declared there.
    "api:population_by_id": "exact personal-ID lookup (ADR-0009), audited",
    "api:population_by_old_id": "exact old-ID lookup (ADR-0009), audited",
    "api:population_by_qr": "lookup by the card QR handed over (ADR-0009), audited",
    "api:population_verify": "match/no-match per attribute (ADR-0009), audited",
    "api:procedure_list": "the public procedure catalogue",
    "api:procedure_detail": "one procedure of the public catalogue",
    "api:dossier_start": "a citizen starts a draft of their own (their own prefilled data); staff get 403 (test_api)",
    "api:dossier_submit": "submits a dossier the actor may fill in; 404 outside the officer's units or another "
    "citizen's (test_api: JSON body, which the generic form-encoded scoping call cannot send)",
    "api:document_list": "the signed-in citizen's own document store only; staff get 403 (test_api)",
    "payments:return": "gateway return page: the payment's reference, dossier code and amount, no person",
    "payments:ipn": "gateway-to-server payment notification; answers a JSON code, shows nothing",
    "public_services:my_petitions": "a citizen's own petitions only (submitted_by = them)",
    "public_services:petition_new": "a citizen writes a petition to their own units, about their own dossiers",
    "public_services:petition_answer": "an officer answers; redirects; 404 outside their units (test_petitions)",
    "public_services:petition_rate": "the submitter rates the answer to their own petition; redirects",
}
NOT_PERSON_BEARING_NAMESPACES = {
    "admin": "Django admin: superusers only, no person model registered",
    "identity:sandbox_eid": "SANDBOX OpenID provider protocol endpoints (discovery, JWKS, authorize, token, userinfo)",
    "identity:population_sandbox": "SANDBOX national population service (API key, 404 unless SANDBOX), audited",
    "payments:sandbox": "SANDBOX payment gateway page (404 unless SANDBOX): merchant, amount, reference; no person",
    "sms_sandbox": "SANDBOX SMS gateway (404 unless SANDBOX, API key to send): the messages sent to synthetic "
    "persons' phones, as those phones would show them; stands for the telecom, outside dean06's scoping",
}


def _view_modules() -> set[str]:
    """Modules that define a view reachable by URL, plus every api.py (ninja routers)."""
    modules = {f"dean06.{p.parent.name}.api" for p in ROOT.glob("*/api.py")}
    for pattern in _url_patterns(get_resolver().url_patterns):
        view = getattr(pattern.callback, "view_class", pattern.callback)
        if view.__module__.startswith("dean06."):
            modules.add(view.__module__)
    return modules


class _DirectQueryFinder(ast.NodeVisitor):
    def __init__(self) -> None:
        self.hits: list[int] = []

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in {"objects", "raw", "extra", "cursor"}:
            self.hits.append(node.lineno)
        self.generic_visit(node)


def test_views_and_api_do_not_query_models_directly() -> None:
    offenders = []
    for module in sorted(_view_modules()):
        path = Path(importlib.import_module(module).__file__ or "")
        finder = _DirectQueryFinder()
        finder.visit(ast.parse(path.read_text(encoding="utf-8")))
        offenders += [f"{module}:{line}" for line in finder.hits]
    assert not offenders, f"views/api must call selectors or services, not the ORM: {offenders}"


def _url_patterns(patterns: list[URLPattern | URLResolver]) -> Iterator[URLPattern]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _url_patterns(entry.url_patterns)
        else:
            yield entry


def _url_names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry.url_patterns, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}"


def _declared_endpoints() -> list[ScopedEndpoint]:
    endpoints: list[ScopedEndpoint] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("dean06."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.test_scoping")
        except ModuleNotFoundError:
            continue
        endpoints += module.ENDPOINTS
    return endpoints


@pytest.mark.django_db
def test_every_url_is_scoping_tested_or_declared_harmless() -> None:
    sample = Person(pk=1, personal_id="084085000001", full_name="Mẫu")
    declared = {endpoint.url_name(sample) for endpoint in _declared_endpoints()}
    missing = [
        name
        for name in _url_names(get_resolver().url_patterns)
        if name not in declared
        and name not in NOT_PERSON_BEARING
        and name.rsplit(":", 1)[0] not in NOT_PERSON_BEARING_NAMESPACES
    ]
    assert not missing, f"URLs without the four scoping tests (declare them in tests/test_scoping.py): {missing}"


def test_person_models_are_not_in_the_admin() -> None:
    # The admin bypasses visible_to; persons are reached only through scoped views.
    assert not admin.site.is_registered(Person)
    assert not admin.site.is_registered(Household)
