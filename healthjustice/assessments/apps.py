from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "healthjustice.assessments"
    label = "assessments"

    def ready(self) -> None:
        # Episode and person page sections, the consent timeline and subject access sections.
        from . import page_sections, subject_access  # noqa: F401
        from .report_sections import register_standard_kinds

        register_standard_kinds()
