from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "healthjustice.reporting"
    label = "reporting"
