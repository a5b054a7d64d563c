"""The RECONNECT services: referral and its window, eligibility, release details, stage moves."""

import datetime
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.core.append_only import AppendOnlyError
from healthjustice.core.concurrency import StaleEditError
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode, EpisodeStatus
from healthjustice.journeys.selectors import current_stage
from healthjustice.organisations.choices import SiteKind
from healthjustice.organisations.models import Site
from healthjustice.reconnect import selectors, services
from healthjustice.reconnect.choices import (
    Accommodation,
    CustodyStatus,
    EligibilityOutcome,
    EnhancedService,
    Referrer,
    ReleaseType,
)
from healthjustice.reconnect.models import EligibilityCheck, ReconnectReferral, ReleaseDetails
from tests.factories import PersonFactory, TeamFactory, staff
from tests.interventions.factories import make_episode
from tests.reconnect.factories import (
    eligibility_input,
    eligible,
    pre_release,
    prison,
    referral_input,
    referred,
)

D = datetime.timedelta(days=1)
TODAY = timezone.localdate


def _refer(rw, **changes):
    return services.referral_record(
        actor=rw.worker, person=rw.person, team=rw.team, data=referral_input(rw.site, **changes)
    )


def _nothing_written():
    assert not Episode.objects.exists()
    assert not ReconnectReferral.objects.exists()
    assert not ReleaseDetails.objects.exists()


# --- referral --------------------------------------------------------------------------------


def test_a_referral_in_the_window_opens_an_episode_with_its_release(rw):
    referral = _refer(rw)
    episode = referral.episode
    assert episode.team == rw.team and current_stage(episode) == Stage.REFERRED
    assert episode.referral_source == "prison_healthcare" and episode.site == rw.site
    assert referral.window_opens == referral.release_on - 84 * D
    assert referral.window_closes == referral.release_on + 28 * D
    assert CriminalJusticeContext.objects.get(episode=episode).prison_release_on == (
        TODAY() + 30 * D
    )
    assert ReleaseDetails.objects.get(episode=episode).establishment == rw.site
    assert AuditEvent.objects.filter(object_type="reconnect_referral").exists()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"referrer": "police"}, "referrer", "Select who made the referral"),
        ({"health_need": "  "}, "health_need", "Enter the health need"),
        ({"establishment": None}, "establishment", "Select the prison"),
        ({"release_type": "parole"}, "release_type", "Select a release type"),
        ({"expected_release_on": None}, "expected_release_on", "Enter the expected release"),
        ({"expected_release_on": TODAY() - D}, "expected_release_on", "is in the past"),
        ({"released_on": TODAY() + D}, "released_on", "must be today or in the past"),
        ({"referrer": Referrer.LIAISON_DIVERSION}, "referrer", "refers from its own episode"),
    ],
)
def test_bad_referrals_are_refused_and_nothing_is_stored(rw, changes, field, words):
    with pytest.raises(ValidationError) as exc:
        _refer(rw, **changes)
    assert words in " ".join(exc.value.message_dict[field])
    _nothing_written()


def test_a_court_is_not_an_establishment(rw):
    court = Site.objects.create(name="Stafford court", kind=SiteKind.COURT, region=rw.region)
    with pytest.raises(ValidationError) as exc:
        _refer(rw, establishment=court)
    assert "from the list" in exc.value.message_dict["establishment"][0]


def test_a_referral_before_the_window_opens_is_refused_with_the_dates(rw):
    release = TODAY() + 100 * D
    with pytest.raises(ValidationError) as exc:
        _refer(rw, expected_release_on=release)
    message = exc.value.message_dict["expected_release_on"][0]
    opens = release - 84 * D
    assert f"{opens.day} {opens:%B %Y}" in message and "opens on" in message
    _nothing_written()


def test_a_referral_more_than_28_days_after_release_is_refused_with_the_dates(rw):
    released = TODAY() - 29 * D
    with pytest.raises(ValidationError) as exc:
        _refer(rw, expected_release_on=None, released_on=released)
    message = exc.value.message_dict["released_on"][0]
    closes = released + 28 * D
    assert f"{closes.day} {closes:%B %Y}" in message and "closed on" in message
    _nothing_written()


