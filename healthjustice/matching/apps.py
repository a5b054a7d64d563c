from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "healthjustice.matching"
    label = "matching"
    verbose_name = "Identity matching"
