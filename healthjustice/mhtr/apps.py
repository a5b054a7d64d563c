from django.apps import AppConfig


class MhtrConfig(AppConfig):
    name = "healthjustice.mhtr"
    label = "mhtr"
    verbose_name = "Mental Health Treatment Requirement"

    def ready(self) -> None:
        # The episode page's MHTR section (and the referral link on L&D episodes).
        from . import sections  # noqa: F401
