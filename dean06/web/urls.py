from django.urls import path

from dean06.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
]
