"""Opening, moving and allocating episodes through the service layer."""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.core.concurrency import StaleEditError
from healthjustice.journeys import services
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode, EpisodeStatus
from healthjustice.journeys.selectors import current_stage, with_current_stage
from healthjustice.journeys.stages import OPEN_STAGES, ORDER, IllegalMove
from healthjustice.organisations.choices import SiteKind
from healthjustice.organisations.roles import Role
from healthjustice.people.models import BreakGlassAccess, CareRelationship
from tests.factories import PersonFactory, TeamFactory, staff
from tests.journeys.factories import make_episode, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(name="Stoke custody L&D")


@pytest.fixture
def practitioner(team):
    return staff(team=team, user__first_name="Asha", user__last_name="Patel")


def _open(actor, team, **overrides):
    values = {
        "actor": actor,
        "person": PersonFactory(team=team),
        "team": team,
        "setting": "police_custody",
        "referral_source": "custody_sergeant",
        "referred_at": timezone.now() - datetime.timedelta(hours=1),
        "reason": "Withdrawn and tearful at booking-in",
    }
    values.update(overrides)
    return services.episode_open(**values)


def _writes():
    return (
        Episode.objects.count(),
        EpisodeStatus.objects.count(),
        CriminalJusticeContext.objects.count(),
        AuditEvent.objects.count(),
    )


# Opening


def test_episode_open_starts_at_identified(practitioner, team):
    episode = _open(practitioner, team)
    assert current_stage(episode) == Stage.IDENTIFIED
    assert episode.statuses.get().by == practitioner
    assert episode.pathway == team.pathway


