"""Episodes with a chosen stage history, and onward referrals, built directly for tests."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import factory
from django.utils import timezone

from healthjustice.interventions.choices import ServiceType
from healthjustice.interventions.models import OnwardReferral
from healthjustice.journeys.choices import EpisodeSetting, ReferralSource, Stage
from healthjustice.journeys.models import Episode, EpisodeStatus
from healthjustice.organisations.models import Team
from healthjustice.people.models import Person
from tests.factories import PersonFactory, UserFactory

ORDER = [Stage.IDENTIFIED, Stage.SCREENED, Stage.ASSESSED, Stage.INTERVENTION]


def make_episode(
    *,
    team: Team,
    person: Person | None = None,
    referred_at: datetime.datetime | None = None,
    stage: str = Stage.IDENTIFIED,
    history: Iterable[tuple[str, datetime.datetime]] | None = None,
    setting: str = EpisodeSetting.POLICE_CUSTODY,
    referral_source: str = ReferralSource.CUSTODY_SERGEANT,
    site=None,
    closure_reason: str = "",
    **extra,
) -> Episode:
    """An episode whose status rows are `history` (stage, at), or every stage up to `stage`
    an hour apart from the referral."""
    referred_at = referred_at or timezone.now() - datetime.timedelta(days=3)
    episode = Episode.objects.create(
        person=person or PersonFactory(team=team),
        team=team,
        pathway=team.pathway,
        setting=setting,
        site=site,
        referral_source=referral_source,
        referred_at=referred_at,
        **extra,
    )
    if history is None:
        wanted = [*ORDER[: ORDER.index(Stage(stage)) + 1]] if stage != Stage.CLOSED else ORDER[:1]
        history = [(s, referred_at + datetime.timedelta(hours=i)) for i, s in enumerate(wanted)]
        if stage == Stage.CLOSED:
            history.append((Stage.CLOSED, referred_at + datetime.timedelta(hours=1)))
    for seq, (s, at) in enumerate(history, start=1):
        EpisodeStatus.objects.create(
            episode=episode,
            seq=seq,
            stage=s,
            at=at,
            closure_reason=(closure_reason or "declined") if s == Stage.CLOSED else "",
        )
    return episode


class OnwardReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OnwardReferral

    episode = None
    service_type = ServiceType.MENTAL_HEALTH
    service_name = "Stoke Community Mental Health Team"
    referred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2))
    created_by = factory.SubFactory(UserFactory)
