"""System checks: every ScopedModel declares how its rows reach an administrative unit."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.checks import CheckMessage, Error, register

from dean06.core.models import ScopedModel


@register()
def scoped_models_declare_scope_path(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return [
        Error(f"{model.__name__} is a ScopedModel without scope_path", obj=model, id="dean06.E001")
        for model in apps.get_models()
        if issubclass(model, ScopedModel) and not model.scope_path
    ]
