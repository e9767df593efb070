from __future__ import annotations

from django import template

from dean06.core.roles import AccessPurpose

register = template.Library()


@register.filter
def purpose_label(value: str) -> str:
    """The translated label of an AccessPurpose value; other text (older entries) as it is."""
    try:
        return str(AccessPurpose(value).label)
    except ValueError:
        return value