def test_a_referral_after_release_inside_28_days_is_taken(rw):
    referral = _refer(rw, expected_release_on=None, released_on=TODAY() - 10 * D)
    assert referral.released
    assert ReleaseDetails.objects.get().released_on == TODAY() - 10 * D
    assert not CriminalJusticeContext.objects.exists()


def test_only_a_team_leader_records_an_exception_and_it_is_kept(rw):
    release = TODAY() + 100 * D
    with pytest.raises(ValidationError) as exc:
        _refer(rw, expected_release_on=release, exception_reason="Long sentence; complex needs")
    assert "Only a team leader" in exc.value.message_dict["exception_reason"][0]
    _nothing_written()
    referral = services.referral_record(
        actor=rw.leader,
        person=rw.person,
        team=rw.team,
        data=referral_input(
            rw.site, expected_release_on=release, exception_reason="Long sentence; complex needs"
        ),
    )
    assert referral.exception_by == rw.leader
    assert referral.exception_reason == "Long sentence; complex needs"


def test_an_exception_is_not_kept_when_the_referral_is_in_the_window(rw):
    referral = _refer(rw, exception_reason="Not needed")
    assert referral.exception_reason == "" and referral.exception_by is None


def test_one_open_episode_per_person_and_team(rw):
    _refer(rw)
    with pytest.raises(ValidationError, match="already has an open episode"):
        _refer(rw)
    assert Episode.objects.count() == 1


def test_only_a_worker_of_the_team_takes_a_referral(rw):
    with pytest.raises(PermissionDenied):
        services.referral_record(
            actor=rw.ld_worker, person=rw.person, team=rw.team, data=referral_input(rw.site)
        )
    with pytest.raises(ValidationError):
        services.referral_record(
            actor=rw.worker, person=rw.person, team=rw.ld_team, data=referral_input(rw.site)
        )
    _nothing_written()


def test_an_establishment_the_team_does_not_work_at_is_not_the_episode_site(rw):
    other = Site.objects.create(
        name="Yarl's Wood IRC", kind=SiteKind.IMMIGRATION_REMOVAL_CENTRE, region=rw.region
    )
    referral = _refer(rw, establishment=other)
    assert referral.episode.site is None
    assert ReleaseDetails.objects.get().establishment == other


def test_referral_from_ld_opens_the_regions_reconnect_episode(rw):
    ld = make_episode(team=rw.ld_team, person=rw.person)
    referral = services.referral_from_ld(
        actor=rw.ld_worker, from_episode=ld, data=referral_input(rw.site)
    )
    assert referral.episode.team == rw.team and referral.from_episode == ld
    assert referral.referrer == Referrer.LIAISON_DIVERSION
    assert referral.referrer_name == rw.ld_team.name
    assert selectors.referrals_from(ld) == [referral]


def test_referral_from_ld_refused_outside_the_window_and_without_a_team(rw):
    ld = make_episode(team=rw.ld_team, person=rw.person)
    with pytest.raises(ValidationError):
        services.referral_from_ld(
            actor=rw.ld_worker,
            from_episode=ld,
            data=referral_input(
                rw.site, expected_release_on=TODAY() + 200 * D, exception_reason="Please"
            ),
        )
    assert not ReconnectReferral.objects.exists()
    rw.team.is_active = False
    rw.team.save()
    with pytest.raises(ValidationError, match="no RECONNECT team"):
        services.referral_from_ld(actor=rw.ld_worker, from_episode=ld, data=referral_input(rw.site))


