"""The person page's reads: each record read once, and as many queries however much data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from healthjustice.assessments.services import consent_record
from healthjustice.journeys.choices import Stage
from healthjustice.organisations.permissions import clear_permission_cache
from healthjustice.people.access import reachable_team_ids
from healthjustice.people.models import CareRelationship
from tests.factories import (
    AgreementFactory,
    OrganisationFactory,
    PersonFactory,
    RegionFactory,
    TeamFactory,
    staff,
)

pytestmark = pytest.mark.django_db


def _page(client, person) -> tuple[str, list[str]]:
    """The person page's text and the queries it took."""
    url = reverse("people:detail", kwargs={"public_id": person.public_id})
    client.get(url)  # the session's first refresh is not the page's cost
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries]


def _page_queries(client, person) -> list[str]:
    return _page(client, person)[1]


def _reads_of(table: str, queries: list[str]) -> int:
    return sum(f'FROM "{table}"' in sql for sql in queries)


def test_the_person_page_reads_the_care_relationships_once(signed_in):
    team, other = TeamFactory(name="Northern liaison"), TeamFactory(name="Southern liaison")
    person = PersonFactory(team=team)
    ended = timezone.localdate() - datetime.timedelta(days=3)
    CareRelationship.objects.create(
        person=person, team=other, started_on=ended - datetime.timedelta(days=30), ended_on=ended
    )
    client = signed_in(staff(team=team))
    text, queries = _page(client, person)
    assert _reads_of("people_carerelationship", queries) == 1
    # The decision, the timeline (the ended relationship too) and the teams list all show.
    assert "Northern liaison began working with them" in text
    assert "Southern liaison stopped working with them" in text


def test_the_person_page_takes_the_same_queries_with_more_data(signed_in):
    region = RegionFactory()
    own, partner = OrganisationFactory(), OrganisationFactory()
    team = TeamFactory(organisation=own, region=region)
    person = PersonFactory(team=team)
    first = AgreementFactory(title="Agreement")
    first.organisations.set([own, partner])
    first.regions.set([region])
    user = staff(team=team)
    client = signed_in(user)
    before = _page_queries(client, person)

    others = [TeamFactory(organisation=partner, region=region) for _ in range(3)]
    for n in range(4):
        agreement = AgreementFactory(title=f"Agreement {n}")
        agreement.organisations.set([own, partner, OrganisationFactory()])
        agreement.regions.set([region, RegionFactory()])
    for other in others:
        PersonFactory(team=other)
        started = timezone.localdate() - datetime.timedelta(days=90)
        CareRelationship.objects.create(
            person=person, team=other, started_on=started, ended_on=started
        )
    PersonFactory.create_batch(5, team=team)
    clear_permission_cache(user)
    after = _page_queries(client, person)
    assert len(after) == len(before)


def test_sight_through_agreements_reads_them_in_one_query(django_assert_num_queries):
    region = RegionFactory()
    own, partner = OrganisationFactory(), OrganisationFactory()
    viewer = TeamFactory(organisation=own, region=region)
    holder = TeamFactory(organisation=partner, region=region)
    TeamFactory(organisation=own, region=region)  # same organisation: never shared
    for n in range(3):
        agreement = AgreementFactory(title=f"Agreement {n}")
        agreement.organisations.set([own, partner])
        agreement.regions.set([region, RegionFactory()])
    user = staff(team=viewer)
    # The memberships (with their teams), the agreements with their parties and regions, and
    # the teams they could share: no read of each agreement's parties and regions apart.
    with django_assert_num_queries(3):
        reachable = reachable_team_ids(user)
    assert reachable == {viewer.pk, holder.pk}


def test_the_person_page_reads_the_secure_stays_once_and_shows_the_current_one(signed_in):
    from tests.carers.factories import StayFactory

    team = TeamFactory()
    person = PersonFactory(team=team)
    today = timezone.localdate()
    StayFactory(
        person=person,
        team=team,
        hospital_or_team="Old unit",
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=200),
    )
    StayFactory(person=person, team=team, hospital_or_team="Stafford low secure unit")
    client = signed_in(staff(team=team))  # a practitioner manages carers: both read it
    text, queries = _page(client, person)
    assert _reads_of("carers_secureservicestay", queries) == 1
    (stays,) = [q for q in queries if 'FROM "carers_secureservicestay"' in q]
    assert "organisations_team" not in stays  # the page shows the place, not the team
    assert "Now: Low secure, Cedar Ward, Stafford low secure unit." in text
    assert "Secure services: Low secure ended" in text


