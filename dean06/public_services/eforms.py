"""E-forms declared per procedure (`Procedure.form`, data) → prefilled values with their sources → a Django form.

"Only once": what the e-ID login, the population database or the citizen's document store already holds is filled
in and shown with its source; a field the law says must not be re-typed is locked, and the value submitted for it
is always the prefilled one, whatever the browser sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from django import forms
from django.utils.translation import gettext_lazy as _

from dean06.public_services.choices import FieldSource
from dean06.registry.models import Person

FIELD_TYPES: Final = frozenset({"text", "date", "select", "textarea", "id"})
PREFILLABLE: Final = frozenset(
    {"full_name", "date_of_birth", "gender", "personal_id", "old_id", "permanent_address", "commune_name", "phone"}
)
DATE_FORMAT: Final = "%d/%m/%Y"


@dataclass(frozen=True)
class Prefilled:
    value: str
    source: str  # FieldSource
    locked: bool


def person_values(person: Person) -> dict[str, str]:
    """The prefillable values of a registry person, as text in the form's formats (dates dd/mm/yyyy)."""
    return {
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth.strftime(DATE_FORMAT),
        "gender": person.gender,
        "personal_id": person.personal_id,
        "old_id": person.old_id,
        "permanent_address": person.address,
        "commune_name": person.commune.name if person.commune_id else "",
        "phone": person.phone,
    }


def prefill(spec: list[dict[str, Any]], person: Person, store: dict[str, str] | None = None) -> dict[str, Prefilled]:
    """The prefilled value of each field the spec sources from the e-ID, the registry or the document store.

    e-ID fields come from the same registry record the login was matched to (the e-ID proves who it is; the
    registry holds the data). `store` maps a document kind to a reference of the citizen's latest such document."""
    values = person_values(person)
    filled: dict[str, Prefilled] = {}
    for field in spec:
        name, source = field["name"], field.get("source", FieldSource.CITIZEN)
        if source in (FieldSource.EID, FieldSource.REGISTRY) and name in PREFILLABLE and values.get(name):
            filled[name] = Prefilled(values[name], source, bool(field.get("locked")))
        elif source == FieldSource.DOCUMENT_STORE and store and store.get(field.get("store_kind", "")):
            filled[name] = Prefilled(store[field["store_kind"]], source, bool(field.get("locked")))
    return filled


def _date_field(label: str, required: bool, help_text: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text or _("Ngày/tháng/năm, ví dụ 05/09/2024"),
        input_formats=[DATE_FORMAT, "%d-%m-%Y", "%Y-%m-%d"],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "dd/mm/yyyy", "autocomplete": "off"}),
    )


def _field(spec: dict[str, Any]) -> forms.Field:
    label, required, help_text = spec["label"], bool(spec.get("required")), spec.get("help", "")
    kind = spec.get("type", "text")
    if kind == "date":
        return _date_field(label, required, help_text)
    if kind == "select":
        choices = [("", "—"), *((c, c) for c in spec.get("choices", []))]
        return forms.ChoiceField(label=label, required=required, help_text=help_text, choices=choices)
    if kind == "textarea":
        return forms.CharField(label=label, required=required, help_text=help_text, widget=forms.Textarea({"rows": 3}))
    if kind == "id":
        return forms.RegexField(
            label=label,
            required=required,
            help_text=help_text or _("12 chữ số"),
            regex=r"^\d{12}$",
            error_messages={"invalid": _("Số định danh cá nhân gồm đúng 12 chữ số.")},
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        )
    return forms.CharField(label=label, required=required, help_text=help_text, max_length=300)


class EForm(forms.Form):
    """The procedure's e-form: one field per spec entry; prefilled fields carry their source, locked ones are
    read-only in the browser and ignored on submit."""

    def __init__(self, *args: Any, spec: list[dict[str, Any]], prefilled: dict[str, Prefilled], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs["initial"] = {name: p.value for name, p in prefilled.items()} | dict(kwargs.get("initial") or {})
        super().__init__(*args, **kwargs)
        self.prefilled = prefilled
        for entry in spec:
            field = _field(entry)
            found = prefilled.get(entry["name"])
            if found is not None:
                field.source_label = FieldSource(found.source).label  # type: ignore[attr-defined]
                if found.locked:
                    field.disabled = True  # Django then keeps the initial (prefilled) value
            self.fields[entry["name"]] = field

    def values(self) -> dict[str, str]:
        """The cleaned values as text (dates dd/mm/yyyy), locked fields from the prefill."""
        values: dict[str, str] = {}
        for name, value in self.cleaned_data.items():
            if hasattr(value, "strftime"):
                value = value.strftime(DATE_FORMAT)
            values[name] = "" if value is None else str(value)
        for name, found in self.prefilled.items():
            if found.locked:
                values[name] = found.value
        return values