def test_episode_open_gives_the_team_a_care_relationship_if_it_had_none(practitioner, team):
    person = PersonFactory(team=TeamFactory())
    BreakGlassAccess.objects.create(
        person=person,
        user=practitioner,
        reason="Brought in by police, at risk",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    _open(practitioner, team, person=person)
    assert CareRelationship.objects.current().filter(person=person, team=team).exists()


def test_episode_open_refuses_a_future_referral_and_writes_nothing(practitioner, team):
    before = _writes()
    with pytest.raises(ValidationError) as caught:
        _open(practitioner, team, referred_at=timezone.now() + datetime.timedelta(minutes=5))
    assert caught.value.message_dict["referred_at"] == [
        "The referral date and time cannot be in the future"
    ]
    assert _writes()[:3] == before[:3]


def test_episode_open_with_bad_cj_details_writes_nothing(practitioner, team):
    referred = timezone.now() - datetime.timedelta(days=1)
    person = PersonFactory(team=team)
    before = _writes()
    with pytest.raises(ValidationError) as caught:
        _open(
            practitioner,
            team,
            person=person,
            referred_at=referred,
            cj_details={
                "hearing_at": referred - datetime.timedelta(days=2),
                "arrived_in_custody_at": timezone.now() + datetime.timedelta(hours=1),
            },
        )
    errors = caught.value.message_dict
    assert errors["hearing_at"][0].startswith("The hearing date must be on or after the referral")
    assert errors["arrived_in_custody_at"] == [
        "The time they arrived in custody cannot be in the future"
    ]
    assert _writes() == before


def test_episode_open_saves_cj_details_and_audits_them_apart(practitioner, team):
    arrived = timezone.now() - datetime.timedelta(hours=3)
    episode = _open(
        practitioner,
        team,
        cj_details={"arrived_in_custody_at": arrived, "offence_category": "theft"},
    )
    assert episode.cj_context.arrived_in_custody_at == arrived
    kinds = list(
        AuditEvent.objects.filter(object_id=str(episode.public_id)).values_list(
            "object_type", "action"
        )
    )
    assert ("episode", "create") in kinds
    assert ("cj_context", "create") in kinds


def test_episode_open_refuses_a_site_of_another_team(practitioner, team):
    site = make_site(TeamFactory(), name="Hanley Magistrates' Court", kind=SiteKind.COURT)
    with pytest.raises(ValidationError) as caught:
        _open(practitioner, team, site=site)
    assert "site" in caught.value.message_dict


def test_episode_open_refuses_a_team_the_actor_is_not_in(practitioner):
    with pytest.raises(PermissionDenied):
        _open(practitioner, TeamFactory())


# Moving


def _walk_to(episode, actor, stage):
    for step in ORDER[1 : ORDER.index(stage) + 1]:
        services.episode_move(actor=actor, episode=episode, to_stage=step, note="On paper")


@pytest.mark.parametrize(("current", "target"), list(itertools.pairwise(OPEN_STAGES)))
def test_episode_move_appends_a_row_for_every_legal_step(practitioner, team, current, target):
    episode = make_episode(team, stage=current, by=practitioner)
    status = services.episode_move(
        actor=practitioner, episode=episode, to_stage=target, note="Screened on paper"
    )
    assert status.seq == ORDER.index(current) + 2
    assert current_stage(episode) == target


@pytest.mark.parametrize("stage", OPEN_STAGES)
def test_episode_can_be_closed_from_every_open_stage_with_a_reason(practitioner, team, stage):
    episode = make_episode(team, stage=stage)
    status = services.episode_move(
        actor=practitioner,
        episode=episode,
        to_stage=Stage.CLOSED,
        closure_reason=ClosureReason.RELEASED_OR_TRANSFERRED,
    )
    assert status.closure_reason == ClosureReason.RELEASED_OR_TRANSFERRED
    assert current_stage(episode) == Stage.CLOSED


ILLEGAL = [
    (Stage.SCREENED, Stage.IDENTIFIED, {}, "cannot go back from 'screened' to 'identified'"),
    (Stage.ASSESSED, Stage.ASSESSED, {}, "already at 'assessed'"),
    (Stage.CLOSED, Stage.INTERVENTION, {"skip_reason": "x"}, "This episode is closed"),
    (Stage.IDENTIFIED, Stage.ASSESSED, {}, "Give a reason for skipping screened."),
    (Stage.SCREENED, Stage.CLOSED, {}, "Give a reason for closing the episode."),
    (Stage.SCREENED, Stage.CLOSED, {"closure_reason": "other"}, "Say why the episode"),
]


@pytest.mark.parametrize(("current", "target", "extra", "message"), ILLEGAL)
def test_illegal_moves_are_refused_with_the_machines_message_and_write_nothing(
    practitioner, team, current, target, extra, message
):
    episode = make_episode(team, stage=current)
    before = _writes()
    with pytest.raises(IllegalMove, match=message):
        services.episode_move(actor=practitioner, episode=episode, to_stage=target, **extra)
    assert _writes() == before


def test_skip_with_a_reason_records_the_reason_and_audits_the_skipped_stages(practitioner, team):
    episode = make_episode(team)
    status = services.episode_move(
        actor=practitioner,
        episode=episode,
        to_stage=Stage.INTERVENTION,
        skip_reason="Assessed by the crisis team in custody",
    )
    assert status.skip_reason == "Assessed by the crisis team in custody"
    event = AuditEvent.objects.filter(object_type="episode").last()
    assert event.detail["to"] == "intervention"
    assert event.detail["skipped"] == ["screened", "assessed"]


def test_a_skip_reason_on_a_single_step_is_not_kept(practitioner, team):
    episode = make_episode(team)
    status = services.episode_move(
        actor=practitioner,
        episode=episode,
        to_stage=Stage.SCREENED,
        skip_reason="stray text",
        note="On paper",
    )
    assert status.skip_reason == ""


def test_the_current_stage_comes_from_the_newest_status_row(practitioner, team):
    episode = make_episode(team, stage=Stage.ASSESSED)
    annotated = with_current_stage(Episode.objects.filter(pk=episode.pk)).get()
    assert annotated.current_stage == Stage.ASSESSED
    EpisodeStatus.objects.create(episode=episode, seq=99, stage=Stage.INTERVENTION)
    annotated = with_current_stage(Episode.objects.filter(pk=episode.pk)).get()
    assert annotated.current_stage == Stage.INTERVENTION == current_stage(episode)


def test_status_rows_cannot_be_edited_in_place(team):
    status = make_episode(team).statuses.get()
    status.stage = Stage.CLOSED
    with pytest.raises(PermissionError):
        status.save()


def test_moving_someone_elses_episode_is_refused(team):
    episode = make_episode(team)
    outsider = staff(team=TeamFactory())
    with pytest.raises(PermissionDenied):
        services.episode_move(actor=outsider, episode=episode, to_stage=Stage.SCREENED)


# Taking and assigning


def test_two_practitioners_taking_the_same_episode_one_wins_the_other_is_told(team, practitioner):
    rival = staff(team=team, user__first_name="Ben", user__last_name="Okoro")
    episode = make_episode(team)
    seen_by_both = episode.version
    services.episode_take(actor=practitioner, episode=episode, expected_version=seen_by_both)
    stale_copy = Episode.objects.get(pk=episode.pk)
    with pytest.raises(StaleEditError, match="Already taken by Asha Patel"):
        services.episode_take(actor=rival, episode=stale_copy, expected_version=seen_by_both)
    episode.refresh_from_db()
    assert episode.allocated_worker == practitioner
    assert episode.version == seen_by_both + 1
    takes = AuditEvent.objects.filter(object_type="episode", fields_changed=["allocated_worker"])
    assert takes.count() == 1


def test_taking_an_episode_twice_is_harmless(team, practitioner):
    episode = make_episode(team)
    services.episode_take(actor=practitioner, episode=episode, expected_version=1)
    again = services.episode_take(actor=practitioner, episode=episode, expected_version=1)
    assert again.allocated_worker == practitioner and again.version == 2


def test_take_never_moves_an_episode_from_a_colleague(team, practitioner):
    episode = make_episode(team, worker=practitioner)
    rival = staff(team=team)
    with pytest.raises(StaleEditError, match="Already taken by Asha Patel"):
        services.episode_take(actor=rival, episode=episode, expected_version=episode.version)


def test_take_is_refused_on_a_closed_episode(team, practitioner):
    episode = make_episode(team, stage=Stage.CLOSED)
    with pytest.raises(StaleEditError, match="closed"):
        services.episode_take(actor=practitioner, episode=episode, expected_version=1)


def test_assign_with_a_stale_version_names_who_has_it(team, practitioner):
    lead = staff(Role.TEAM_LEADER, team=team)
    episode = make_episode(team)
    services.episode_take(actor=practitioner, episode=episode, expected_version=1)
    with pytest.raises(StaleEditError, match="Already taken by Asha Patel"):
        services.episode_assign(actor=lead, episode=episode, worker=lead, expected_version=1)


def test_assign_moves_an_episode_between_team_members(team, practitioner):
    lead = staff(Role.TEAM_LEADER, team=team)
    episode = make_episode(team, worker=lead)
    services.episode_assign(
        actor=lead, episode=episode, worker=practitioner, expected_version=episode.version
    )
    episode.refresh_from_db()
    assert episode.allocated_worker == practitioner
    assert episode.allocated_at is not None


def test_assign_refuses_someone_outside_the_team(team):
    lead = staff(Role.TEAM_LEADER, team=team)
    episode = make_episode(team)
    with pytest.raises(ValidationError):
        services.episode_assign(
            actor=lead, episode=episode, worker=staff(team=TeamFactory()), expected_version=1
        )
    episode.refresh_from_db()
    assert episode.allocated_worker is None and episode.version == 1


def test_practitioners_cannot_assign(team, practitioner):
    episode = make_episode(team)
    with pytest.raises(PermissionDenied):
        services.episode_assign(
            actor=practitioner, episode=episode, worker=practitioner, expected_version=1
        )


# Criminal-justice details


def test_cj_context_save_refuses_a_stale_version_and_keeps_the_first_save(team, practitioner):
    episode = make_episode(team)
    first = services.cj_context_save(
        actor=practitioner, episode=episode, details={"plea": "guilty"}, expected_version=None
    )
    services.cj_context_save(
        actor=practitioner, episode=episode, details={"plea": "not_guilty"}, expected_version=1
    )
    with pytest.raises(StaleEditError):
        services.cj_context_save(
            actor=practitioner, episode=episode, details={"plea": "mixed"}, expected_version=1
        )
    first.refresh_from_db()
    assert (first.plea, first.version) == ("not_guilty", 2)


def test_cj_context_save_audits_field_names_never_values(team, practitioner):
    episode = make_episode(team)
    services.cj_context_save(
        actor=practitioner,
        episode=episode,
        details={"custody_record_reference": "21/SECRET/99", "offence_category": "robbery"},
        expected_version=None,
    )
    event = AuditEvent.objects.get(object_type="cj_context")
    assert event.fields_changed == ["custody_record_reference", "offence_category"]
    assert "SECRET" not in str(event.detail) and "robbery" not in str(event.detail)


def test_cj_context_refuses_both_a_listed_court_and_a_typed_one(team, practitioner):
    court = make_site(team, name="North Staffordshire Justice Centre", kind=SiteKind.COURT)
    with pytest.raises(ValidationError) as caught:
        services.cj_context_save(
            actor=practitioner,
            episode=make_episode(team),
            details={"court": court, "court_name": "Stafford Crown Court"},
            expected_version=None,
        )
    assert "court_name" in caught.value.message_dict


def test_cj_context_refuses_a_report_due_date_without_a_request(team, practitioner):
    with pytest.raises(ValidationError) as caught:
        services.cj_context_save(
            actor=practitioner,
            episode=make_episode(team),
            details={"psr_due_on": timezone.localdate(), "psr_requested": False},
            expected_version=None,
        )
    assert "psr_due_on" in caught.value.message_dict
    assert not CriminalJusticeContext.objects.exists()


def test_a_move_can_be_recorded_at_an_earlier_time_but_not_before_the_last_one(team, practitioner):
    referred = timezone.now() - 3 * datetime.timedelta(hours=1)
    episode = make_episode(team, referred_at=referred)
    earlier = referred + datetime.timedelta(hours=1)
    status = services.episode_move(
        actor=practitioner, episode=episode, to_stage=Stage.SCREENED, at=earlier, note="On paper"
    )
    assert status.at == earlier
    with pytest.raises(IllegalMove, match="before the episode's previous change"):
        services.episode_move(
            actor=practitioner, episode=episode, to_stage=Stage.ASSESSED, at=referred
        )
    with pytest.raises(IllegalMove, match="cannot be in the future"):
        services.episode_move(
            actor=practitioner,
            episode=episode,
            to_stage=Stage.ASSESSED,
            at=timezone.now() + datetime.timedelta(minutes=5),
        )
    assert episode.statuses.count() == 2


@pytest.mark.parametrize("stage", ORDER)
def test_at_stage_agrees_with_the_newest_row(team, stage):
    from healthjustice.journeys.selectors import at_stage

    episodes = {s: make_episode(team, stage=s) for s in ORDER}
    skipped = make_episode(team)
    EpisodeStatus.objects.create(episode=skipped, seq=2, stage=Stage.ASSESSED, skip_reason="x")
    found = set(at_stage(Episode.objects.all(), stage))
    expected = {episodes[stage]} | ({skipped} if stage == Stage.ASSESSED else set())
    assert found == expected
    assert all(current_stage(e) == stage for e in found)


def test_stage_moves_are_audited_against_the_person(practitioner, team):
    episode = _open(practitioner, team)
    services.episode_move(
        actor=practitioner, episode=episode, to_stage=Stage.SCREENED, note="On paper"
    )
    events = [
        e for e in AuditEvent.objects.filter(object_type="episode") if e.fields_changed == ["stage"]
    ]
    assert [e.detail["person"] for e in events] == [str(episode.person.public_id)]