def test_referral_from_ld_needs_an_open_ld_episode_of_the_referrers_team(rw):
    ld = make_episode(team=rw.ld_team, person=rw.person, stage=Stage.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        services.referral_from_ld(actor=rw.ld_worker, from_episode=ld, data=referral_input(rw.site))
    episode = referred(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises((PermissionDenied, ValidationError)):
        services.referral_from_ld(
            actor=rw.worker, from_episode=episode, data=referral_input(rw.site)
        )


def test_referral_from_release_is_one_action(rw):
    referral = services.referral_from_release(
        actor=rw.worker,
        person=rw.person,
        team=rw.team,
        establishment=rw.site,
        expected_release_on=TODAY() + 14 * D,
        list_name="HMP Stafford release list, week 49",
    )
    assert referral.referrer == Referrer.RELEASE_LIST
    assert "HMP Stafford release list, week 49" in referral.health_need
    assert current_stage(referral.episode) == Stage.REFERRED
    with pytest.raises(ValidationError):
        services.referral_from_release(
            actor=rw.worker,
            person=PersonFactory(team=rw.team),
            team=rw.team,
            establishment=rw.site,
            expected_release_on=TODAY() + 120 * D,
        )


def test_the_referral_record_is_append_only(rw):
    referral = _refer(rw)
    with pytest.raises(AppendOnlyError):
        referral.save()


# --- eligibility -----------------------------------------------------------------------------


def test_eligible_moves_to_eligibility_checked(rw):
    episode = eligible(team=rw.team, person=rw.person, actor=rw.worker)
    assert current_stage(episode) == Stage.ELIGIBILITY_CHECKED
    check = selectors.latest_eligibility(episode)
    assert check.outcome == EligibilityOutcome.ELIGIBLE and check.age_at_check >= 18


def test_eligible_refused_naming_each_condition_missing(rw):
    rw.person.date_of_birth = TODAY().replace(year=TODAY().year - 17) - D
    rw.person.save()
    episode = referred(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError) as exc:
        services.eligibility_record(
            actor=rw.worker,
            episode=episode,
            data=eligibility_input(custody_status=CustodyStatus.NOT_IN_CUSTODY, health_need=False),
        )
    message = exc.value.message_dict["outcome"][0]
    assert "they are 17" in message and "immigration removal centre" in message
    assert "identified health need" in message
    assert current_stage(episode) == Stage.REFERRED and not EligibilityCheck.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"checked_on": TODAY() + D}, "checked_on"),
        ({"checked_on": TODAY() - 5 * D}, "checked_on"),
        ({"custody_status": "hospital"}, "custody_status"),
        ({"outcome": "maybe"}, "outcome"),
        ({"outcome": EligibilityOutcome.ENHANCED}, "enhanced_service"),
        ({"enhanced_service": EnhancedService.IIRMS}, "enhanced_service"),
        ({"enhanced_service": "rehab"}, "enhanced_service"),
        ({"outcome": EligibilityOutcome.NOT_ELIGIBLE}, "notes"),
    ],
)
def test_bad_eligibility_is_refused_and_nothing_stored(rw, changes, field):
    episode = referred(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError) as exc:
        services.eligibility_record(
            actor=rw.worker, episode=episode, data=eligibility_input(**changes)
        )
    assert field in exc.value.message_dict
    assert current_stage(episode) == Stage.REFERRED and not EligibilityCheck.objects.exists()


def test_not_eligible_closes_the_episode_with_the_reason(rw):
    episode = referred(team=rw.team, person=rw.person, actor=rw.worker)
    services.eligibility_record(
        actor=rw.worker,
        episode=episode,
        data=eligibility_input(
            health_need=False, outcome=EligibilityOutcome.NOT_ELIGIBLE, notes="No health need"
        ),
    )
    last = EpisodeStatus.objects.filter(episode=episode).order_by("-seq").first()
    assert last.stage == Stage.CLOSED and last.closure_reason == ClosureReason.NOT_ELIGIBLE
    assert "identified health need" in last.note


def test_enhanced_service_is_recorded_and_referred_there(rw):
    episode = referred(team=rw.team, person=rw.person, actor=rw.worker)
    services.eligibility_record(
        actor=rw.worker,
        episode=episode,
        data=eligibility_input(
            outcome=EligibilityOutcome.ENHANCED,
            enhanced_service=EnhancedService.ENHANCED_RECONNECT,
        ),
    )
    last = EpisodeStatus.objects.filter(episode=episode).order_by("-seq").first()
    assert last.closure_reason == ClosureReason.ENHANCED_SERVICE
    assert last.note == "Referred to Enhanced RECONNECT"
    assert EligibilityCheck.objects.get().enhanced_service == "enhanced_reconnect"


