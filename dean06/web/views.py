"""Pages: parse the input, call a selector, render. Scoping and audit happen in the selectors."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dean06.core.access import has_permission, require_permission
from dean06.core.pages import HtmxHttpRequest, PageView, wants_fragment
from dean06.core.roles import AccessPurpose, Permission
from dean06.core.selectors import audit_event_list, role_assignment_list
from dean06.registry.selectors import (
    person_counts,
    person_export_rows,
    person_get,
    person_list,
    person_list_audit,
    person_own_get,
)
from dean06.web.csv_export import person_csv_response
from dean06.web.forms import AuditFilterForm, ExportForm, PersonSearchForm, PurposeForm
from dean06.web.navigation import menu_for

PERSONS_PER_PAGE = 25
EVENTS_PER_PAGE = 50


class HomeView(PageView):
    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        context = {
            "assignments": role_assignment_list(actor=request.user),
            "counts": person_counts(actor=request.user),
            "own_record": person_own_get(actor=request.user),
            "tiles": [entry for entry in menu_for(request.user) if entry.item.description],
        }
        return render(request, "web/home.html", context)


class PersonListView(PageView):
    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        form = PersonSearchForm(request.GET)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        page = Paginator(person_list(actor=request.user, query=query), PERSONS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        persons = list(page.object_list)  # in Vietnamese collation already (Person.sort_name)
        person_list_audit(actor=request.user, query=query, shown=persons)
        context = {
            "form": form,
            "query": query,
            "page": page,
            "persons": persons,
            "can_export": has_permission(request.user, Permission.PERSON_EXPORT),
        }
        template = "web/person_list.html#fragment" if wants_fragment(request) else "web/person_list.html"
        response = render(request, template, context)
        patch_vary_headers(response, ["HX-Request"])
        return response


def _ask_purpose(
    request: HtmxHttpRequest, form: forms.Form, *, permission: Permission, heading: str | Promise, submit: str | Promise
) -> HttpResponse:
    """The purpose form shown before personal data is opened; refused at once without the permission."""
    require_permission(request.user, permission)
    return render(request, "web/purpose_form.html", {"form": form, "heading": heading, "submit": submit})


class PersonDetailView(PageView):
    """`?purpose=<AccessPurpose>` shows the record (audited with that purpose); without it, the form."""

    def get(self, request: HtmxHttpRequest, person_id: int) -> HttpResponse:
        form = PurposeForm(request.GET if "purpose" in request.GET else None)
        if not form.is_valid():
            return _ask_purpose(
                request, form, permission=Permission.PERSON_VIEW, heading=_("Mở hồ sơ công dân"), submit=_("Xem hồ sơ")
            )
        purpose = AccessPurpose(form.cleaned_data["purpose"])
        person = person_get(actor=request.user, person_id=person_id, purpose=purpose)
        return render(request, "web/person_detail.html", {"person": person, "purpose": purpose})


class PersonExportView(PageView):
    """`?purpose=<AccessPurpose>[&q=…]` streams the CSV (audited once); without a purpose, the form."""

    def get(self, request: HtmxHttpRequest) -> HttpResponseBase:
        if "purpose" in request.GET:
            form = ExportForm(request.GET)
        else:
            form = ExportForm(initial={"q": request.GET.get("q", "")})
        if not form.is_valid():
            return _ask_purpose(
                request,
                form,
                permission=Permission.PERSON_EXPORT,
                heading=_("Xuất danh sách công dân"),
                submit=_("Tải tệp CSV"),
            )
        rows = person_export_rows(
            actor=request.user, query=form.cleaned_data["q"], purpose=form.cleaned_data["purpose"]
        )
        return person_csv_response(rows)


class AuditLogView(PageView):
    """Read-only search of the audit log for holders of audit.view."""

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        form = AuditFilterForm(request.GET)
        page = None
        if form.is_valid():
            events = audit_event_list(actor=request.user, filters=form.filters())
            page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
        else:
            require_permission(request.user, Permission.AUDIT_VIEW)
        return render(request, "web/audit_log.html", {"form": form, "page": page})
