"""Opening an episode, the episode page, moving it on, and what the person page shows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from markupsafe import Markup

from healthjustice.audit.models import AuditEvent
from healthjustice.journeys import sections
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import CriminalJusticeContext, Episode, EpisodeStatus
from healthjustice.journeys.sections import register_episode_section
from healthjustice.organisations.choices import SiteKind
from tests.factories import (
    AgreementFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    staff,
)
from tests.journeys.factories import make_episode, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(name="Stoke custody L&D")


@pytest.fixture
def practitioner(team):
    return staff(team=team)


def _date_parts(prefix, day):
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def _open_data(team, **extra):
    now = timezone.localtime() - datetime.timedelta(minutes=10)
    return {
        "team": str(team.public_id),
        "setting": "police_custody",
        "referral_source": "custody_sergeant",
        **_date_parts("referred_date", now.date()),
        "referred_time": now.strftime("%H:%M"),
        "reason": "Said they had not slept for four days",
        "disposal": "not_yet_known",
        **extra,
    }


# Opening an episode


def test_open_episode_page_for_someone_not_visible_is_404(practitioner, signed_in):
    stranger = PersonFactory(team=TeamFactory())
    client = signed_in(practitioner)
    url = reverse("journeys:open", kwargs={"person_id": stranger.public_id})
    assert client.get(url).status_code == 404
    assert client.post(url, _open_data(practitioner.memberships.get().team)).status_code == 404
    assert not Episode.objects.exists()
    assert AuditEvent.objects.filter(action="denied", object_type="person").count() == 2


def test_open_episode_creates_it_with_cj_details_and_shows_it(team, practitioner, signed_in):
    person = PersonFactory(team=team)
    site = make_site(team)
    url = reverse("journeys:open", kwargs={"person_id": person.public_id})
    client = signed_in(practitioner)
    form = client.get(url).content.decode()
    assert "Northern Area Custody" in form and "Criminal-justice details (optional)" in form
    arrived = timezone.localtime() - datetime.timedelta(hours=3)
    response = client.post(
        url,
        _open_data(
            team,
            site=str(site.public_id),
            custody_record_reference="21/STK/00777",
            **_date_parts("arrived_date", arrived.date()),
            arrived_time=arrived.strftime("%H:%M"),
        ),
        follow=True,
    )
    episode = Episode.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "journeys:detail", kwargs={"public_id": episode.public_id}
    )
    assert episode.site == site
    assert episode.cj_context.custody_record_reference == "21/STK/00777"
    assert "An episode has been opened" in response.content.decode()


def test_open_episode_refuses_a_future_referral_with_a_clear_message(team, practitioner, signed_in):
    person = PersonFactory(team=team)
    later = timezone.localtime() + datetime.timedelta(days=1)
    response = signed_in(practitioner).post(
        reverse("journeys:open", kwargs={"person_id": person.public_id}),
        _open_data(team, **_date_parts("referred_date", later.date())),
    )
    assert "Date of the referral must be today or in the past" in response.content.decode()
    assert not Episode.objects.exists()


def test_open_episode_refuses_a_hearing_before_the_referral(team, practitioner, signed_in):
    person = PersonFactory(team=team)
    earlier = timezone.localdate() - datetime.timedelta(days=3)
    response = signed_in(practitioner).post(
        reverse("journeys:open", kwargs={"person_id": person.public_id}),
        _open_data(team, **_date_parts("hearing_date", earlier), hearing_time="10:00"),
    )
    assert "The hearing date must be on or after the referral date" in response.content.decode()
    assert not Episode.objects.exists() and not CriminalJusticeContext.objects.exists()


def test_open_episode_refuses_a_site_of_another_team(team, practitioner, signed_in):
    person = PersonFactory(team=team)
    elsewhere = make_site(TeamFactory(), name="Stafford Crown Court", kind=SiteKind.COURT)
    response = signed_in(practitioner).post(
        reverse("journeys:open", kwargs={"person_id": person.public_id}),
        _open_data(team, site=str(elsewhere.public_id)),
    )
    assert "Select site from the list" in response.content.decode()
    assert not Episode.objects.exists()


# The episode page and moves


def test_episode_of_someone_not_visible_is_404(team, signed_in):
    episode = make_episode(team)
    outsider = staff(team=TeamFactory())
    client = signed_in(outsider)
    for name in ("journeys:detail", "journeys:cj_context"):
        assert client.get(reverse(name, kwargs={"public_id": episode.public_id})).status_code == 404
    for name in ("journeys:move", "journeys:take"):
        url = reverse(name, kwargs={"public_id": episode.public_id})
        assert client.post(url, {"to_stage": "screened", "version": 1}).status_code == 404
    assert episode.statuses.count() == 1
    assert Episode.objects.get().allocated_worker is None


def test_episode_page_shows_summary_history_and_next_moves(team, practitioner, signed_in):
    episode = make_episode(team, stage=Stage.SCREENED, by=practitioner)
    html = (
        signed_in(practitioner)
        .get(reverse("journeys:detail", kwargs={"public_id": episode.public_id}))
        .content.decode()
    )
    assert "Stage history" in html and "Custody sergeant" in html
    assert "Move to assessed" in html and "Close the episode" in html
    assert "Move to identified" not in html and "Move to screened" not in html
    assert "Take this episode" in html


def test_move_through_the_page(team, practitioner, signed_in):
    episode = make_episode(team)
    url = reverse("journeys:move", kwargs={"public_id": episode.public_id})
    response = signed_in(practitioner).post(
        url, {"to_stage": "screened", "note": "Screened on paper at court"}, follow=True
    )
    assert "The episode has moved to screened." in response.content.decode()
    assert episode.statuses.order_by("-seq").first().stage == Stage.SCREENED


def test_skip_without_a_reason_is_refused_on_the_page(team, practitioner, signed_in):
    episode = make_episode(team)
    url = reverse("journeys:move", kwargs={"public_id": episode.public_id})
    response = signed_in(practitioner).post(url, {"to_stage": "assessed"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Give a reason for skipping screened." in html
    assert "<title>Error:" in html
    assert episode.statuses.count() == 1


def test_closing_without_a_reason_is_refused_on_the_page(team, practitioner, signed_in):
    episode = make_episode(team, stage=Stage.ASSESSED)
    url = reverse("journeys:move", kwargs={"public_id": episode.public_id})
    html = signed_in(practitioner).post(url, {"to_stage": "closed"}).content.decode()
    assert "Give a reason for closing the episode." in html
    assert EpisodeStatus.objects.filter(episode=episode, stage=Stage.CLOSED).count() == 0


def test_backward_move_is_refused_on_the_page(team, practitioner, signed_in):
    episode = make_episode(team, stage=Stage.ASSESSED)
    url = reverse("journeys:move", kwargs={"public_id": episode.public_id})
    html = signed_in(practitioner).post(url, {"to_stage": "identified"}).content.decode()
    assert "Select what happens next" in html
    assert episode.statuses.count() == 3


def test_closed_episode_offers_no_moves_and_refuses_them(team, practitioner, signed_in):
    episode = make_episode(team, stage=Stage.CLOSED)
    client = signed_in(practitioner)
    html = client.get(
        reverse("journeys:detail", kwargs={"public_id": episode.public_id})
    ).content.decode()
    assert "What happens next" not in html and "open a new episode" in html
    before = episode.statuses.count()
    response = client.post(
        reverse("journeys:move", kwargs={"public_id": episode.public_id}),
        {"to_stage": "closed", "closure_reason": "declined"},
        follow=True,
    )
    assert "This episode is closed" in response.content.decode()
    assert episode.statuses.count() == before


def test_registered_sections_appear_in_order_and_plain_text_is_escaped(
    team, practitioner, signed_in
):
    episode = make_episode(team)

    @register_episode_section(order=20)
    def referrals(request, ep):
        return "Onward referrals", Markup("<p>Two referrals</p>")

    @register_episode_section(order=10)
    def screening(request, ep):
        return "Screening", "<b>not html</b>"

    @register_episode_section
    def hidden(request, ep):
        return None

    html = (
        signed_in(practitioner)
        .get(reverse("journeys:detail", kwargs={"public_id": episode.public_id}))
        .content.decode()
    )
    assert html.index('id="section-screening"') < html.index('id="section-onward-referrals"')
    assert "<p>Two referrals</p>" in html
    assert "&lt;b&gt;not html&lt;/b&gt;" in html
    assert len(sections.episode_section_registry) == 3


# The person page


def test_person_page_lists_episodes_across_teams_the_user_may_see(team, practitioner, signed_in):
    person = PersonFactory(team=team)
    ours = make_episode(team, person=person, stage=Stage.SCREENED)
    partner_org = OrganisationFactory()
    partner = TeamFactory(name="Wolverhampton court L&D", organisation=partner_org)
    agreement = AgreementFactory()
    agreement.organisations.add(team.organisation, partner_org)
    agreement.regions.add(team.region, partner.region)
    shared = make_episode(partner, person=person)
    hidden_team = TeamFactory(name="Dudley custody L&D")
    hidden = make_episode(hidden_team, person=person)
    html = (
        signed_in(practitioner)
        .get(reverse("people:detail", kwargs={"public_id": person.public_id}))
        .content.decode()
    )
    episodes = html[html.index(">Episodes<") : html.index(">Timeline<")]
    assert "Stoke custody L&amp;D" in episodes and "Wolverhampton court L&amp;D" in episodes
    assert "Dudley custody" not in html
    for episode in (ours, shared):
        assert reverse("journeys:detail", kwargs={"public_id": episode.public_id}) in episodes
    assert reverse("journeys:detail", kwargs={"public_id": hidden.public_id}) not in html
    timeline = html[html.index(">Timeline<") :]
    assert "episode opened by Stoke custody L&amp;D" in timeline
    assert "episode opened by Wolverhampton court L&amp;D" in timeline
    assert "moved to screened (Stoke custody L&amp;D)" in timeline
    assert reverse("journeys:open", kwargs={"person_id": person.public_id}) in html


def test_timeline_without_a_user_leaves_episodes_out(team):
    from healthjustice.people.selectors import person_timeline

    person = PersonFactory(team=team)
    make_episode(team, person=person)
    assert not [e for e in person_timeline(person) if e.tag == "Episode"]
    practitioner = staff(team=team)
    assert [e for e in person_timeline(person, user=practitioner) if e.tag == "Episode"]
