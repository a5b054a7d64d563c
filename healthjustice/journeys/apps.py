from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "healthjustice.journeys"
    label = "journeys"

    def ready(self) -> None:
        # Adds the episodes section and timeline entries to the person page.
        from . import person_page  # noqa: F401
