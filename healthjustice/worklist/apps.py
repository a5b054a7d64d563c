from django.apps import AppConfig


class WorklistConfig(AppConfig):
    """The prioritised worklist: a read model above the pathway apps whose records order it."""

    name = "healthjustice.worklist"
    label = "worklist"

    def ready(self) -> None:
        # The lower apps cannot import the worklist: it listens to their writes.
        from .receivers import connect

        connect()
