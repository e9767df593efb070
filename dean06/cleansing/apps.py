from django.apps import AppConfig


class CleansingConfig(AppConfig):
    name = "dean06.cleansing"
    label = "cleansing"
    verbose_name = "Làm sạch dữ liệu"
