from django.urls import URLPattern, URLResolver, path

from dean06.identity.cards import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("quet-ma-qr/", views.QrScanView.as_view(), name="qr_scan"),
    path("quet-ma-qr/khung-hinh/", views.QrFrameView.as_view(), name="qr_scan_frame"),
]
