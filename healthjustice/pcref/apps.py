from django.apps import AppConfig


class PcrefConfig(AppConfig):
    name = "healthjustice.pcref"
    label = "pcref"
    verbose_name = "The trust's PCREF plan and its involvement register"

    def ready(self) -> None:
        # The equity page links to the board report, which brings its figures together.
        from healthjustice.equity.related import RelatedPage, related_pages
        from healthjustice.organisations.roles import Permission

        related_pages.add(
            RelatedPage(
                "Quarterly PCREF board report",
                "pcref:board",
                Permission.PCREF_MANAGE,
                "the key measures with feedback, involvement and the plan's actions, for the "
                "trust board, as a page and a PDF",
            )
        )
