from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "dean06.identity"
    label = "identity"
    verbose_name = "Định danh và xác thực"
