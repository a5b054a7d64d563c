from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "healthjustice.web"
    label = "web"
    verbose_name = "Web pages"
