from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "healthjustice.interventions"
    label = "interventions"
