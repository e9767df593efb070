from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "dean06.registry"
    label = "registry"
    verbose_name = "Dữ liệu tham chiếu"
