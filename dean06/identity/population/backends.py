"""The implementation that answers for this deployment: DEAN06_POPULATION_BACKEND=local (default) or http."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from dean06.identity.population.http import HttpPopulationRegistry
from dean06.identity.population.local import LocalPopulationRegistry
from dean06.identity.population.protocol import PopulationRegistry


def get_population_registry() -> PopulationRegistry:
    backend = settings.DEAN06_POPULATION_BACKEND
    if backend == "local":
        return LocalPopulationRegistry()
    if backend == "http":
        url = settings.DEAN06_POPULATION_URL
        if not url:
            raise ImproperlyConfigured("DEAN06_POPULATION_URL must be set when DEAN06_POPULATION_BACKEND=http")
        return HttpPopulationRegistry(
            url, settings.DEAN06_POPULATION_API_KEY, timeout=settings.DEAN06_POPULATION_TIMEOUT
        )
    raise ImproperlyConfigured(f"DEAN06_POPULATION_BACKEND must be local or http, not {backend!r}")
