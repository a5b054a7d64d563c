from django.apps import AppConfig


class EquityConfig(AppConfig):
    name = "healthjustice.equity"
    label = "equity"
    verbose_name = "Race equity (PCREF)"
