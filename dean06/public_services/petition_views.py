"""Petition pages (phản ánh, kiến nghị): the citizen writes one, follows it and rates the answer; officers of the
receiving unit see theirs, the late ones first, with the Decision 766 figures, and answer. Views parse input, call
one selector or service, and render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dean06.core.errors import ApplicationError, PermissionDeniedError
from dean06.core.pages import HtmxHttpRequest, PageView
from dean06.core.roles import Permission
from dean06.public_services.choices import PetitionKind
from dean06.public_services.models import Dossier
from dean06.public_services.selectors import (
    is_citizen,
    petition_dossiers,
    petition_figures,
    petition_get,
    petition_list,
    petition_list_audit,
    petition_list_own,
    petition_units,
)
from dean06.public_services.services.petitions import (
    BODY_MAX,
    PETITION_ANSWER_WORKING_DAYS,
    SUBJECT_MAX,
    petition_answer,
    petition_is_late,
    petition_rate,
    petition_submit,
)
from dean06.registry.models import AdministrativeUnit

QUEUE_SHOWN = 200
SATISFACTION_CHOICES = [
    (5, _("Rất hài lòng")),
    (4, _("Hài lòng")),
    (3, _("Bình thường")),
    (2, _("Không hài lòng")),
    (1, _("Rất không hài lòng")),
]


class PetitionForm(forms.Form):
    """What the citizen writes; where it goes is one of their units, or the unit handling one of their dossiers."""

    kind = forms.ChoiceField(label=_("Phản ánh, kiến nghị về"), choices=PetitionKind.choices, widget=forms.RadioSelect)
    unit = forms.TypedChoiceField(label=_("Gửi đến"), coerce=int)
    dossier = forms.TypedChoiceField(
        label=_("Liên quan đến hồ sơ"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Nếu chọn hồ sơ, phản ánh được gửi đến cơ quan đang giải quyết hồ sơ đó."),
    )
    subject = forms.CharField(label=_("Tiêu đề"), max_length=SUBJECT_MAX)
    body = forms.CharField(label=_("Nội dung"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, units: list[AdministrativeUnit], dossiers: list[Dossier], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]
        self.fields["dossier"].choices = [("", _("Không liên quan đến hồ sơ nào"))] + [  # type: ignore[attr-defined]
            (d.pk, f"{d.code} — {d.procedure.name}") for d in dossiers
        ]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Nội dung trả lời"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 5}))


class RateForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("Mức độ hài lòng với trả lời"), coerce=int, choices=SATISFACTION_CHOICES, widget=forms.RadioSelect
    )


class MyPetitionListView(PageView):
    """The citizen's own petitions (staff see an empty list: they have none of their own here)."""

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        rows = [(p, petition_is_late(p)) for p in petition_list_own(actor=request.user)]
        return render(request, "public_services/petitions/my_list.html", {"rows": rows})


class PetitionNewView(PageView):
    def _form(self, request: HtmxHttpRequest, data: Any = None) -> PetitionForm:
        if not is_citizen(request.user):
            raise PermissionDeniedError()
        initial = {"dossier": request.GET.get("ho_so", "")}
        units, dossiers = petition_units(actor=request.user), petition_dossiers(actor=request.user)
        return PetitionForm(data, units=units, dossiers=dossiers, initial=initial)

    def _context(self, form: PetitionForm) -> dict[str, Any]:
        return {"form": form, "answer_days": PETITION_ANSWER_WORKING_DAYS}

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        return render(request, "public_services/petitions/form.html", self._context(self._form(request)))

    def post(self, request: HtmxHttpRequest) -> HttpResponseBase:
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                petition = petition_submit(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    unit=form.units[form.cleaned_data["unit"]],
                    dossier_id=form.cleaned_data["dossier"],
                )
                return redirect("public_services:petition_detail", petition_id=petition.pk)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
        return render(request, "public_services/petitions/form.html", self._context(form), status=400)


class PetitionDetailView(PageView):
    """A petition with its answer; the receiving unit's officers get the answer form, the submitter the rating."""

    def get(self, request: HtmxHttpRequest, petition_id: int) -> HttpResponse:
        petition = petition_get(actor=request.user, petition_id=petition_id)
        officer = not is_citizen(request.user)
        context = {
            "petition": petition,
            "officer": officer,
            "late": petition_is_late(petition),
            "answer_form": AnswerForm() if officer and petition.answered_at is None else None,
            "rate_form": RateForm(initial={"satisfaction": petition.satisfaction})
            if not officer and petition.answered_at
            else None,
        }
        return render(request, "public_services/petitions/detail.html", context)


class PetitionAnswerView(PageView):
    required_permission = Permission.DOSSIER_PROCESS

    def post(self, request: HtmxHttpRequest, petition_id: int) -> HttpResponseBase:
        form = AnswerForm(request.POST)
        if not form.is_valid():
            raise ApplicationError(gettext("Hãy ghi nội dung trả lời."))
        petition_answer(actor=request.user, petition_id=petition_id, answer=form.cleaned_data["answer"])
        return redirect("public_services:petition_detail", petition_id=petition_id)


class PetitionRateView(PageView):
    def post(self, request: HtmxHttpRequest, petition_id: int) -> HttpResponseBase:
        form = RateForm(request.POST)
        if not form.is_valid():
            raise ApplicationError(gettext("Mức đánh giá từ 1 đến 5."))
        petition_rate(actor=request.user, petition_id=petition_id, satisfaction=form.cleaned_data["satisfaction"])
        return redirect("public_services:petition_detail", petition_id=petition_id)


class PetitionQueueView(PageView):
    """Petitions received by the officer's units, late ones first, with what Decision 766 counts of them."""

    required_permission = Permission.DOSSIER_PROCESS

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        open_only = request.GET.get("chua_tra_loi") == "1"
        kind = request.GET.get("loai", "")
        kind = kind if kind in PetitionKind.values else ""
        petitions = list(petition_list(actor=request.user, open_only=open_only, kind=kind)[:QUEUE_SHOWN])
        if petitions:
            petition_list_audit(actor=request.user, shown=petitions)
        figures = [(_("Tất cả"), petition_figures(petition_list(actor=request.user)))] + [
            (label, petition_figures(petition_list(actor=request.user, kind=value)))
            for value, label in PetitionKind.choices
        ]
        context = {
            "rows": [(p, petition_is_late(p)) for p in petitions],
            "figures": figures,
            "open_only": open_only,
            "kind": kind,
            "kinds": PetitionKind.choices,
        }
        return render(request, "public_services/petitions/queue.html", context)
