from django.apps import AppConfig


class CarersConfig(AppConfig):
    name = "healthjustice.carers"
    label = "carers"

    def ready(self) -> None:
        from healthjustice.people.subject_access import register_subject_access_section

        from . import timeline  # noqa: F401  (registers the timeline provider)
        from .subject_access import carers_for_subject_access, secure_stays_for_subject_access

        register_subject_access_section("secure_service_stays", secure_stays_for_subject_access)
        register_subject_access_section("carers", carers_for_subject_access)
