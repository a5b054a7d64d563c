"""Factories for the audit tests: break-glass grants and audit events at a chosen time."""

from datetime import datetime, timedelta
from unittest import mock

import factory
from django.utils import timezone

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.audit.services import audit_record
from healthjustice.organisations.models import Team
from healthjustice.organisations.roles import Role
from healthjustice.people.models import BreakGlassAccess
from tests.factories import OrganisationFactory, PersonFactory, TeamFactory, UserFactory, staff

AUDITED_TEAM = "Audited trust custody L&D"


def audited_team() -> Team:
    """A team of the trust the audit tests' IG auditors work for: its people are in their reach."""
    team = Team.objects.filter(name=AUDITED_TEAM).first()
    if team is None:
        organisation = OrganisationFactory(name="Audited NHS Trust", ods_code="RAUD1")
        team = TeamFactory(name=AUDITED_TEAM, organisation=organisation)
    return team


def audited_person(**kwargs):
    """A person held by the audited trust."""
    return PersonFactory(team=audited_team(), **kwargs)


class BreakGlassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BreakGlassAccess

    person = factory.LazyFunction(audited_person)
    user = factory.SubFactory(UserFactory)
    reason = "Custody sergeant reports a self-harm risk tonight"
    started_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.started_at + timedelta(hours=1))


def ig_auditor():
    """An IG auditor of the audited trust (an auditor's reach is their own organisation's)."""
    return staff(Role.IG_AUDITOR, team=audited_team())


def event_at(at: datetime, **kwargs) -> AuditEvent:
    """An audit event written as if at `at` (the trail itself cannot be back-dated)."""
    kwargs.setdefault("action", Action.VIEW)
    kwargs.setdefault("object_type", "person")
    kwargs.setdefault("actor", None)
    with mock.patch("django.utils.timezone.now", return_value=at):
        return audit_record(**kwargs)


def events_by(actor, count: int) -> list[AuditEvent]:
    """`count` person views by `actor`, in the order written (the newest last)."""
    return [
        audit_record(actor=actor, action=Action.VIEW, object_type="person", object_id=f"p{i}")
        for i in range(count)
    ]
