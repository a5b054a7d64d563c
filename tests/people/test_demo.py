"""The people demo: a likely duplicate pair left for the Staffordshire team leader to merge, and a
merge already made, both removed by `seed_demo --reset`."""

import pytest
from django.urls import reverse
from markupsafe import escape

from healthjustice.accounts.models import User
from healthjustice.demo.loader import reset_demo
from healthjustice.demo.registry import DemoContext
from healthjustice.demo.seeders.people import mistype, seed_people_demo
from healthjustice.journeys.models import Episode
from healthjustice.journeys.selectors import open_only
from healthjustice.people import relations
from healthjustice.people.access import person_is_visible_to
from healthjustice.people.merging import person_merge
from healthjustice.people.models import Person, PersonMerge, PersonMergeMove
from healthjustice.people.selectors import merge_candidates, merges_for_user
from tests.demo.support import base_demo_context

pytestmark = pytest.mark.django_db


def demo_context(seed: int = 2026) -> DemoContext:
    """The base demo data, then only the people seeder (other apps' seeders are theirs)."""
    ctx = base_demo_context(people=20, seed=seed)
    seed_people_demo(ctx)
    return ctx


@pytest.fixture
def demo():
    return demo_context()


def test_likely_duplicates_look_alike_and_are_left_unmerged(demo):
    first, second = demo.extra["people.likely_duplicates"]
    for person in (first, second):
        person.refresh_from_db()
    assert first.family_name == second.family_name
    assert first.given_name != second.given_name
    assert first.date_of_birth is not None
    assert first.date_of_birth == second.date_of_birth
    assert first.nhs_number and second.nhs_number is None
    assert second.nhs_number_missing_reason == "not_traced"
    assert first.merged_into is None and second.merged_into is None
    assert Episode.objects.filter(person=first).count() == 1
    assert Episode.objects.filter(person=second).count() == 1
    assert not open_only(Episode.objects.filter(person=first)).exists()
    assert open_only(Episode.objects.filter(person=second)).exists()
    custody = demo.teams["staffs.custody"]
    assert all(p.care_relationships.filter(team=custody).exists() for p in (first, second))
    # Left out of the team lists, so no other seeder opens episodes for them.
    listed = {p.pk for group in demo.people_by_team.values() for p in group}
    assert not listed & {first.pk, second.pk}


def test_team_leader_finds_the_likely_duplicate_and_can_merge_it(demo):
    leader = User.objects.get(username="team_leader.staffs")
    first, second = demo.extra["people.likely_duplicates"]
    matches, _hidden = merge_candidates(leader, second)
    assert first in [m.person for m in matches]
    assert relations.merge_problems(first, second) == []
    person_merge(actor=leader, keep=first, duplicate=second, reason="Same person, two spellings")
    second.refresh_from_db()
    assert second.merged_into == first
    assert Episode.objects.filter(person=first).count() == 2


def test_one_merge_is_already_made_and_listed_for_the_team_leader(demo, signed_in):
    merge = PersonMerge.objects.get()
    assert merge.in_force
    assert merge.merged_by.username == "service_manager.staffs"
    assert merge.duplicate.merged_into == merge.keep
    assert merge.duplicate.family_name == mistype(merge.keep.family_name)
    assert merge.duplicate.date_of_birth == merge.keep.date_of_birth
    assert merge.moves.filter(model_label="journeys.episode").count() == 1
    assert Episode.objects.filter(person=merge.keep).count() == 1
    leader = User.objects.get(username="team_leader.staffs")
    assert person_is_visible_to(leader, merge.keep)
    assert list(merges_for_user(leader)) == [merge]
    body = signed_in(leader).get(reverse("people:merges")).content.decode()
    assert str(escape(merge.keep.full_name)) in body


def demo_names(ctx: DemoContext) -> list[tuple[str, str, object]]:
    merge = ctx.extra["people.merge"]
    people = [*ctx.extra["people.likely_duplicates"], merge.keep, merge.duplicate]
    return [(p.given_name, p.family_name, p.date_of_birth) for p in people]


def test_same_seed_gives_the_same_demo_people_after_a_reset(demo):
    before = demo_names(demo)
    reset_demo()
    assert not Person.objects.exists()
    assert demo_names(demo_context()) == before
    reset_demo()
    assert demo_names(demo_context(seed=7)) != before


def test_reset_removes_the_demo_merges_even_one_the_user_made(demo):
    leader = User.objects.get(username="team_leader.staffs")
    first, second = demo.extra["people.likely_duplicates"]
    person_merge(actor=leader, keep=second, duplicate=first, reason="Same person, two spellings")
    assert PersonMerge.objects.count() == 2
    reset_demo()
    assert not Person.objects.exists()
    assert not PersonMerge.objects.exists()
    assert not PersonMergeMove.objects.exists()
    assert not User.objects.filter(is_demo=True).exists()
    demo_context()
    assert PersonMerge.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("Thompson", "Thomspon"),
        ("Day", "Dya"),
        ("Li", "Lii"),
        ("Lloyd", "Llyod"),
        ("O'Neil", "O'Niel"),
        ("Hill", "Hlil"),
    ],
)
def test_mistype_swaps_two_neighbouring_letters_or_doubles_the_last(name, typed):
    assert mistype(name) == typed
