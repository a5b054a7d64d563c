"""What keeps the worklist's read model up to date: a receiver for every record its order is
worked out from. The apps below cannot import the worklist (docs/adr/0003-layers.md), so the
worklist listens to them: Django's `post_save` and `post_delete`, and `journeys.signals.
episodes_changed` for the one change made by `QuerySet.update()` (an allocation).

The rows are rewritten at once, in the writer's transaction, so a list read after a write
shows it, and a write that is rolled back leaves the rows as they were. Bulk loads that bypass
all this (COPY, bulk_create) end with `manage.py rebuild_worklist`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.models import (
    CriminalJusticeContext,
    CustodyEvent,
    Episode,
    EpisodeStatus,
)
from healthjustice.journeys.signals import episodes_changed
from healthjustice.mhtr.models import (
    ComplianceNotice,
    CourtOutcome,
    NoticeDisclosure,
    TeamSettings,
    TreatmentSession,
)
from healthjustice.people.models import CareRelationship, Person, RecordRestriction
from healthjustice.reconnect.models import (
    EngagementCheck,
    GatePlan,
    Handover,
    ReconnectReferral,
    ReconnectTeamSettings,
    ReleaseDetails,
    SupportContact,
    SupportExtension,
    SupportPlanNeed,
)
from healthjustice.screening.models import RiskAlert, Screening

from .entries import refresh_entries, refresh_people, refresh_team

# Records that belong to one episode through their `episode_id`.
BY_EPISODE: tuple[type[Model], ...] = (
    EpisodeStatus,
    CriminalJusticeContext,
    CustodyEvent,
    Screening,
    RiskAlert,
    OnwardReferral,
    ComplianceNotice,
    CourtOutcome,
    TreatmentSession,
    ReconnectReferral,
    ReleaseDetails,
    SupportContact,
    SupportPlanNeed,
    SupportExtension,
    Handover,
    GatePlan,
)


def _episode_of(instance: Any) -> None:
    refresh_entries([instance.episode_id])


def _episode(instance: Any) -> None:
    refresh_entries([instance.pk])


def _disclosure(instance: Any) -> None:
    refresh_entries(
        ComplianceNotice.objects.filter(pk=instance.notice_id).values_list("episode_id", flat=True)
    )


def _check(instance: Any) -> None:
    refresh_entries(
        Handover.objects.filter(pk=instance.handover_id).values_list("episode_id", flat=True)
    )


def _team_setting(instance: Any) -> None:
    refresh_team(instance.team_id)


def _of_person(instance: Any) -> None:
    # Who may see the person's episodes changed (a care relationship, a restriction).
    refresh_people([instance.person_id])


def _person(instance: Any) -> None:
    # A merge moves episodes to the kept record and saves it afterwards; undoing it moves them
    # back and saves the duplicate: either way the saved person's episodes are rewritten.
    refresh_people([instance.pk])


REFRESH: dict[type[Model], Callable[[Any], None]] = {
    **dict.fromkeys(BY_EPISODE, _episode_of),
    Episode: _episode,
    NoticeDisclosure: _disclosure,
    EngagementCheck: _check,
    TeamSettings: _team_setting,
    ReconnectTeamSettings: _team_setting,
    Person: _person,
    CareRelationship: _of_person,
    RecordRestriction: _of_person,
}


def _on_change(sender: type[Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading fixtures: the records may not all be there yet
        return
    REFRESH[sender](instance)


def _on_episodes_changed(sender: Any, episode_ids: list[int], **kwargs: Any) -> None:
    refresh_entries(episode_ids)


def connect() -> None:
    for model in REFRESH:
        uid = f"worklist-entry-{model._meta.label_lower}"
        post_save.connect(_on_change, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-deleted")
    episodes_changed.connect(_on_episodes_changed, dispatch_uid="worklist-entry-episodes")