def test_eligibility_recheck_adds_a_row_and_is_refused_after_pre_release(rw):
    episode = eligible(team=rw.team, person=rw.person, actor=rw.worker)
    services.eligibility_record(actor=rw.worker, episode=episode, data=eligibility_input())
    assert EligibilityCheck.objects.filter(episode=episode).count() == 2
    services.pre_release_start(actor=rw.worker, episode=episode)
    with pytest.raises(ValidationError, match="before pre-release support"):
        services.eligibility_record(actor=rw.worker, episode=episode, data=eligibility_input())


def test_eligibility_only_on_reconnect_episodes_by_the_care_team(rw):
    ld = make_episode(team=rw.ld_team, person=rw.person)
    with pytest.raises(ValidationError, match="not a RECONNECT episode"):
        services.eligibility_record(actor=rw.ld_worker, episode=ld, data=eligibility_input())
    episode = referred(team=rw.team, person=PersonFactory(team=rw.team), actor=rw.worker)
    stranger = staff(team=TeamFactory(region=rw.region))
    with pytest.raises(PermissionDenied):
        services.eligibility_record(actor=stranger, episode=episode, data=eligibility_input())


# --- release details and moves ---------------------------------------------------------------


def _release_input(rw, **changes):
    data = services.ReleaseInput(
        establishment=rw.site,
        expected_release_on=TODAY() + 20 * D,
        release_type=ReleaseType.HOME_DETENTION_CURFEW,
        area=rw.region,
        area_detail="Stoke-on-Trent",
        accommodation=Accommodation.TEMPORARY,
        probation_practitioner="Sam Example",
        medication="Olanzapine 10mg, 14 days supplied",
    )
    return replace(data, **changes)


def test_release_details_save_and_the_area_decides_the_community_team(rw):
    episode = referred(team=rw.team, person=rw.person, actor=rw.worker)
    details = services.release_details_save(
        actor=rw.worker, episode=episode, data=_release_input(rw), expected_version=1
    )
    assert details.version == 2 and details.accommodation == "temporary"
    assert CriminalJusticeContext.objects.get(episode=episode).prison_release_on == (
        TODAY() + 20 * D
    )
    assert selectors.community_team_for(details) == rw.team
    with pytest.raises(StaleEditError):
        services.release_details_save(
            actor=rw.worker, episode=episode, data=_release_input(rw), expected_version=1
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"establishment": None}, "establishment"),
        ({"expected_release_on": None}, "expected_release_on"),
        ({"release_type": "parole"}, "release_type"),
        ({"accommodation": "castle"}, "accommodation"),
    ],
)
def test_bad_release_details_are_refused(rw, changes, field):
    episode = referred(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError) as exc:
        services.release_details_save(
            actor=rw.worker, episode=episode, data=_release_input(rw, **changes), expected_version=1
        )
    assert field in exc.value.message_dict
    assert ReleaseDetails.objects.get().version == 1


def test_pre_release_needs_eligibility_and_a_release_to_come(rw):
    episode = referred(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError, match="once eligibility is checked"):
        services.pre_release_start(actor=rw.worker, episode=episode)
    services.eligibility_record(actor=rw.worker, episode=episode, data=eligibility_input())
    services.pre_release_start(actor=rw.worker, episode=episode)
    assert current_stage(episode) == Stage.PRE_RELEASE


def test_pre_release_refused_once_released(rw):
    episode = eligible(
        team=rw.team,
        person=rw.person,
        actor=rw.worker,
        expected_release_on=None,
        released_on=TODAY() - 3 * D,
    )
    with pytest.raises(ValidationError, match="record the release instead"):
        services.pre_release_start(actor=rw.worker, episode=episode)


