"""Equity figures for MHTR, RECONNECT and carers: each step counted by ethnic group, a step of a
step only where the first was reached, and the page for each pathway."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from healthjustice.carers.models import CarerSupport
from healthjustice.equity.selectors import WaitFigures, pathway_figures
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.models import EpisodeStatus
from healthjustice.mhtr import services as mhtr
from healthjustice.mhtr.choices import Suitability
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.roles import Role
from healthjustice.reconnect.choices import ContactMode, EngagementCheckKind
from healthjustice.reconnect.models import EngagementCheck, GateMeet, SupportContact
from tests.carers.factories import AgreementFactory, CarerFactory, RelationshipFactory
from tests.equity.known import _category
from tests.factories import PersonFactory, RegionFactory, TeamFactory, staff
from tests.mhtr.factories import make_mhtr_episode, ordered_episode, suitable_input
from tests.reconnect.factories import eligible, handed_over_to, post_release, referred

pytestmark = pytest.mark.django_db


def _month() -> tuple[datetime.datetime, datetime.datetime]:
    now = timezone.now()
    return now - datetime.timedelta(days=90), now + datetime.timedelta(days=1)


@pytest.fixture
def region():
    return RegionFactory(name="Black Country")


def _person(team, code):
    return PersonFactory(team=team, ethnic_category=_category(code) if code else None)


def test_mhtr_steps_by_ethnic_group(region):
    team = TeamFactory(name="Wolverhampton MHTR", region=region, pathway=Pathway.MHTR)
    clinician = staff(Role.PRACTITIONER, team=team)
    completed = ordered_episode(team=team, person=_person(team, "A"), actor=clinician)
    last = completed.statuses.order_by("-seq").first()
    EpisodeStatus.objects.create(
        episode=completed,
        seq=last.seq + 1,
        stage=Stage.CLOSED,
        closure_reason=ClosureReason.ORDER_COMPLETED,
    )
    not_suitable = make_mhtr_episode(team=team, person=_person(team, "A"))
    mhtr.suitability_record(
        actor=clinician,
        episode=not_suitable,
        data=suitable_input(outcome=Suitability.NOT_SUITABLE, willing=False),
    )
    make_mhtr_episode(team=team, person=_person(team, "N"))  # referred, not yet assessed

    figures = pathway_figures(Pathway.MHTR, (team.id,), *_month())

    white, black = figures.by_code["A"], figures.by_code["N"]
    assert white.cases == 2 and black.cases == 1
    assert dict(white.steps) == {"assessed": 2, "suitable": 1, "order_made": 1, "completed": 1}
    assert dict(black.steps) == {}
    # Assessed 20 days ago, referred 30 days ago: 10 days' wait, for each assessed episode.
    assert figures.waits["white"]["suitability"] == WaitFigures(2, 10.0, 10.0)


def test_reconnect_steps_count_only_where_the_earlier_step_was_reached(region):
    team = TeamFactory(name="Black Country RECONNECT", region=region, pathway=Pathway.RECONNECT)
    worker = staff(Role.PRACTITIONER, team=team)
    today = timezone.localdate()
    supported = post_release(team=team, person=_person(team, "A"), actor=worker)
    SupportContact.objects.create(
        episode=supported,
        contact_on=today - datetime.timedelta(days=3),
        mode=ContactMode.IN_PERSON,
        notes="Met on the wing",
        recorded_by=worker,
    )
    GateMeet.objects.create(
        episode=supported, met=True, met_by="Peer worker", place="Gate", recorded_by=worker
    )
    handover = handed_over_to(supported, worker)
    EngagementCheck.objects.create(
        handover=handover,
        kind=EngagementCheckKind.FOUR_WEEKS,
        checked_on=today,
        engaged=True,
        recorded_by=worker,
    )
    eligible(team=team, person=_person(team, "N"), actor=worker)
    only_referred = referred(team=team, person=_person(team, "N"), actor=worker)
    # A gate meet on an episode never found eligible or released counts for nothing.
    GateMeet.objects.create(
        episode=only_referred, met=True, met_by="Peer worker", place="Gate", recorded_by=worker
    )

    figures = pathway_figures(Pathway.RECONNECT, (team.id,), *_month())

    assert dict(figures.by_code["A"].steps) == {
        "eligible": 1,
        "engaged_before": 1,
        "released": 1,
        "gate_met": 1,
        "handed_over": 1,
        "engaged_after": 1,
    }
    black = figures.by_code["N"]
    assert black.cases == 2 and dict(black.steps) == {"eligible": 1}
    assert figures.waits["black"]["eligibility"] == WaitFigures(1, 0.0, 0.0)


def test_carers_are_counted_by_the_ethnic_group_they_gave(region):
    team = TeamFactory(name="Forensic carers", region=region, pathway=Pathway.CARERS)
    today = timezone.localdate()
    offered = CarerFactory(
        team=team, ethnic_category=_category("J"), date_identified=today - datetime.timedelta(5)
    )
    CarerSupport.objects.filter(carer=offered).update(
        toolkit_given_on=today, assessment_offered_on=today, assessment_completed_on=today
    )
    sharing = CarerFactory(team=team, ethnic_category=_category("J"), date_identified=today)
    AgreementFactory(relationship=RelationshipFactory(carer=sharing))
    CarerFactory(team=team, date_identified=today)  # did not answer
    CarerFactory(
        team=team, ethnic_category=_category("J"), date_identified=today - datetime.timedelta(400)
    )  # identified long before the period

    figures = pathway_figures(Pathway.CARERS, (team.id,), *_month())

    pakistani = figures.by_code["J"]
    assert pakistani.cases == 2
    assert dict(pakistani.steps) == {"toolkit": 1, "offered": 1, "completed": 1, "sharing": 1}
    assert figures.waits["asian"]["offered"] == WaitFigures(1, 5.0, 5.0)
    assert figures.by_code["99"].cases == 1
    completeness = figures.completeness[team]
    assert (completeness.self_reported, completeness.not_known) == (2, 1)


def test_the_page_shows_each_pathways_teams_and_steps(region, signed_in):
    ld = TeamFactory(name="Walsall L&D", region=region)
    team = TeamFactory(name="Black Country RECONNECT", region=region, pathway=Pathway.RECONNECT)
    lead = staff(Role.EQUALITY_LEAD, team=ld)
    client = signed_in(lead)

    html = client.get(reverse("equity:home"), {"pathway": "reconnect"}).content.decode()

    scopes = re.findall(r'<option value="((?:team|region):[^"]+)"', html)
    assert f"team:{team.public_id}" in scopes
    assert f"team:{ld.public_id}" not in scopes
    assert "Met at the gate (of those released)" in html
    assert '<strong aria-current="page">RECONNECT</strong>' in html
    csv = client.get(reverse("equity:export_csv"), {"pathway": "reconnect"})
    assert csv["Content-Disposition"].startswith('attachment; filename="equity-reconnect-')


def test_a_leader_with_no_team_of_the_pathway_is_told_so(region, signed_in):
    ld = TeamFactory(name="Walsall L&D", region=region)
    client = signed_in(staff(Role.TEAM_LEADER, team=ld))
    html = client.get(reverse("equity:home"), {"pathway": "carers"}).content.decode()
    assert "no figures to show" in html and "Carers&#39; support teams" in html


def test_an_unknown_pathway_is_refused_with_a_message(region, signed_in):
    ld = TeamFactory(name="Walsall L&D", region=region)
    client = signed_in(staff(Role.EQUALITY_LEAD, team=ld))
    response = client.get(reverse("equity:home"), {"pathway": "parole"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "People seen by broad ethnic group" not in html


def test_coercion_and_disclosure_are_shares_of_each_groups_episodes(region):
    from healthjustice.assessments.models import Report
    from healthjustice.audit.models import Action
    from healthjustice.audit.services import audit_record
    from healthjustice.people.models import RecordRestriction
    from tests.interventions.factories import make_episode

    team = TeamFactory(name="Walsall L&D", region=region)
    leader = staff(Role.TEAM_LEADER, team=team)
    now = timezone.now()
    black = [make_episode(team=team, person=_person(team, "N"), referred_at=now) for _ in range(3)]
    white = make_episode(team=team, person=_person(team, "A"), referred_at=now)

    def issue(episode, basis, **extra):
        return Report.objects.create(
            episode=episode,
            report_type="court_bail_remand",
            recipient="court",
            lawful_basis=basis,
            justification="" if basis == "consent" else "Risk to others",
            consent_event=extra.pop("consent_event", None),
            content={"text": "synthetic"},
            content_sha256="0" * 64,
            author=leader,
            **extra,
        )

    first = issue(black[0], "serious_harm")
    issue(black[0], "serious_harm", supersedes=first, correction_reason="Wrong date")
    audit_record(
        actor=leader,
        action=Action.BREAK_GLASS,
        object_type="person",
        object_id=str(black[1].person.public_id),
        detail={"reason": "Urgent risk"},
    )
    RecordRestriction.objects.create(person=white.person, reason="staff_member")

    figures = pathway_figures(Pathway.LIAISON_DIVERSION, (team.id,), *_month())

    assert dict(figures.by_code["N"].steps) == {"without_consent": 1, "break_glass": 1}
    assert dict(figures.by_code["A"].steps) == {"restricted": 1}


def test_revolving_door_follows_each_closed_episode_for_a_whole_year(region):
    from healthjustice.equity.selectors import revolving_door
    from tests.interventions.factories import make_episode

    team = TeamFactory(name="Walsall L&D", region=region)
    now = timezone.now()
    day = datetime.timedelta(days=1)

    def closed(code, closed_days_ago, *, back_after_days=None, reopened=False):
        person = _person(team, code)
        referred = now - (closed_days_ago + 2) * day
        history = [(Stage.IDENTIFIED, referred), (Stage.CLOSED, now - closed_days_ago * day)]
        if reopened:
            history.append((Stage.IDENTIFIED, now - (closed_days_ago - 1) * day))
        make_episode(team=team, person=person, referred_at=referred, history=history)
        if back_after_days is not None:
            back = now - (closed_days_ago - back_after_days) * day
            make_episode(team=team, person=person, referred_at=back)

    closed("A", 400, back_after_days=100)  # came back within the year
    closed("A", 400)  # did not come back
    closed("A", 500, back_after_days=380)  # came back, but after the year
    closed("A", 30, back_after_days=10)  # closed too recently to have been followed for a year
    closed("A", 450, reopened=True)  # reopened: its close does not stand

    figures = revolving_door(Pathway.LIAISON_DIVERSION, (team.id,), now - 700 * day, now + day, now)

    white = figures.by_code["A"]
    assert white.cases == 3
    assert dict(white.steps) == {"recontact": 1}


def test_the_page_says_when_no_episode_closed_long_enough_ago(region, signed_in):
    team = TeamFactory(name="Walsall L&D", region=region)
    client = signed_in(staff(Role.TEAM_LEADER, team=team))
    html = client.get(reverse("equity:home")).content.decode()
    assert "Coercion and disclosure, per 100 episodes" in html
    assert "No episode of these teams closed in the period at least a year ago" in html


def test_over_time_charts_only_groups_with_no_small_monthly_count(region, signed_in):
    from healthjustice.equity.figures import trend_section
    from healthjustice.equity.forms import month_keys
    from tests.interventions.factories import make_episode

    team = TeamFactory(name="Walsall L&D", region=region)
    first = timezone.localdate().replace(day=1)
    months = []
    for back in range(11, -1, -1):
        year, month = first.year, first.month - back
        while month < 1:
            year, month = year - 1, month + 12
        months.append(datetime.date(year, month, 1))
    at = [timezone.make_aware(datetime.datetime(m.year, m.month, 2, 10)) for m in months]
    # White: 5 people every month, then 12 in the last (outside the limits). Black: 2 in one
    # month only, a small number, so not charted month by month; Asian: 1 a month, small too
    # (and its total is hidden to protect Black's, as the smallest other group).
    for i, referred_at in enumerate(at):
        for _ in range(12 if i == len(at) - 1 else 5):
            make_episode(team=team, person=_person(team, "A"), referred_at=referred_at)
        make_episode(team=team, person=_person(team, "J"), referred_at=referred_at)
    for _ in range(2):
        make_episode(team=team, person=_person(team, "N"), referred_at=at[3])

    start = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))
    figures = pathway_figures(
        Pathway.LIAISON_DIVERSION, (team.id,), start, at[-1] + datetime.timedelta(days=1)
    )
    keys = month_keys(f"{months[0]:%Y-%m}", f"{months[-1]:%Y-%m}")
    section = trend_section(figures, keys)

    assert len(keys) == 12
    assert section.tables[0].columns == ["Month", "White"]
    assert [row[1][0].text for row in section.tables[0].rows] == ["5"] * 11 + ["12"]
    assert "White: special cause variation: a point outside the process limits" in " ".join(
        section.notes
    )
    assert any("Black or Black British: not charted by month" in n for n in section.notes)
    assert any("Asian or Asian British: not charted by month" in n for n in section.notes)
    assert section.chart is not None and 'id="equity-trend-white"' in section.chart


def test_feedback_answers_by_the_ethnic_group_people_chose_to_give(region, signed_in):
    from healthjustice.feedback import services as feedback

    team = TeamFactory(name="Forensic carers", region=region, pathway=Pathway.CARERS)

    def give(experience, fairly, code=None):
        feedback.give_feedback(
            team=team,
            answers={
                "experience": experience,
                "treated_fairly": fairly,
                "what_was_good": "Listened",
                "ethnic_category": _category(code) if code else None,
            },
            contact=None,
        )

    give("very_good", "yes", "N")
    give("poor", "no", "N")
    give("dont_know", "prefer_not", "N")
    give("good", "partly")  # no ethnic group given

    figures = pathway_figures("feedback", (team.id,), *_month())

    assert figures.by_code["N"].cases == 3
    assert dict(figures.by_code["N"].steps) == {
        "rated": 2,
        "positive": 1,
        "negative": 1,
        "answered_fairness": 2,
        "fair": 1,
        "not_fair": 1,
    }
    assert figures.by_code["99"].cases == 1
    lead = staff(Role.EQUALITY_LEAD, team=TeamFactory(name="Walsall L&D", region=region))
    html = signed_in(lead).get(reverse("equity:home"), {"pathway": "feedback"}).content.decode()
    assert f"team:{team.public_id}" in html  # every team's feedback, whatever its pathway
    assert "What people told us" in html
    assert "per 100,000" not in html.split('id="methods"')[0]
