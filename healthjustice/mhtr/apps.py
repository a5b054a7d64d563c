from django.apps import AppConfig


class MhtrConfig(AppConfig):
    name = "healthjustice.mhtr"
    label = "mhtr"
    verbose_name = "Mental Health Treatment Requirement"

    def ready(self) -> None:
        # The episode page's MHTR section (and the referral link on L&D episodes), and the
        # person page's way to record a referral from probation, the court, a solicitor or self.
        # The view for the pre-sentence report and the end-of-treatment letter.
        from healthjustice.assessments.report_sections import register_report_kind

        from . import person_page, sections  # noqa: F401
        from .reports import KINDS

        for kind in KINDS:
            register_report_kind(kind)
