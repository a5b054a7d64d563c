"""Factories for the audit tests: break-glass grants and audit events at a chosen time."""

from datetime import datetime, timedelta
from unittest import mock

import factory
from django.utils import timezone

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.audit.services import audit_record
from healthjustice.organisations.roles import Role
from healthjustice.people.models import BreakGlassAccess
from tests.factories import PersonFactory, UserFactory, staff


class BreakGlassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BreakGlassAccess

    person = factory.SubFactory(PersonFactory)
    user = factory.SubFactory(UserFactory)
    reason = "Custody sergeant reports a self-harm risk tonight"
    started_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.started_at + timedelta(hours=1))


def ig_auditor():
    return staff(Role.IG_AUDITOR)


def event_at(at: datetime, **kwargs) -> AuditEvent:
    """An audit event written as if at `at` (the trail itself cannot be back-dated)."""
    kwargs.setdefault("action", Action.VIEW)
    kwargs.setdefault("object_type", "person")
    kwargs.setdefault("actor", None)
    with mock.patch("django.utils.timezone.now", return_value=at):
        return audit_record(**kwargs)
