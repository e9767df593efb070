from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "dean06.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"
