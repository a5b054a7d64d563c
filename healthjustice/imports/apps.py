from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "healthjustice.imports"
    label = "imports"
    verbose_name = "Custody, court and release lists"
