from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "dean06.monitoring"
    label = "monitoring"
    verbose_name = "Theo dõi, đánh giá Đề án 06"
