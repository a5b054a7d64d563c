"""Referrals to an MHTR team from probation, the court, a defence solicitor or self: the rules,
each with the input that breaks it, and the page that records one from the person's record."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.journeys import services as journeys
from healthjustice.journeys.choices import ClosureReason, EpisodeSetting, ReferralSource, Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode
from healthjustice.journeys.selectors import current_stage
from healthjustice.mhtr import referrals
from healthjustice.mhtr.choices import ReferralRoute
from healthjustice.mhtr.models import MhtrReferral
from healthjustice.organisations.choices import SiteKind
from healthjustice.organisations.roles import Role
from healthjustice.people.access import person_is_visible_to
from healthjustice.people.models import CareRelationship
from tests.conftest import MODEL_BACKEND
from tests.factories import PersonFactory, staff
from tests.journeys.factories import make_site
from tests.mhtr.factories import make_mhtr_episode

TODAY = timezone.localdate


def _probation(**changes) -> referrals.OutsideReferral:
    data = {
        "route": ReferralRoute.PROBATION,
        "received_on": TODAY() - datetime.timedelta(days=2),
        "reason": "Low mood since losing work; a community order is likely",
        "referrer_name": "Gemma Whitfield",
        "referrer_organisation": "Stoke-on-Trent probation delivery unit",
        "referrer_contact": "01782 000000",
    }
    data.update(changes)
    return referrals.OutsideReferral(**data)


@pytest.fixture
def known(mw):
    """A person the MHTR team already knows (registered by it)."""
    return PersonFactory(team=mw.team)


def _messages(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.messages)


# --- the service ------------------------------------------------------------------------------


def test_probation_referral_opens_an_episode_at_referred_with_the_referrer(mw, known):
    referral = referrals.referral_receive(
        actor=mw.worker, person=known, team=mw.team, data=_probation()
    )
    episode = referral.episode
    assert episode.team == mw.team and episode.person == known
    assert current_stage(episode) == Stage.REFERRED
    assert episode.referral_source == ReferralSource.PROBATION
    assert episode.setting == EpisodeSetting.PROBATION
    assert timezone.localdate(episode.referred_at) == TODAY() - datetime.timedelta(days=2)
    assert referral.route == ReferralRoute.PROBATION and referral.from_episode is None
    assert referral.referrer_name == "Gemma Whitfield"
    assert referral.referrer_organisation == "Stoke-on-Trent probation delivery unit"
    assert referral.received_on == TODAY() - datetime.timedelta(days=2)
    event = AuditEvent.objects.get(object_type="mhtr_referral")
    assert event.object_id == str(referral.public_id)
    assert event.detail["route"] == "probation" and event.detail["person"] == str(known.public_id)
    assert AuditEvent.objects.filter(object_type="episode", action="create").count() == 1


@pytest.mark.parametrize(
    ("route", "source"),
    [
        (ReferralRoute.COURT, ReferralSource.COURT_STAFF),
        (ReferralRoute.DEFENCE_SOLICITOR, ReferralSource.DEFENCE_SOLICITOR),
    ],
)
def test_court_and_solicitor_referrals_keep_their_route(mw, known, route, source):
    referral = referrals.referral_receive(
        actor=mw.worker, person=known, team=mw.team, data=_probation(route=route)
    )
    assert referral.route == route and referral.episode.referral_source == source


def test_self_referral_needs_no_referrer_and_refuses_one(mw, known):
    with pytest.raises(ValidationError) as exc:
        referrals.referral_receive(
            actor=mw.worker, person=known, team=mw.team, data=_probation(route=ReferralRoute.SELF)
        )
    assert "self-referral has no referrer" in _messages(exc)
    assert not Episode.objects.filter(team=mw.team).exists()
    referral = referrals.referral_receive(
        actor=mw.worker,
        person=known,
        team=mw.team,
        data=_probation(
            route=ReferralRoute.SELF,
            referrer_name="",
            referrer_organisation="",
            referrer_contact="",
        ),
    )
    assert referral.episode.referral_source == ReferralSource.SELF
    assert referral.referrer_name == ""


def test_the_referrer_is_needed_for_other_routes(mw, known):
    with pytest.raises(ValidationError) as exc:
        referrals.referral_receive(
            actor=mw.worker,
            person=known,
            team=mw.team,
            data=_probation(referrer_name=" ", referrer_organisation="", referrer_contact=""),
        )
    assert set(exc.value.message_dict) == {
        "referrer_name",
        "referrer_organisation",
        "referrer_contact",
    }
    assert "Enter the name of the person who referred them" in _messages(exc)
    assert not MhtrReferral.objects.exists()


def test_the_ld_route_and_unknown_routes_are_refused_here(mw, known):
    for route in (ReferralRoute.LIAISON_DIVERSION, "police"):
        with pytest.raises(ValidationError) as exc:
            referrals.referral_receive(
                actor=mw.worker, person=known, team=mw.team, data=_probation(route=route)
            )
        assert exc.value.message_dict["route"] == ["Select who made the referral"]
    assert not Episode.objects.exists()


def test_a_date_received_in_the_future_is_refused(mw, known):
    with pytest.raises(ValidationError) as exc:
        referrals.referral_receive(
            actor=mw.worker,
            person=known,
            team=mw.team,
            data=_probation(received_on=TODAY() + datetime.timedelta(days=1)),
        )
    assert exc.value.message_dict["received_on"] == [
        "The date the referral was received must be today or in the past"
    ]
    assert not Episode.objects.exists()


def test_received_today_is_dated_now(mw, known):
    before = timezone.now()
    referral = referrals.referral_receive(
        actor=mw.worker, person=known, team=mw.team, data=_probation(received_on=TODAY())
    )
    assert referral.episode.referred_at >= before


def test_the_reason_is_needed(mw, known):
    with pytest.raises(ValidationError) as exc:
        referrals.referral_receive(
            actor=mw.worker, person=known, team=mw.team, data=_probation(reason="  ")
        )
    assert exc.value.message_dict["reason"] == ["Enter the reason for the referral"]


def test_someone_with_an_open_episode_in_the_team_cannot_be_referred_again(mw, known):
    referrals.referral_receive(actor=mw.worker, person=known, team=mw.team, data=_probation())
    with pytest.raises(ValidationError) as exc:
        referrals.referral_receive(
            actor=mw.worker,
            person=known,
            team=mw.team,
            data=_probation(route=ReferralRoute.COURT),
        )
    assert f"already has an open episode with {mw.team.name}" in _messages(exc)
    assert MhtrReferral.objects.count() == 1
    assert Episode.objects.filter(person=known, team=mw.team).count() == 1


def test_a_closed_episode_does_not_stop_a_new_referral(mw, known):
    earlier = make_mhtr_episode(team=mw.team, person=known)
    journeys.episode_move(
        actor=mw.worker,
        episode=earlier,
        to_stage=Stage.CLOSED,
        closure_reason=ClosureReason.NOT_SUITABLE,
    )
    referral = referrals.referral_receive(
        actor=mw.worker, person=known, team=mw.team, data=_probation()
    )
    assert current_stage(referral.episode) == Stage.REFERRED


def test_a_person_the_user_cannot_see_is_refused(mw):
    stranger = PersonFactory()
    with pytest.raises(PermissionDenied):
        referrals.referral_receive(
            actor=mw.worker, person=stranger, team=mw.team, data=_probation()
        )
    assert not Episode.objects.exists()
    assert not CareRelationship.objects.filter(person=stranger).exists()


def test_only_members_of_the_mhtr_team_record_its_referrals(mw):
    # The L&D worker sees the person, but is not in the MHTR team.
    with pytest.raises(PermissionDenied):
        referrals.referral_receive(
            actor=mw.ld_worker, person=mw.person, team=mw.team, data=_probation()
        )
    with pytest.raises(ValidationError, match="Only an MHTR team"):
        referrals.referral_receive(
            actor=mw.ld_worker, person=mw.person, team=mw.ld_team, data=_probation()
        )
    assert not Episode.objects.exists()


def test_referral_starts_the_mhtr_teams_care_relationship(mw):
    # Someone the MHTR worker sees through a second membership, in the L&D team.
    staff(Role.PRACTITIONER, team=mw.ld_team, user=mw.worker)
    assert not CareRelationship.objects.filter(person=mw.person, team=mw.team).exists()
    referrals.referral_receive(actor=mw.worker, person=mw.person, team=mw.team, data=_probation())
    assert CareRelationship.objects.current().filter(person=mw.person, team=mw.team).exists()
    other_mhtr_worker = staff(Role.PRACTITIONER, team=mw.team)
    assert person_is_visible_to(other_mhtr_worker, mw.person)


def test_hearing_details_are_kept_as_criminal_justice_details(mw, known):
    court = make_site(mw.team, name="North Staffordshire Justice Centre", kind=SiteKind.COURT)
    hearing_at = timezone.make_aware(
        datetime.datetime.combine(TODAY() + datetime.timedelta(days=14), datetime.time(10))
    )
    referral = referrals.referral_receive(
        actor=mw.worker,
        person=known,
        team=mw.team,
        data=_probation(hearing={"court": court, "court_name": "", "hearing_at": hearing_at}),
    )
    context = CriminalJusticeContext.objects.get(episode=referral.episode)
    assert context.court == court and context.hearing_at == hearing_at


def test_an_impossible_hearing_rolls_back_the_whole_referral(mw, known):
    """The hearing is checked after the episode is opened: nothing of it may stay."""
    court = make_site(mw.team, name="North Staffordshire Justice Centre", kind=SiteKind.COURT)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        referrals.referral_receive(
            actor=mw.worker,
            person=known,
            team=mw.team,
            data=_probation(
                hearing={"court": court, "court_name": "Another court", "hearing_at": None}
            ),
        )
    assert "not both" in _messages(exc)
    assert not Episode.objects.exists() and not MhtrReferral.objects.exists()
    assert AuditEvent.objects.count() == before


def test_hearing_before_the_referral_is_refused(mw, known):
    hearing_at = timezone.make_aware(
        datetime.datetime.combine(TODAY() - datetime.timedelta(days=10), datetime.time(10))
    )
    with pytest.raises(ValidationError) as exc:
        referrals.referral_receive(
            actor=mw.worker,
            person=known,
            team=mw.team,
            data=_probation(hearing={"hearing_at": hearing_at}),
        )
    assert "hearing_at" in exc.value.message_dict
    assert not Episode.objects.exists()


def test_referral_teams_are_the_mhtr_teams_the_user_works_in(mw):
    assert list(referrals.referral_teams(mw.worker)) == [mw.team]
    assert list(referrals.referral_teams(mw.ld_worker)) == []


# --- the pages --------------------------------------------------------------------------------


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def _form(**changes) -> dict[str, str]:
    data = {
        "route": "probation",
        "referrer_name": "Gemma Whitfield",
        "referrer_organisation": "Stoke-on-Trent PDU",
        "referrer_contact": "01782 000000",
        **_date("received_on", TODAY()),
        "reason": "Low mood; a community order is likely",
    }
    data.update(changes)
    return data


@pytest.fixture
def mhtr_client(client, mw):
    client.force_login(mw.worker, backend=MODEL_BACKEND)
    return client


def test_person_page_offers_the_referral_to_mhtr_team_members_only(mhtr_client, client, mw, known):
    page = mhtr_client.get(reverse("people:detail", kwargs={"public_id": known.public_id}))
    url = reverse("mhtr:refer_person", kwargs={"person_id": known.public_id})
    assert url in page.content.decode()
    client.force_login(mw.ld_worker, backend=MODEL_BACKEND)
    page = client.get(reverse("people:detail", kwargs={"public_id": mw.person.public_id}))
    assert "mhtr/people/" not in page.content.decode()
    assert (
        client.get(
            reverse("mhtr:refer_person", kwargs={"person_id": mw.person.public_id})
        ).status_code
        == 403
    )


def test_referral_page_records_it_and_shows_the_episode(mhtr_client, mw, known):
    url = reverse("mhtr:refer_person", kwargs={"person_id": known.public_id})
    page = mhtr_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and mw.team.name in html and "Defence solicitor" in html
    assert "Liaison and Diversion episode" not in html  # that route has its own page
    response = mhtr_client.post(url, {**_form(), "team": str(mw.team.public_id)})
    assert response.status_code == 302
    referral = MhtrReferral.objects.get()
    assert response["Location"] == reverse(
        "journeys:detail", kwargs={"public_id": referral.episode.public_id}
    )
    episode_page = mhtr_client.get(response["Location"]).content.decode()
    assert "Referred by probation" in episode_page and "Gemma Whitfield" in episode_page
    person_page = mhtr_client.get(reverse("people:detail", kwargs={"public_id": known.public_id}))
    assert f"has an open MHTR episode with {mw.team.name}" in person_page.content.decode()


def test_referral_page_shows_each_mistake_and_stores_nothing(mhtr_client, mw, known):
    url = reverse("mhtr:refer_person", kwargs={"person_id": known.public_id})
    tomorrow = TODAY() + datetime.timedelta(days=1)
    response = mhtr_client.post(
        url,
        _form(
            team=str(mw.team.public_id),
            route="",
            reason="",
            **_date("received_on", tomorrow),
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select who made the referral" in html
    assert "must be today or in the past" in html
    assert "Enter reason for the referral" in html or "Enter the reason" in html
    response = mhtr_client.post(
        url, _form(team=str(mw.team.public_id), referrer_name="", referrer_contact="")
    )
    html = response.content.decode()
    assert "Enter the name of the person who referred them" in html
    assert "Enter how to contact the referrer" in html
    response = mhtr_client.post(
        url,
        _form(
            team=str(mw.team.public_id),
            **_date("hearing_date", TODAY() + datetime.timedelta(days=3)),
        ),
    )
    assert "Enter the time of the hearing" in response.content.decode()
    assert not Episode.objects.exists() and not MhtrReferral.objects.exists()


def test_referral_page_says_when_they_already_have_an_open_episode(mhtr_client, mw, known):
    make_mhtr_episode(team=mw.team, person=known)
    url = reverse("mhtr:refer_person", kwargs={"person_id": known.public_id})
    response = mhtr_client.post(url, _form(team=str(mw.team.public_id)))
    assert response.status_code == 200
    assert f"already has an open episode with {mw.team.name}" in response.content.decode()
    assert not MhtrReferral.objects.exists()


def test_referral_page_for_someone_out_of_sight_is_not_found(mhtr_client, mw):
    stranger = PersonFactory()
    url = reverse("mhtr:refer_person", kwargs={"person_id": stranger.public_id})
    assert mhtr_client.get(url).status_code == 404
    assert mhtr_client.post(url, _form(team=str(mw.team.public_id))).status_code == 404
    assert not Episode.objects.exists()


def test_someone_new_is_registered_first_then_referred_from_their_page(mhtr_client, mw):
    from tests.people.test_registration_and_edit import _form as registration

    response = mhtr_client.post(reverse("people:register"), registration(mw.team))
    assert response.status_code == 302
    person_page = mhtr_client.get(response["Location"]).content.decode()
    refer_url = next(
        part.split('"')[0]
        for part in person_page.split('href="')
        if part.startswith("/mhtr/people/")
    )
    assert mhtr_client.post(refer_url, _form(team=str(mw.team.public_id))).status_code == 302
    referral = MhtrReferral.objects.get()
    assert referral.episode.person.family_name == "Whitehouse"
    # Registering the same person again is stopped by the duplicate check first.
    again = mhtr_client.post(
        reverse("people:register"),
        registration(mw.team, nhs_number="", nhs_number_missing_reason="declined"),
    )
    assert "may already be registered" in again.content.decode()
