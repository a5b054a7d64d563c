from django.apps import AppConfig


class CarersConfig(AppConfig):
    name = "healthjustice.carers"
    label = "carers"
