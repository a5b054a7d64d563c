from django.apps import AppConfig


class ReconnectConfig(AppConfig):
    name = "healthjustice.reconnect"
    label = "reconnect"
    verbose_name = "RECONNECT"

    def ready(self) -> None:
        # The episode page's RECONNECT section, the referral link on L&D episodes, and the
        # person page's way to take a referral; its section of a subject access export.
        from . import sections, subject_access  # noqa: F401
