from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "healthjustice.screening"
    label = "screening"
