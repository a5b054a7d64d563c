"""Choices for staff forms and the carers team's work list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.organisations.models import Membership, Team
from healthjustice.organisations.roles import ROLES, Permission
from healthjustice.people.access import viewing_team_ids, visible_people
from healthjustice.people.models import Person

from ..models import (
    Carer,
    CarerContact,
    CarerMessage,
    SecureServiceStay,
    SharingAgreement,
)
from .fetchers import visible_carers, visible_relationships

# Choices for forms --------------------------------------------------------------------------


def _managing_roles() -> list[str]:
    return [str(r) for r, d in ROLES.items() if Permission.CARERS_MANAGE in d.permissions]


def team_staff(team_ids: list[int]) -> QuerySet[User]:
    """Current members of the teams who may manage carers (named contacts, key workers)."""
    members = Membership.objects.current().filter(
        user=OuterRef("pk"), team_id__in=team_ids, role__in=_managing_roles()
    )
    return User.objects.filter(Exists(members), is_active=True, kind=User.Kind.STAFF).order_by(
        "first_name", "last_name", "username"
    )


def teams_for_patient(user: User, person: Person) -> QuerySet[Team]:
    """The user's teams that have a current care relationship with the patient."""
    return Team.objects.filter(
        id__in=viewing_team_ids(user),
        care_relationships__in=person.care_relationships.current(),
    ).distinct()


def user_teams(user: User) -> QuerySet[Team]:
    return Team.objects.filter(id__in=viewing_team_ids(user)).order_by("name")


# Staff work list ---------------------------------------------------------------------------


@dataclass
class WorkList:
    my_messages: list[CarerMessage]
    team_messages: list[CarerMessage]
    my_carers: list[Carer]
    reviews_due: list[SharingAgreement]
    patients: list[tuple[Person, SecureServiceStay]]
    flagged_count: int


def unread_messages_for(user: User) -> list[CarerMessage]:
    return list(
        CarerMessage.objects.filter(recipient=user, read_at__isnull=True)
        .filter(carer__in=visible_carers(user))
        .select_related("carer")
        .order_by("sent_at")
    )


def unassigned_messages_for(user: User) -> list[CarerMessage]:
    return list(
        CarerMessage.objects.filter(
            recipient__isnull=True, read_at__isnull=True, team_id__in=viewing_team_ids(user)
        )
        .filter(carer__in=visible_carers(user))
        .select_related("carer")
        .order_by("sent_at")
    )


def flagged_contacts(user: User) -> QuerySet[CarerContact]:
    return (
        CarerContact.objects.filter(
            flagged_for_review=True,
            reviewed_at__isnull=True,
            relationship__in=visible_relationships(user),
        )
        .select_related("carer", "relationship__patient", "staff")
        .order_by("occurred_at")
    )


def work_list(user: User, today: date | None = None) -> WorkList:
    today = today or timezone.localdate()
    people = visible_people(user)
    stays = (
        SecureServiceStay.objects.current(today)
        .filter(person__in=people)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "-starts_on")
    )
    seen: set[int] = set()
    patients: list[tuple[Person, SecureServiceStay]] = []
    for stay in stays:
        if stay.person_id not in seen:
            seen.add(stay.person_id)
            patients.append((stay.person, stay))
    return WorkList(
        my_messages=unread_messages_for(user),
        team_messages=unassigned_messages_for(user),
        my_carers=list(visible_carers(user).filter(named_contact=user).order_by("family_name")),
        reviews_due=list(
            SharingAgreement.objects.due_for_review(today)
            .filter(relationship__in=visible_relationships(user))
            .select_related("relationship__carer", "relationship__patient")
            .order_by("review_on")
        ),
        patients=patients,
        flagged_count=flagged_contacts(user).count(),
    )
