from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "healthjustice.interventions"
    label = "interventions"

    def ready(self) -> None:
        # The episode page's section, and this app's part of subject access exports.
        from . import sections, subject_access  # noqa: F401
