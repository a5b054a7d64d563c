from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "healthjustice.people"
    label = "people"
    verbose_name = "People"
