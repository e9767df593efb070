"""The SANDBOX population service (the session-authenticated lookups are in api.py, under /api/population/)."""

from django.urls import URLPattern, URLResolver, path

from dean06.identity.population.sandbox import sandbox_api

urlpatterns: list[URLPattern | URLResolver] = [path("sandbox/population/", sandbox_api.urls)]
