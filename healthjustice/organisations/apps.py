from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "healthjustice.organisations"
    label = "organisations"
    verbose_name = "Organisations, teams and roles"
