"""Identity pages; each part owns its URL module."""

from django.urls import include, path

app_name = "identity"
urlpatterns = [
    path("", include("dean06.identity.cards.urls")),
    path("", include("dean06.identity.eid.urls")),
    path("", include("dean06.identity.staff_auth.urls")),
    path("", include("dean06.identity.population.urls")),
]
