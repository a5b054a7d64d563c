from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """Information governance's pages: the audit trail read back, break-glass review and
    subject access. It reads every app and no app reads it (docs/adr/0003-layers.md)."""

    name = "healthjustice.governance"
    label = "governance"
    verbose_name = "Information governance"

    def ready(self) -> None:
        # The audit events section of a subject access export.
        from . import subject_access  # noqa: F401
