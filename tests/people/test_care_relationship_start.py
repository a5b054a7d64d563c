"""A care relationship, the basis of who may see a record, comes into being in one place."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from healthjustice.people.models import CareRelationship
from healthjustice.people.services import care_relationship_start
from tests.factories import PersonFactory, TeamFactory

PACKAGE = Path(__file__).resolve().parents[2] / "healthjustice"


@pytest.mark.django_db
def test_a_team_already_working_with_the_person_keeps_its_relationship():
    team = TeamFactory()
    person = PersonFactory(team=team)
    existing = CareRelationship.objects.get(person=person, team=team)
    assert care_relationship_start(person=person, team=team, reason="Again") == existing
    assert CareRelationship.objects.filter(person=person, team=team).count() == 1


@pytest.mark.django_db
def test_a_new_relationship_never_starts_in_the_future():
    team, person = TeamFactory(), PersonFactory()
    later = timezone.localdate() + datetime.timedelta(days=30)
    made = care_relationship_start(person=person, team=team, reason="Stay", started_on=later)
    assert made.started_on == timezone.localdate()
    assert made.reason == "Stay"


def test_no_other_module_creates_care_relationships():
    creates = re.compile(
        r"(?<!class )CareRelationship(\.objects\.(create|get_or_create|bulk_create)|\()"
    )
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts
        and path.parts[len(PACKAGE.parts)] != "demo"
        and path.relative_to(PACKAGE) != Path("people/services.py")
        and creates.search(path.read_text())
    ]
    assert not offenders