def test_release_moves_to_released(rw):
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    details = services.release_record(
        actor=rw.worker,
        episode=episode,
        released_on=TODAY(),
        release_type=ReleaseType.END_OF_SENTENCE,
        expected_version=1,
    )
    assert details.released_on == TODAY() and current_stage(episode) == Stage.RELEASED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"released_on": TODAY() + D}, "released_on"),
        ({"released_on": TODAY() - 200 * D}, "released_on"),
        ({"release_type": ""}, "release_type"),
    ],
)
def test_bad_releases_are_refused(rw, changes, field):
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    data = {"released_on": TODAY(), "release_type": ReleaseType.LICENCE, **changes}
    with pytest.raises(ValidationError) as exc:
        services.release_record(actor=rw.worker, episode=episode, expected_version=1, **data)
    assert field in exc.value.message_dict
    assert current_stage(episode) == Stage.PRE_RELEASE
    assert ReleaseDetails.objects.get().released_on is None


def test_release_skipping_pre_release_needs_a_reason_unless_referred_after(rw):
    episode = eligible(team=rw.team, person=rw.person, actor=rw.worker)
    Episode.objects.filter(pk=episode.pk).update(referred_at=timezone.now() - 10 * D)
    episode.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.release_record(
            actor=rw.worker,
            episode=episode,
            released_on=TODAY(),
            release_type=ReleaseType.LICENCE,
            expected_version=1,
        )
    assert "skip_reason" in exc.value.message_dict
    assert current_stage(episode) == Stage.ELIGIBILITY_CHECKED
    services.release_record(
        actor=rw.worker,
        episode=episode,
        released_on=TODAY(),
        release_type=ReleaseType.LICENCE,
        expected_version=1,
        skip_reason="Released early by the parole board",
    )
    last = EpisodeStatus.objects.filter(episode=episode).order_by("-seq").first()
    assert last.stage == Stage.RELEASED and last.skip_reason.startswith("Released early")


def test_referred_after_release_skips_pre_release_by_itself(rw):
    episode = eligible(
        team=rw.team,
        person=rw.person,
        actor=rw.worker,
        expected_release_on=None,
        released_on=TODAY() - 5 * D,
    )
    services.release_record(
        actor=rw.worker,
        episode=episode,
        released_on=TODAY() - 5 * D,
        release_type=ReleaseType.LICENCE,
        expected_version=1,
    )
    last = EpisodeStatus.objects.filter(episode=episode).order_by("-seq").first()
    assert last.skip_reason == "Referred after their release"


def test_a_closed_episode_takes_nothing_more(rw):
    episode = referred(team=rw.team, person=rw.person, actor=rw.worker)
    services.eligibility_record(
        actor=rw.worker,
        episode=episode,
        data=eligibility_input(outcome=EligibilityOutcome.NOT_ELIGIBLE, notes="Moved away"),
    )
    with pytest.raises(ValidationError, match="closed"):
        services.release_details_save(
            actor=rw.worker, episode=episode, data=_release_input(rw), expected_version=1
        )
    with pytest.raises(ValidationError, match="closed"):
        services.pre_release_start(actor=rw.worker, episode=episode)


def test_an_irc_is_an_establishment(rw):
    irc = prison(rw.team, name="Yarl's Wood IRC", kind=SiteKind.IMMIGRATION_REMOVAL_CENTRE)
    referral = _refer(rw, establishment=irc)
    assert referral.episode.site == irc


def test_subject_access_export_holds_the_reconnect_record(rw):
    from healthjustice.governance.subject_access import subject_access_document

    episode = eligible(team=rw.team, person=rw.person, actor=rw.worker)
    document = subject_access_document(rw.person)
    [row] = document["reconnect"]
    assert row["episode"]["reference"] == str(episode.public_id)
    assert row["referrer"]["code"] == Referrer.PRISON_HEALTHCARE
    assert [c["outcome"]["code"] for c in row["eligibility"]] == ["eligible"]
    assert row["release"]["establishment"] == rw.site.name
