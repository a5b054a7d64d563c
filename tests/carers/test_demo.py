import random

import pytest
from django.urls import reverse
from faker import Faker

from healthjustice.accounts.models import User
from healthjustice.carers.demo import reset_carers_demo, seed_carers_demo
from healthjustice.carers.models import CarerContact, CarerInformationPage, CarerMessage
from healthjustice.demo.accounts import account_lines, demo_password, seed_accounts
from healthjustice.demo.loader import reset_demo
from healthjustice.demo.people import seed_people
from healthjustice.demo.reference import seed_reference
from healthjustice.demo.registry import DemoContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    """The base demo data, then only the carers' seeder (other apps' seeders are theirs)."""
    rng = random.Random(2026)
    faker = Faker("en_GB")
    faker.seed_instance(2026)
    password = demo_password()
    reference = seed_reference()
    users = seed_accounts(teams=reference.teams, faker=faker, password=password)
    people = seed_people(teams=reference.teams, users=users, count=30, rng=rng, faker=faker)
    ctx = DemoContext(
        regions=reference.regions,
        teams=reference.teams,
        users=users,
        people=people.people,
        people_by_team=people.by_team,
        restricted_people=people.restricted,
        rng=rng,
        faker=faker,
        password=password,
        log=lambda _line: None,
    )
    seed_carers_demo(ctx)
    return ctx


def test_demo_carer_accounts_are_listed_with_the_carer_role(demo):
    lines = [line.split("\t") for line in account_lines(demo.password)]
    carers = [line for line in lines if line[2] == "carer"]
    assert [line[0] for line in carers] == ["carer.staffs", "carer2.staffs"]


def test_demo_carer_sees_what_was_agreed_and_the_other_sees_nothing(demo, signed_in):
    first = signed_in(User.objects.get(username="carer.staffs"))
    rel = User.objects.get(username="carer.staffs").carer_profile.relationships.get()
    page = first.get(reverse("carers:portal_person", kwargs={"public_id": rel.public_id}))
    text = page.content.decode()
    assert "You are invited to the care programme approach review" in text
    assert "Medication" not in text
    second_user = User.objects.get(username="carer2.staffs")
    rel2 = second_user.carer_profile.relationships.get()
    page2 = signed_in(second_user).get(
        reverse("carers:portal_person", kwargs={"public_id": rel2.public_id})
    )
    assert "A good week" not in page2.content.decode()


def test_demo_has_pages_a_message_for_the_key_worker_and_a_share_to_review(demo):
    assert CarerInformationPage.objects.filter(is_published=True).count() >= 5
    assert CarerMessage.objects.get().recipient.username == "keyworker.staffs"
    assert CarerContact.objects.filter(flagged_for_review=True, reviewed_at=None).count() == 1


def test_demo_reset_removes_carers_demo_data(demo, monkeypatch):
    # Only the carers' reset: other apps' resets are tested by their owners.
    monkeypatch.setattr("healthjustice.demo.loader.run_resets", reset_carers_demo)
    reset_demo()
    assert not User.objects.filter(username__in=["carer.staffs", "keyworker.staffs"]).exists()
    assert not CarerMessage.objects.exists()
    assert CarerInformationPage.objects.exists()
