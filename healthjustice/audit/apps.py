from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "healthjustice.audit"
    label = "audit"
    verbose_name = "Audit trail"
