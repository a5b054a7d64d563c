from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """Information governance's pages: the audit trail read back, break-glass review and
    subject access. It reads every app and no app reads it (docs/adr/0003-layers.md)."""

    name = "healthjustice.governance"
    label = "governance"
    verbose_name = "Information governance"

    def ready(self) -> None:
        from healthjustice.people import subject_access as sections

        from .subject_access import audit_events_for_subject_access

        # Right after the person record's own sections, before the pathway apps' (settings
        # lists this app after people and before them), as the export has always shown them.
        sections.register_subject_access_section("audit_events", audit_events_for_subject_access)
