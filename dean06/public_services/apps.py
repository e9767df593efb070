from django.apps import AppConfig


class PublicServicesConfig(AppConfig):
    name = "dean06.public_services"
    label = "public_services"
    verbose_name = "Dịch vụ công"
