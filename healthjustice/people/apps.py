from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "healthjustice.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from healthjustice.audit.services import set_access_basis_resolver

        from .access import access_basis_code

        set_access_basis_resolver(access_basis_code)
