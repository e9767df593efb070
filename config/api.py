"""The JSON API (django-ninja, OpenAPI 3.1 at /api/docs). Each domain contributes a Router from its api.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.renderers import JSONRenderer
from ninja.security import django_auth

from dean06.core.errors import ApplicationError
from dean06.identity.cards.api import router as cards_router
from dean06.identity.population.api import router as population_router
from dean06.public_services.api import router as public_services_router
from dean06.registry.api import router as registry_router


class Utf8JSONRenderer(JSONRenderer):
    """Vietnamese text as UTF-8, not \\u escapes: readable in logs and by people checking a response."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8JSONRenderer(),
    title="dean06 API",
    version="1",
    description="Đề án 06 — dữ liệu dân cư, định danh và xác thực điện tử phục vụ dịch vụ công",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/registry/", registry_router)
api.add_router("/identity/", cards_router)
api.add_router("/population/", population_router)
api.add_router("/public-services/", public_services_router)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("Vui lòng đăng nhập.")}, status=401)
