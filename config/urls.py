from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("dean06.identity.urls")),
    path("", include("dean06.cleansing.urls")),
    path("", include("dean06.public_services.urls")),
    path("", include("dean06.public_services.payment_urls")),
    path("", include("dean06.monitoring.urls")),
    path("sandbox/sms/", include("dean06.public_services.sandbox_sms")),
    path("", include("dean06.web.urls")),
]
