from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "healthjustice.assessments"
    label = "assessments"
