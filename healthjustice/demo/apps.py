from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "healthjustice.demo"
    label = "demo"
