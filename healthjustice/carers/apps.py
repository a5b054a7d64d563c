from django.apps import AppConfig


class CarersConfig(AppConfig):
    name = "healthjustice.carers"
    label = "carers"

    def ready(self) -> None:
        # The person page's carers section and timeline, and this app's subject access sections.
        from . import subject_access, timeline  # noqa: F401
