from django.apps import AppConfig


class PcrefConfig(AppConfig):
    name = "healthjustice.pcref"
    label = "pcref"
    verbose_name = "The trust's PCREF plan and its involvement register"
