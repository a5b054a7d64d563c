from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "healthjustice.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from healthjustice.audit.services import set_access_basis_resolver
        from healthjustice.organisations.permissions import (
            register_object_rule,
            register_user_cache,
        )

        from . import access, subject_access  # noqa: F401  (the record's own export sections)
        from .models import Person

        set_access_basis_resolver(access.access_basis_code)
        register_object_rule(Person, access.person_is_visible_to)
        register_user_cache(*access.USER_CACHE_ATTRS)
