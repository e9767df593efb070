from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dean06.core"
    label = "core"
    verbose_name = "Lõi hệ thống"

    def ready(self) -> None:
        from dean06.core import checks  # noqa: F401  (registers system checks)
