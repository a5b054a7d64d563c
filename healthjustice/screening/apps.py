from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "healthjustice.screening"
    label = "screening"

    def ready(self) -> None:
        # The episode page's screening sections, and this app's subject access sections.
        from . import page_sections, subject_access  # noqa: F401
