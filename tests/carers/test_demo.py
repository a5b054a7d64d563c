import pytest
from django.urls import reverse
from markupsafe import escape

from healthjustice.accounts.models import User
from healthjustice.carers.choices import ShareCategory
from healthjustice.carers.models import (
    CarerContact,
    CarerInformationPage,
    CarerMessage,
    CarerMessageReply,
)
from healthjustice.carers.selectors import agreement_in_force
from healthjustice.demo.accounts import account_lines
from healthjustice.demo.loader import reset_demo
from healthjustice.demo.registry import DemoContext
from healthjustice.demo.seeders.carers import reset_carers_demo, seed_carers_demo
from tests.demo.support import base_demo_context

pytestmark = pytest.mark.django_db


def demo_context() -> DemoContext:
    return base_demo_context(people=30)


@pytest.fixture
def demo():
    """The base demo data, then only the carers' seeder (other apps' seeders are theirs)."""
    ctx = demo_context()
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


def test_demo_has_pages_messages_for_the_key_worker_and_a_share_to_review(demo):
    assert CarerInformationPage.objects.filter(is_published=True).count() >= 5
    key_worker = User.objects.get(username="keyworker.staffs")
    messages = list(CarerMessage.objects.order_by("sent_at"))
    assert [m.recipient for m in messages] == [key_worker, key_worker]
    assert messages[0].read_by == key_worker
    assert messages[1].read_at is None
    assert CarerContact.objects.filter(flagged_for_review=True, reviewed_at=None).count() == 1


def test_demo_key_worker_replied_sharing_only_what_the_agreement_allows(demo):
    reply = CarerMessageReply.objects.get()
    carer = reply.message.carer
    assert carer.user.username == "carer.staffs"
    assert reply.author.username == "keyworker.staffs"
    assert reply.message.read_at <= reply.sent_at < CarerMessage.objects.latest("sent_at").sent_at
    agreement = agreement_in_force(reply.contact.relationship)
    assert reply.contact.categories_shared == [ShareCategory.WELLBEING]
    assert set(reply.contact.categories_shared) <= set(agreement.categories)
    assert reply.contact.outside_agreement == []
    assert not reply.contact.flagged_for_review


def test_demo_carer_reads_the_reply_in_the_portal(demo, signed_in):
    reply = CarerMessageReply.objects.get()
    page = signed_in(reply.message.carer.user).get(reverse("carers:portal_messages"))
    assert page.status_code == 200
    assert str(escape(reply.body)) in page.content.decode()


def test_demo_reset_removes_carers_demo_data(demo, monkeypatch):
    # Only the carers' reset: other apps' resets are tested by their owners.
    monkeypatch.setattr("healthjustice.demo.loader.run_resets", reset_carers_demo)
    reset_demo()
    assert not User.objects.filter(username__in=["carer.staffs", "keyworker.staffs"]).exists()
    assert not CarerMessage.objects.exists()
    assert not CarerMessageReply.objects.exists()
    assert not CarerContact.objects.exists()
    assert CarerInformationPage.objects.exists()
    seed_carers_demo(demo_context())
    assert CarerMessageReply.objects.count() == 1
