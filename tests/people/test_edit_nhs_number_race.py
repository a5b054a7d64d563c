"""Two people racing to give the same NHS number: the loser gets a message, not a server error."""

import pytest
from django.urls import reverse

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.people import services
from healthjustice.people.models import PersonChange
from tests.factories import PersonFactory, TeamFactory, staff
from tests.people.test_registration_and_edit import _edit_data

pytestmark = pytest.mark.django_db


def test_edit_tonhs_number_in_use_in_a_race_gets_a_message(signed_in, monkeypatch):
    team = TeamFactory()
    client = signed_in(staff(team=team))
    person = PersonFactory(team=team, nhs_number="9434765919")
    other = PersonFactory(team=team, nhs_number="9434765870")
    # The uniqueness check passes, as it would when the other record is saved a moment later.
    monkeypatch.setattr(services, "nhs_number_in_use", lambda *args, **kwargs: False)
    url = reverse("people:edit", kwargs={"public_id": person.public_id})
    response = client.post(url, _edit_data(person, nhs_number=other.nhs_number))
    assert response.status_code == 200
    assert "A person with this NHS number is already registered" in response.content.decode()
    person.refresh_from_db()
    assert person.nhs_number == "9434765919"
    assert person.version == 1
    assert not PersonChange.objects.filter(person=person, summary="Details updated").exists()
    assert not AuditEvent.objects.filter(action=Action.UPDATE).exists()
