"""The person page offers the actions the viewer may take, and only those."""

import pytest
from django.urls import reverse

from healthjustice.organisations.roles import Role
from tests.factories import PersonFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db


def test_person_page_links_to_restrict_for_team_leader(signed_in):
    team = TeamFactory()
    person = PersonFactory(team=team)
    client = signed_in(staff(role=Role.TEAM_LEADER, team=team))
    response = client.get(reverse("people:detail", kwargs={"public_id": person.public_id}))
    assert reverse("people:restrict", kwargs={"public_id": person.public_id}) in (
        response.content.decode()
    )


def test_person_page_hides_restrict_from_practitioner(signed_in):
    team = TeamFactory()
    person = PersonFactory(team=team)
    client = signed_in(staff(team=team))
    response = client.get(reverse("people:detail", kwargs={"public_id": person.public_id}))
    assert response.status_code == 200
    assert reverse("people:restrict", kwargs={"public_id": person.public_id}) not in (
        response.content.decode()
    )
