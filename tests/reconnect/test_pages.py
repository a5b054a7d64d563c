"""The RECONNECT pages through the browser's eyes (the Django test client): forms shown, errors
on the form with nothing stored, the episode page's section."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from healthjustice.journeys.choices import Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.selectors import current_stage
from healthjustice.reconnect.models import EligibilityCheck, ReconnectReferral, ReleaseDetails
from tests.conftest import MODEL_BACKEND
from tests.interventions.factories import make_episode
from tests.reconnect.factories import eligible, pre_release, referred

D = datetime.timedelta(days=1)


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def _detail(episode) -> str:
    return reverse("journeys:detail", kwargs={"public_id": episode.public_id})


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return sign_in


def _referral(rw, release: datetime.date, **more) -> dict[str, str]:
    return {
        "referrer": "prison_healthcare",
        "health_need": "No GP; on a methadone script",
        "establishment": str(rw.site.public_id),
        **_date("expected_release_on", release),
        **more,
    }


def test_ld_episode_page_offers_the_referral_and_it_opens_a_reconnect_episode(as_user, rw):
    client = as_user(rw.ld_worker)
    ld = make_episode(team=rw.ld_team, person=rw.person)
    page = client.get(_detail(ld))
    url = reverse("reconnect:refer_from_ld", kwargs={"public_id": ld.public_id})
    assert url in page.content.decode()
    response = client.post(url, {"health_need": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter the health need" in body or "Enter what health need" in body
    assert not ReconnectReferral.objects.exists()
    release = timezone.localdate() + 20 * D
    data = _referral(rw, release)
    data.pop("referrer")
    response = client.post(url, data)
    assert response.status_code == 302
    referral = ReconnectReferral.objects.get()
    assert referral.episode.team == rw.team and referral.from_episode == ld
    assert f"Referred to {rw.team.name}" in client.get(_detail(ld)).content.decode()


def test_person_page_offers_a_reconnect_worker_the_referral(as_user, rw):
    client = as_user(rw.worker)
    page = client.get(reverse("people:detail", kwargs={"public_id": rw.person.public_id}))
    assert reverse("reconnect:refer", kwargs={"person_id": rw.person.public_id}) in (
        page.content.decode()
    )


def test_a_referral_outside_the_window_shows_the_dates_on_the_form(as_user, rw):
    client = as_user(rw.worker)
    url = reverse("reconnect:refer", kwargs={"person_id": rw.person.public_id})
    release = timezone.localdate() + 100 * D
    response = client.post(url, _referral(rw, release))
    opens = release - 84 * D
    body = response.content.decode()
    assert response.status_code == 200
    assert f"{opens.day} {opens:%B %Y}" in body and "outside the RECONNECT window" in body
    assert not Episode.objects.exists()
    # A practitioner's exception is refused; a team leader's is kept.
    response = client.post(url, _referral(rw, release, exception_reason="Complex needs"))
    assert "Only a team leader" in response.content.decode()
    assert not Episode.objects.exists()
    leader = as_user(rw.leader)
    response = leader.post(url, _referral(rw, release, exception_reason="Complex needs"))
    assert response.status_code == 302
    episode = Episode.objects.get()
    page = leader.get(_detail(episode)).content.decode()
    assert "Taken outside the referral window by exception" in page


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"referrer": ""}, "Select who made the referral"),
        ({"establishment": ""}, "Select prison or immigration removal centre"),
        (
            {"expected_release_on_0": "", "expected_release_on_1": "", "expected_release_on_2": ""},
            "Enter the expected release date",
        ),
        ({"expected_release_on_0": "31", "expected_release_on_1": "2"}, "real date"),
    ],
)
def test_bad_referrals_are_shown_on_the_form(as_user, rw, data, words):
    client = as_user(rw.worker)
    url = reverse("reconnect:refer", kwargs={"person_id": rw.person.public_id})
    response = client.post(url, {**_referral(rw, timezone.localdate() + 10 * D), **data})
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Episode.objects.exists()


def test_the_refer_page_tells_someone_outside_reconnect_where_referrals_come_from(as_user, rw):
    client = as_user(rw.ld_worker)
    page = client.get(reverse("reconnect:refer", kwargs={"person_id": rw.person.public_id}))
    assert "You do not work in one" in page.content.decode()


def test_eligibility_page_names_what_is_missing_then_moves_on(as_user, rw):
    client = as_user(rw.worker)
    episode = referred(team=rw.team, person=rw.person, actor=rw.worker)
    url = reverse("reconnect:eligibility", kwargs={"public_id": episode.public_id})
    data = {
        **_date("checked_on", timezone.localdate()),
        "custody_status": "not_in_custody",
        "health_need": "yes",
        "outcome": "eligible",
    }
    response = client.post(url, data)
    assert "immigration removal centre" in response.content.decode()
    assert current_stage(episode) == Stage.REFERRED and not EligibilityCheck.objects.exists()
    response = client.post(url, {**data, "custody_status": "remand"})
    assert response.status_code == 302
    assert current_stage(episode) == Stage.ELIGIBILITY_CHECKED
    page = client.get(_detail(episode)).content.decode()
    assert "Every condition holds" in page and "Start pre-release support" in page


def test_release_details_page_saves_and_refuses_a_missing_establishment(as_user, rw):
    client = as_user(rw.worker)
    episode = referred(team=rw.team, person=rw.person, actor=rw.worker)
    url = reverse("reconnect:release_details", kwargs={"public_id": episode.public_id})
    assert "HMP Stafford" in client.get(url).content.decode()
    data = {
        "version": "1",
        "establishment": str(rw.site.public_id),
        **_date("expected_release_on", timezone.localdate() + 15 * D),
        "release_type": "hdc",
        "area": str(rw.region.public_id),
        "area_detail": "Stoke-on-Trent",
        "accommodation": "none",
        "probation_practitioner": "Sam Example",
        "medication": "",
    }
    response = client.post(url, {**data, "establishment": ""})
    assert "Select prison or immigration removal centre" in response.content.decode()
    assert ReleaseDetails.objects.get().version == 1
    response = client.post(url, data)
    assert response.status_code == 302
    details = ReleaseDetails.objects.get()
    assert details.accommodation == "none" and details.area == rw.region
    page = client.get(_detail(episode)).content.decode()
    assert rw.team.name in page and "No accommodation" in page
    response = client.post(url, data)
    assert "Someone else changed" in response.content.decode()


def test_pre_release_and_release_pages_move_the_episode(as_user, rw):
    client = as_user(rw.worker)
    episode = eligible(team=rw.team, person=rw.person, actor=rw.worker)
    response = client.post(
        reverse("reconnect:pre_release", kwargs={"public_id": episode.public_id})
    )
    assert response.status_code == 302 and current_stage(episode) == Stage.PRE_RELEASE
    url = reverse("reconnect:release", kwargs={"public_id": episode.public_id})
    future = {
        "version": "1",
        "release_type": "licence",
        **_date("released_on", timezone.localdate() + D),
    }
    response = client.post(url, future)
    assert "must be today or in the past" in response.content.decode()
    assert current_stage(episode) == Stage.PRE_RELEASE
    response = client.post(url, {**future, **_date("released_on", timezone.localdate())})
    assert response.status_code == 302 and current_stage(episode) == Stage.RELEASED
    assert "Actual release date" in client.get(_detail(episode)).content.decode()


def test_release_page_asks_why_pre_release_was_skipped(as_user, rw):
    client = as_user(rw.worker)
    episode = eligible(team=rw.team, person=rw.person, actor=rw.worker)
    Episode.objects.filter(pk=episode.pk).update(referred_at=timezone.now() - 5 * D)
    url = reverse("reconnect:release", kwargs={"public_id": episode.public_id})
    data = {"version": "1", "release_type": "licence", **_date("released_on", timezone.localdate())}
    response = client.post(url, data)
    assert "Give a reason for skipping pre-release support" in response.content.decode()
    response = client.post(url, {**data, "skip_reason": "Released early"})
    assert response.status_code == 302 and current_stage(episode) == Stage.RELEASED


def test_pages_on_a_closed_episode_say_so(as_user, rw):
    client = as_user(rw.worker)
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    from healthjustice.journeys.services import episode_move

    episode_move(
        actor=rw.worker, episode=episode, to_stage=Stage.CLOSED, closure_reason="release_cancelled"
    )
    for name in ("eligibility", "release_details", "pre_release", "release"):
        page = client.get(reverse(f"reconnect:{name}", kwargs={"public_id": episode.public_id}))
        assert "This episode is closed" in page.content.decode()
