"""The race equity page: rates, ratios and shares with intervals and words, suppressed."""

import csv
import io
import re

import pytest
from django.urls import reverse

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.equity import stats
from tests.equity.known import build_known

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    return build_known()


def _query(known, scope):
    return {"scope": scope, "first_month": known.month, "last_month": known.month}


def _region(known):
    return f"region:{known.region.public_id}"


def test_equality_lead_sees_rates_ratios_and_judgements_for_the_region(known, signed_in):
    client = signed_in(known.equality_lead)
    response = client.get(reverse("equity:home"), _query(known, _region(known)))
    assert response.status_code == 200
    html = response.content.decode()
    # White British: 21 people (20 in team A, 1 in team B) per 100,200 residents.
    white = stats.rate_per_100k(21, 100_200)
    assert f"{white.value:,.1f} ({white.low:,.1f} to {white.high:,.1f})" in html
    # Black African: 8 people per 2,200; ratio against White British, clearly higher.
    ratio = stats.rate_ratio(8, 2_200, 21, 100_200)
    assert f"{ratio.value:.2f} ({ratio.low:.2f} to {ratio.high:.2f})" in html
    assert "statistically clear: higher than the reference group" in html
    # Pakistani: 3 people, hidden, and so is whatever would give it away.
    assert "fewer than 5" in html
    assert "not shown (protects a small number)" in html
    # Shares with Wilson intervals (Black's 6 screened is hidden: it would give away Asian's 3).
    screened = stats.wilson(20, 21)
    assert f"20: {100 * screened.value:.0f}% ({100 * screened.low:.0f}% to" in html
    # Attended a first appointment: a share of those referred on (5 of 5 White people).
    attended = stats.wilson(5, 5)
    assert f"5: 100% ({100 * attended.low:.0f}% to 100%)" in html
    # Completeness by team, both teams listed.
    assert "Stoke custody L&amp;D" in html and "Stafford court L&amp;D" in html
    assert "Approximate population figures" not in html
    assert AuditEvent.objects.filter(action=Action.VIEW, object_type="equity_figures").exists()


def test_the_page_names_no_one(known, signed_in):
    client = signed_in(known.equality_lead)
    html = client.get(reverse("equity:home"), _query(known, _region(known))).content.decode()
    for person in known.people:
        assert person.family_name not in html
        assert person.nhs_number not in html
        assert str(person.public_id) not in html


def test_team_leader_sees_their_team_without_rates(known, signed_in):
    client = signed_in(known.leader_a)
    response = client.get(reverse("equity:home"))
    html = response.content.decode()
    scopes = re.findall(r'<option value="((?:team|region):[^"]+)"', html)
    assert scopes == [f"team:{known.team_a.public_id}"]
    assert "Rates per 100,000 need the population a team serves" in html


def test_a_leader_cannot_ask_for_another_region(known, signed_in):
    client = signed_in(known.leader_a)
    response = client.get(reverse("equity:home"), _query(known, _region(known)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "(all teams)" not in html
    assert "People seen by broad ethnic group" not in html


def test_csv_export_is_suppressed_the_same_way(known, signed_in):
    client = signed_in(known.equality_lead)
    response = client.get(reverse("equity:export_csv"), _query(known, _region(known)))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == ["section", "table", "row", "column", "value"]
    pakistani = [r for r in rows[2:] if r[2] == "Asian or Asian British – Pakistani"]
    assert pakistani and pakistani[0][3] == "People seen" and pakistani[0][4] == "<5"
    african = [
        r for r in rows[2:] if r[2] == "Black or Black British – African" and r[3] == "People seen"
    ]
    assert african[0][4] == "8"
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_type="equity_figures").exists()


def test_no_events_in_the_reference_group_is_said_in_words(known, signed_in, settings):
    settings.HJ_EQUITY_REFERENCE_CODE = "B"  # White Irish: no one seen
    client = signed_in(known.equality_lead)
    html = client.get(reverse("equity:home"), _query(known, _region(known))).content.decode()
    assert "not estimable: the reference group has no events" in html


def test_approximate_figures_are_labelled(known, signed_in):
    from healthjustice.equity.models import CensusPopulation

    CensusPopulation.objects.update(approximate=True)
    client = signed_in(known.equality_lead)
    html = client.get(reverse("equity:home"), _query(known, _region(known))).content.decode()
    assert "Approximate population figures" in html


def test_practitioners_are_refused(known, signed_in):
    from healthjustice.organisations.roles import Role
    from tests.factories import staff

    client = signed_in(staff(Role.PRACTITIONER, team=known.team_a))
    assert client.get(reverse("equity:home")).status_code == 403
    assert client.get(reverse("equity:export_csv")).status_code == 403


def test_broad_group_figures_alone_give_group_rates_and_say_so_for_categories(known, signed_in):
    from healthjustice.equity.models import LocalAuthority
    from healthjustice.equity.services import ApproximateFigure, approximate_population_set

    for authority in LocalAuthority.objects.all():
        approximate_population_set(
            actor=None,
            authority=authority,
            figures=[ApproximateFigure("white", 50_000), ApproximateFigure("black", 1_000)],
            source="test",
        )
    client = signed_in(known.equality_lead)
    html = client.get(reverse("equity:home"), _query(known, _region(known))).content.decode()
    white = stats.rate_per_100k(21, 100_000)
    assert f"{white.value:,.1f} ({white.low:,.1f}" in html
    assert "no population figure" in html
    assert "Approximate population figures" in html
