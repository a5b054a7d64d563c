from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "healthjustice.matching"
    label = "matching"
    verbose_name = "Identity matching"

    def ready(self) -> None:
        from healthjustice.people.duplicates import register_duplicate_check

        from .registration import likely_duplicates

        # Registering a person checks the register with the matcher, not the name search.
        register_duplicate_check(likely_duplicates)
