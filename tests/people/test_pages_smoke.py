import pytest
from django.urls import reverse
from markupsafe import escape

from tests.factories import PersonFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db


def test_person_page_renders_for_team_member(signed_in):
    team = TeamFactory()
    person = PersonFactory(team=team)
    client = signed_in(staff(team=team))
    response = client.get(reverse("people:detail", kwargs={"public_id": person.public_id}))
    assert response.status_code == 200
    assert escape(person.family_name.upper()) in response.content.decode()


def test_search_and_register_pages_render(signed_in):
    client = signed_in(staff())
    for name in ("people:search", "people:register", "people:break_glass_search", "web:home"):
        assert client.get(reverse(name)).status_code == 200
