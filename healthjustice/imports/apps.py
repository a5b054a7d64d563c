from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "healthjustice.imports"
    label = "imports"
    verbose_name = "Custody, court and release lists"

    def ready(self) -> None:
        # The rows a person was taken on from, in their subject access export.
        from . import subject_access  # noqa: F401