def test_the_person_page_reads_the_person_once_and_no_alerts_without_episodes(signed_in):
    team = TeamFactory()
    person = PersonFactory(team=team)
    queries = _page_queries(signed_in(staff(team=team)), person)
    assert _reads_of("people_person", queries) == 1
    assert _reads_of("screening_riskalert", queries) == 0


def test_the_person_page_reads_the_episodes_once_for_its_sections_timeline_and_alerts(signed_in):
    from tests.journeys.factories import make_alert, make_episode

    team, other = TeamFactory(name="Northern liaison"), TeamFactory(name="Southern liaison")
    person = PersonFactory(team=team)
    user = staff(team=team)
    # Closed, so the custody clocks (a read of the open episodes in custody) take no part.
    seen = make_episode(team, person=person, stage=Stage.CLOSED)
    hidden = make_episode(other, person=person)  # no care relationship: not theirs to see
    make_alert(seen, source="Self-harm disclosed at booking-in")
    make_alert(seen, source="An alert already acknowledged", acknowledged_by=user)
    make_alert(hidden, source="An alert on the hidden episode")
    text, queries = _page(signed_in(user), person)
    assert _reads_of("journeys_episode", queries) == 1
    # With their current stage, not since when (which the page does not show).
    (episodes,) = [q for q in queries if 'FROM "journeys_episode"' in q]
    assert "journeys_episodestatus" not in episodes
    assert "<strong>Self-harm disclosed at booking-in</strong> (Northern liaison)" in text
    assert "episode opened by Northern liaison" in text
    assert "moved to screened (Northern liaison)" in text
    assert "already acknowledged" not in text
    assert "Southern liaison" not in text and "hidden episode" not in text


def test_the_person_page_reads_the_consents_once_for_the_section_and_the_timeline(signed_in):
    from tests.assessments.factories import give_consent

    team = TeamFactory()
    person = PersonFactory(team=team)
    user = staff(team=team)
    give_consent(person, user, purpose="share_court")
    consent_record(actor=user, person=person, purpose="share_court", status="withdrawn")
    give_consent(person, user, purpose="assessment")
    text, queries = _page(signed_in(user), person)
    assert _reads_of("assessments_consent", queries) == 1
    assert _reads_of("assessments_consentevent", queries) == 1
    section = text[text.index(">Consent<") : text.index(">Timeline<")]
    assert "Consent in force now:" in section and "The assessment itself (given" in section
    assert "Sharing with the court (" not in section  # withdrawn
    timeline = text[text.index(">Timeline<") :]
    for decision in (
        "given: The assessment itself",
        "given: Sharing with the court",
        "withdrawn: Sharing with the court",
    ):
        assert f"Consent {decision}" in timeline


def test_the_person_page_reads_the_agreements_only_for_an_episode_held_by_another_team(signed_in):
    from tests.journeys.factories import make_episode

    region = RegionFactory()
    own, partner_organisation = OrganisationFactory(), OrganisationFactory()
    team = TeamFactory(organisation=own, region=region, name="Northern liaison")
    partner = TeamFactory(organisation=partner_organisation, region=region, name="Partner team")
    elsewhere = TeamFactory(name="Unrelated team")
    agreement = AgreementFactory(title="Agreement")
    agreement.organisations.set([own, partner_organisation])
    agreement.regions.set([region])
    person = PersonFactory(team=team)
    make_episode(team, person=person, stage=Stage.CLOSED)
    client = signed_in(staff(team=team))
    text, queries = _page(client, person)
    assert _reads_of("organisations_datasharingagreement", queries) == 0
    assert "episode opened by Northern liaison" in text

    make_episode(partner, person=person, stage=Stage.CLOSED)
    make_episode(elsewhere, person=person, stage=Stage.CLOSED)
    text, queries = _page(client, person)
    assert _reads_of("organisations_datasharingagreement", queries) == 1
    assert "episode opened by Partner team" in text
    assert "Unrelated team" not in text
