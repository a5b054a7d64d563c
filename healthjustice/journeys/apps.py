from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "healthjustice.journeys"
    label = "journeys"
