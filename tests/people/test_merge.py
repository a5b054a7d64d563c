"""Merging two records of the same person, and undoing it: everything moves, nothing is lost,
undo puts back exactly what moved, and every refusal leaves both records as they were."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.urls import reverse
from markupsafe import escape

from healthjustice.assessments.models import Consent
from healthjustice.audit.models import Action, AuditEvent
from healthjustice.carers.models import CarerRelationship, SecureServiceStay
from healthjustice.core.append_only import allow_purge
from healthjustice.governance.selectors import people_for_information_governance
from healthjustice.governance.subject_access import subject_access_document
from healthjustice.journeys.models import Episode
from healthjustice.organisations.roles import Role
from healthjustice.people import merging, services
from healthjustice.people.models import (
    CareRelationship,
    Person,
    PersonAlias,
    PersonChange,
    PersonMerge,
    PersonMergeMove,
)
from healthjustice.people.relations import person_relations, related_counts
from healthjustice.people.selectors import person_search, possible_duplicates
from healthjustice.screening.models import Screening
from tests.assessments.factories import give_consent
from tests.carers.factories import CarerFactory, RelationshipFactory, StayFactory
from tests.factories import MembershipFactory, PersonFactory, TeamFactory, staff
from tests.journeys.factories import make_screening
from tests.screening.factories import make_episode

pytestmark = pytest.mark.django_db

REASON = "Same date of birth and PNC ID; registered twice at custody under an alias"
NO_NHS = {"nhs_number": None, "nhs_number_missing_reason": "not_traced"}


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def leader(team):
    return staff(Role.TEAM_LEADER, team=team)


@pytest.fixture
def pair(team):
    """A kept record and a duplicate without an NHS number, both in the team's care."""
    keep = PersonFactory(
        team=team, given_name="Kieran", family_name="Walsh", pnc_id="", prison_number=""
    )
    duplicate = PersonFactory(
        team=team,
        given_name="Kieron",
        family_name="Welsh",
        preferred_name="Kez",
        date_of_birth=keep.date_of_birth,
        pnc_id="2019/0123456A",
        prison_number="A1234BC",
        **NO_NHS,
    )
    return keep, duplicate


def _merge(leader, keep, duplicate, reason=REASON):
    return merging.person_merge(actor=leader, keep=keep, duplicate=duplicate, reason=reason)


def _snapshot(*people):
    """Who every row that refers to a person belongs to, and each record's identifiers."""
    rows = {
        relation.label: sorted(
            relation.rows.filter(**{f"{relation.field.name}__in": people}).values_list(
                "pk", relation.field.attname
            )
        )
        for relation in person_relations()
    }
    people_rows = sorted(
        Person.objects.filter(pk__in=[p.pk for p in people]).values_list(
            "pk",
            "nhs_number",
            "nhs_number_missing_reason",
            "pnc_id",
            "prison_number",
            "merged_into",
        )
    )
    aliases = sorted(
        PersonAlias.objects.filter(person__in=people).values_list(
            "person", "given_name", "family_name"
        )
    )
    return rows, people_rows, aliases


def test_relations_are_found_from_the_models_of_every_app():
    labels = {(r.label, r.field.name) for r in person_relations()}
    assert {
        ("journeys.episode", "person"),
        ("assessments.consent", "person"),
        ("carers.secureservicestay", "person"),
        ("carers.carerrelationship", "patient"),
        ("people.carerelationship", "person"),
        ("people.personalias", "person"),
    } <= labels
    # Rebuilt or owned by the merge itself, never re-pointed.
    assert ("people.searchname", "person") not in labels
    assert ("people.personmerge", "keep") not in labels
    assert ("people.person", "merged_into") not in labels


def test_merge_moves_rows_of_every_app_to_the_kept_record(team, leader, pair):
    keep, duplicate = pair
    episode = make_episode(team=team, person=duplicate, actor=leader)
    screening = make_screening(episode, leader)
    give_consent(duplicate, leader, purpose="share_court")
    stay = StayFactory(person=duplicate, team=team)
    carer_link = RelationshipFactory(patient=duplicate, carer=CarerFactory(team=team))
    kept_episode = make_episode(team=team, person=keep, actor=leader)

    merge = _merge(leader, keep, duplicate)

    assert set(Episode.objects.filter(person=keep)) == {episode, kept_episode}
    assert Screening.objects.get(pk=screening.pk).episode.person == keep
    assert Consent.objects.get(purpose="share_court").person == keep
    assert SecureServiceStay.objects.get(pk=stay.pk).person == keep
    assert CarerRelationship.objects.get(pk=carer_link.pk).patient == keep
    assert CareRelationship.objects.filter(person=keep).count() == 2
    assert not CareRelationship.objects.filter(person=duplicate).exists()
    moved = set(merge.moves.values_list("model_label", "object_pk"))
    assert ("journeys.episode", str(episode.pk)) in moved
    assert ("journeys.episode", str(kept_episode.pk)) not in moved
    assert ("carers.carerrelationship", str(carer_link.pk)) in moved
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert duplicate.merged_by == leader
    assert duplicate.merge_reason == REASON
    assert duplicate.merged_at is not None


def test_merge_turns_the_duplicates_names_into_other_names(leader, pair):
    keep, duplicate = pair
    PersonAlias.objects.create(person=duplicate, given_name="Danny", family_name="Marsh")
    merge = _merge(leader, keep, duplicate)
    names = {(a.given_name, a.family_name, a.kind) for a in keep.aliases.all()}
    assert names == {
        ("Danny", "Marsh", "alias"),
        ("Kieron", "Welsh", "alias"),
        ("Kez", "Welsh", "known_as"),
    }
    created = merge.moves.filter(kind=PersonMergeMove.Kind.CREATED)
    assert created.count() == 2
    # Search finds the kept record by any of the duplicate's names; the duplicate no longer.
    for name in ("Kieron Welsh", "Danny Marsh"):
        assert [m.person for m in person_search(leader, name=name)] == [keep]
    # Information governance still finds the merged record, to see who looked at it.
    auditor = staff(
        Role.IG_AUDITOR,
        team=TeamFactory(organisation=keep.care_relationships.first().team.organisation),
    )
    found = people_for_information_governance(actor=auditor, name="Kieron Welsh")
    assert duplicate.public_id in {p.public_id for p in found}


def test_a_name_the_kept_record_already_has_is_not_added_again(team, leader):
    keep = PersonFactory(team=team, given_name="Amelia", family_name="Hughes")
    duplicate = PersonFactory(team=team, given_name="amelia", family_name="HUGHES", **NO_NHS)
    merge = _merge(leader, keep, duplicate)
    assert not keep.aliases.exists()
    assert not merge.moves.filter(kind=PersonMergeMove.Kind.CREATED).exists()


def test_merge_fills_the_kept_records_missing_identifiers(team, leader):
    keep = PersonFactory(team=team, pnc_id="", prison_number="B7654CD", **NO_NHS)
    duplicate = PersonFactory(team=team, pnc_id="2019/0123456A", prison_number="A1234BC")
    nhs_number = duplicate.nhs_number
    merge = _merge(leader, keep, duplicate)
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert keep.nhs_number == nhs_number
    assert keep.nhs_number_missing_reason == ""
    assert keep.pnc_id == "2019/0123456A"
    assert keep.prison_number == "B7654CD"  # the kept record's own value wins
    assert duplicate.nhs_number is None
    assert duplicate.prison_number == "A1234BC"
    assert merge.filled_identifiers == {"nhs_number": nhs_number, "pnc_id": "2019/0123456A"}
    assert [m.person for m in person_search(leader, identifier=nhs_number)] == [keep]


def test_records_with_different_nhs_numbers_are_never_merged(team, leader):
    keep, duplicate = PersonFactory(team=team), PersonFactory(team=team)
    with pytest.raises(ValidationError, match="different NHS numbers"):
        _merge(leader, keep, duplicate)
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert not PersonMerge.objects.exists()


@pytest.mark.parametrize("restricted_side", ["keep", "duplicate"])
def test_a_restricted_record_is_not_merged(leader, pair, restricted_side):
    keep, duplicate = pair
    target = keep if restricted_side == "keep" else duplicate
    services.restriction_set(
        actor=leader, person=target, reason="staff", note="", allowed_users=[leader]
    )
    with pytest.raises(ValidationError, match="information governance officer must lift"):
        _merge(leader, keep, duplicate)
    assert not PersonMerge.objects.exists()
    assert CareRelationship.objects.filter(person=duplicate).exists()


def test_a_record_the_actor_cannot_see_gives_the_usual_404(leader, pair):
    keep, _ = pair
    hidden = PersonFactory(team=TeamFactory(), **NO_NHS)
    with pytest.raises(Http404):
        _merge(leader, keep, hidden)
    with pytest.raises(Http404):
        _merge(leader, hidden, keep)
    assert AuditEvent.objects.filter(
        action=Action.DENIED, object_id=str(hidden.public_id), detail__attempt="merge"
    ).exists()
    assert not PersonMerge.objects.exists()


GLASS_REASON = "Custody nurse needs their history tonight"


def test_a_record_seen_only_through_break_glass_is_not_merged(leader, pair):
    # Break-glass is brief and reviewed; a merge would make the access last (either way round,
    # the teams of one record would see everything on the other).
    keep, _ = pair
    elsewhere = PersonFactory(team=TeamFactory(), date_of_birth=keep.date_of_birth, **NO_NHS)
    services.break_glass_open(
        actor=leader, person_public_id=elsewhere.public_id, reason=GLASS_REASON
    )
    before = _snapshot(keep, elsewhere)
    for kept, duplicate in ((keep, elsewhere), (elsewhere, keep)):
        with pytest.raises(ValidationError, match="Break-glass access is brief"):
            _merge(leader, kept, duplicate)
    assert not PersonMerge.objects.exists()
    assert _snapshot(keep, elsewhere) == before


def test_compare_page_says_a_break_glass_record_cannot_be_merged(leader, pair, signed_in):
    keep, _ = pair
    elsewhere = PersonFactory(team=TeamFactory(), date_of_birth=keep.date_of_birth, **NO_NHS)
    services.break_glass_open(
        actor=leader, person_public_id=elsewhere.public_id, reason=GLASS_REASON
    )
    client = signed_in(leader)
    url = reverse("people:merge_compare", args=[keep.public_id, elsewhere.public_id])
    body = client.get(url).content.decode()
    assert "These records cannot be merged" in body and "Break-glass access is brief" in body
    assert "Merge the records" not in body
    client.post(url, {"keep": "this", "reason": REASON})
    assert not PersonMerge.objects.exists()


def test_a_merge_is_not_undone_through_break_glass(leader, pair):
    keep, duplicate = pair
    merge = _merge(leader, keep, duplicate)
    outsider = staff(Role.TEAM_LEADER)
    services.break_glass_open(actor=outsider, person_public_id=keep.public_id, reason=GLASS_REASON)
    with pytest.raises(ValidationError, match="Break-glass access is brief"):
        merging.person_unmerge(actor=outsider, merge=merge, reason="Not the same person")
    merge.refresh_from_db()
    assert merge.in_force


def test_only_staff_with_the_merge_permission_may_merge(team, pair):
    keep, duplicate = pair
    with pytest.raises(PermissionDenied):
        _merge(staff(Role.PRACTITIONER, team=team), keep, duplicate)
    assert not PersonMerge.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_a_merge_needs_a_reason(leader, pair, reason):
    keep, duplicate = pair
    with pytest.raises(ValidationError) as caught:
        _merge(leader, keep, duplicate, reason=reason)
    assert "reason" in caught.value.message_dict
    assert not PersonMerge.objects.exists()


def test_a_record_is_not_merged_with_itself(leader, pair):
    keep, _ = pair
    with pytest.raises(ValidationError, match="with itself"):
        _merge(leader, keep, keep)
    assert not PersonMerge.objects.exists()


def test_a_record_already_merged_is_not_merged_again(team, leader, pair):
    keep, duplicate = pair
    _merge(leader, keep, duplicate)
    third = PersonFactory(team=team, **NO_NHS)
    with pytest.raises(ValidationError, match="already been merged"):
        _merge(leader, third, duplicate)
    assert PersonMerge.objects.count() == 1


def test_rows_that_cannot_be_combined_are_named_and_nothing_moves(team, leader, pair):
    keep, duplicate = pair
    give_consent(keep, leader, purpose="share_court")
    give_consent(duplicate, leader, purpose="share_court")
    episode = make_episode(team=team, person=duplicate, actor=leader)
    with pytest.raises(ValidationError, match="Both records have consents for the same purpose"):
        _merge(leader, keep, duplicate)
    assert Episode.objects.get(pk=episode.pk).person == duplicate
    assert not PersonMerge.objects.exists()


def test_the_same_carer_on_both_records_is_refused(team, leader, pair):
    keep, duplicate = pair
    carer = CarerFactory(team=team)
    RelationshipFactory(patient=keep, carer=carer)
    RelationshipFactory(patient=duplicate, carer=carer)
    with pytest.raises(ValidationError, match="carer relationships for the same carer"):
        _merge(leader, keep, duplicate)


def test_a_merged_record_is_left_out_of_search_and_duplicate_checks(leader, pair):
    keep, duplicate = pair
    _merge(leader, keep, duplicate)
    assert duplicate not in [m.person for m in person_search(leader, name="Kieron Welsh")]
    visible, hidden = possible_duplicates(
        leader,
        given_name="Kieron",
        family_name="Welsh",
        date_of_birth=duplicate.date_of_birth,
        nhs_number=None,
    )
    assert [m.person for m in visible] == [keep]
    assert hidden == 0
    # Its identifiers were copied to the kept record, so they find that instead.
    for identifier in ("A1234BC", "2019/0123456A"):
        assert [m.person for m in person_search(leader, identifier=identifier)] == [keep]


def test_unmerge_puts_back_exactly_what_the_merge_changed(team, leader, pair):
    keep, duplicate = pair
    PersonAlias.objects.create(person=duplicate, given_name="Danny", family_name="Marsh")
    make_episode(team=team, person=duplicate, actor=leader)
    give_consent(duplicate, leader, purpose="share_police")
    StayFactory(person=duplicate, team=team)
    make_episode(team=team, person=keep, actor=leader)
    before = _snapshot(keep, duplicate)

    merge = _merge(leader, keep, duplicate)
    # Recorded on the kept record after the merge: stays there when the merge is undone.
    later = make_episode(team=team, person=keep, actor=leader)
    merging.person_unmerge(actor=leader, merge=merge, reason="Different people after all")

    assert Episode.objects.get(pk=later.pk).person == keep
    allow_purge()  # only to compare with the snapshot: its stage history is append-only
    later.delete()
    rows, people_rows, aliases = _snapshot(keep, duplicate)
    before_rows, before_people, before_aliases = before
    # History rows say what happened; apart from them everything is as it was.
    rows.pop("people.personchange"), before_rows.pop("people.personchange")
    assert rows == before_rows
    assert people_rows == before_people
    assert aliases == before_aliases
    merge.refresh_from_db()
    assert merge.undone_by == leader
    assert merge.undo_reason == "Different people after all"
    assert duplicate in [m.person for m in person_search(leader, name="Kieron Welsh")]


def test_unmerge_gives_back_the_nhs_number_and_keeps_later_corrections(team, leader):
    keep = PersonFactory(team=team, pnc_id="", **NO_NHS)
    duplicate = PersonFactory(team=team, pnc_id="2019/0123456A")
    nhs_number = duplicate.nhs_number
    merge = _merge(leader, keep, duplicate)
    keep.refresh_from_db()
    # Someone corrects the copied PNC ID after the merge; undoing must not undo their fix.
    services.person_update(
        actor=leader,
        person=keep,
        data={"pnc_id": "2020/0000001B"},
        expected_version=keep.version,
    )
    merging.person_unmerge(actor=leader, merge=merge, reason="Two different people")
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.nhs_number == nhs_number
    assert duplicate.nhs_number_missing_reason == ""
    assert keep.nhs_number is None
    assert keep.nhs_number_missing_reason == "not_traced"
    assert keep.pnc_id == "2020/0000001B"
    assert duplicate.merged_into is None


def test_unmerge_refusals(team, leader, pair):
    keep, duplicate = pair
    merge = _merge(leader, keep, duplicate)
    with pytest.raises(ValidationError) as caught:
        merging.person_unmerge(actor=leader, merge=merge, reason=" ")
    assert "reason" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        merging.person_unmerge(
            actor=staff(Role.PRACTITIONER, team=team), merge=merge, reason="Not the same"
        )
    with pytest.raises(Http404):
        merging.person_unmerge(
            actor=staff(Role.TEAM_LEADER), merge=merge, reason="Not the same person"
        )
    merging.person_unmerge(actor=leader, merge=merge, reason="Not the same person")
    with pytest.raises(ValidationError, match="already been undone"):
        merging.person_unmerge(actor=leader, merge=merge, reason="Not the same person")


def test_a_later_merge_must_be_undone_first(team, leader, pair):
    keep, duplicate = pair
    first = _merge(leader, keep, duplicate)
    newer = PersonFactory(team=team)
    keep.refresh_from_db()
    keep.nhs_number = None
    keep.nhs_number_missing_reason = "not_traced"
    keep.save()
    second = _merge(leader, newer, keep)
    with pytest.raises(ValidationError, match="undo that merge first"):
        merging.person_unmerge(actor=leader, merge=first, reason="Not the same person")
    merging.person_unmerge(actor=leader, merge=second, reason="Not the same person")
    merging.person_unmerge(actor=leader, merge=first, reason="Not the same person")
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_merge_and_unmerge_are_audited_with_field_names_never_values(leader, pair):
    keep, duplicate = pair
    merge = _merge(leader, keep, duplicate)
    kept_event = AuditEvent.objects.get(object_id=str(keep.public_id), detail__operation="merge")
    dup_event = AuditEvent.objects.get(
        object_id=str(duplicate.public_id), detail__operation="merge"
    )
    assert kept_event.action == dup_event.action == Action.UPDATE
    assert kept_event.detail["merge"] == dup_event.detail["merge"] == str(merge.public_id)
    assert kept_event.detail["merged_from"] == str(duplicate.public_id)
    assert dup_event.detail["merged_into"] == str(keep.public_id)
    assert "pnc_id" in kept_event.fields_changed and "aliases" in kept_event.fields_changed
    assert "merged_into" in dup_event.fields_changed
    merging.person_unmerge(actor=leader, merge=merge, reason="Different people")
    undone = AuditEvent.objects.filter(detail__operation="unmerge")
    assert {e.object_id for e in undone} == {str(keep.public_id), str(duplicate.public_id)}
    for event in [kept_event, dup_event, *undone]:
        text = json.dumps([event.fields_changed, event.detail])
        for value in ("2019/0123456A", "A1234BC", "Kieron", "Welsh", REASON):
            assert value not in text


def test_merge_shows_on_the_kept_records_timeline(leader, pair, signed_in):
    keep, duplicate = pair
    _merge(leader, keep, duplicate)
    change = PersonChange.objects.get(person=keep, summary="Merged with a duplicate record")
    assert "care relationships" in change.fields and "pnc_id" in change.fields
    body = signed_in(leader).get(reverse("people:detail", args=[keep.public_id])).content.decode()
    assert "Merged with a duplicate record" in body


def test_counts_are_labelled_with_each_models_name(team, leader, pair):
    _, duplicate = pair
    make_episode(team=team, person=duplicate, actor=leader)
    counts = dict(related_counts(duplicate))
    assert counts["Episodes"] == 1
    assert counts["Care relationships"] == 1
    assert counts["Consents"] == 0


def test_subject_access_export_of_a_merged_record_still_works(leader, pair):
    keep, duplicate = pair
    _merge(leader, keep, duplicate)
    duplicate.refresh_from_db()
    document = json.loads(json.dumps(subject_access_document(duplicate), cls=DjangoJSONEncoder))
    assert document["person"]["merged_into"] == {"person_public_id": str(keep.public_id)}
    assert document["person"]["merged_by"]["username"] == leader.username


# The pages -----------------------------------------------------------------------------------


def test_person_page_offers_merge_only_with_the_permission(team, leader, pair, signed_in):
    keep, _ = pair
    url = reverse("people:detail", args=[keep.public_id])
    merge_url = reverse("people:merge_choose", args=[keep.public_id])
    assert merge_url in signed_in(leader).get(url).content.decode()
    assert merge_url not in signed_in(staff(team=team)).get(url).content.decode()


def test_choose_page_lists_likely_duplicates_and_searches(team, leader, pair, signed_in):
    keep, duplicate = pair
    same_name = PersonFactory(
        team=team,
        given_name="Kieran",
        family_name="Walsh",
        date_of_birth=keep.date_of_birth,
        **NO_NHS,
    )
    other_team_match = PersonFactory(
        team=TeamFactory(),
        given_name="Kieran",
        family_name="Walsh",
        date_of_birth=keep.date_of_birth,
    )
    client = signed_in(leader)
    url = reverse("people:merge_choose", args=[keep.public_id])
    body = client.get(url).content.decode()
    assert reverse("people:merge_compare", args=[keep.public_id, same_name.public_id]) in body
    assert reverse("people:merge_compare", args=[keep.public_id, keep.public_id]) not in body
    assert str(other_team_match.public_id) not in body
    assert "1 record held by other teams may match" in body
    compare = reverse("people:merge_compare", args=[keep.public_id, duplicate.public_id])
    body = client.post(url, {"identifier": "2019/0123456A"}).content.decode()
    assert "1 match" in body and compare in body
    body = client.post(url, {}).content.decode()
    assert "There is a problem" in body


def test_compare_page_shows_both_records_and_merges(team, leader, pair, signed_in):
    keep, duplicate = pair
    make_episode(team=team, person=duplicate, actor=leader)
    client = signed_in(leader)
    url = reverse("people:merge_compare", args=[keep.public_id, duplicate.public_id])
    body = client.get(url).content.decode()
    assert escape(keep.full_name) in body and escape(duplicate.full_name) in body
    assert "Episodes" in body and "Before you merge" in body
    response = client.post(url, {"keep": "this", "reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[keep.public_id])
    assert Episode.objects.get().person == keep


def test_compare_page_can_keep_the_chosen_record(leader, pair, signed_in):
    keep, duplicate = pair
    url = reverse("people:merge_compare", args=[keep.public_id, duplicate.public_id])
    response = signed_in(leader).post(url, {"keep": "other", "reason": REASON})
    assert response["Location"] == reverse("people:detail", args=[duplicate.public_id])
    keep.refresh_from_db()
    assert keep.merged_into == duplicate


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"keep": "this", "reason": ""}, "Enter why these records are the same person"),
        ({"reason": REASON}, "Select which record to keep"),
        ({"keep": "neither", "reason": REASON}, "Select which record to keep"),
    ],
)
def test_compare_page_bad_input_merges_nothing(leader, pair, signed_in, data, message):
    keep, duplicate = pair
    url = reverse("people:merge_compare", args=[keep.public_id, duplicate.public_id])
    response = signed_in(leader).post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and message in body
    assert not PersonMerge.objects.exists()


def test_compare_page_explains_why_records_cannot_be_merged(team, leader, signed_in):
    keep, other = PersonFactory(team=team), PersonFactory(team=team)
    client = signed_in(leader)
    url = reverse("people:merge_compare", args=[keep.public_id, other.public_id])
    body = client.get(url).content.decode()
    assert "These records cannot be merged" in body and "different NHS numbers" in body
    assert "Merge the records" not in body
    client.post(url, {"keep": "this", "reason": REASON})
    assert not PersonMerge.objects.exists()
    same = reverse("people:merge_compare", args=[keep.public_id, keep.public_id])
    assert "with itself" in client.get(same).content.decode()


def test_compare_page_gives_404_for_a_record_the_user_cannot_see(leader, pair, signed_in):
    keep, _ = pair
    hidden = PersonFactory(team=TeamFactory(), **NO_NHS)
    url = reverse("people:merge_compare", args=[keep.public_id, hidden.public_id])
    client = signed_in(leader)
    assert client.get(url).status_code == 404
    assert client.post(url, {"keep": "this", "reason": REASON}).status_code == 404
    assert not PersonMerge.objects.exists()


def test_merged_records_page_redirects_to_the_kept_record(team, leader, pair, signed_in):
    keep, duplicate = pair
    _merge(leader, keep, duplicate)
    client = signed_in(staff(team=team))
    response = client.get(reverse("people:detail", args=[duplicate.public_id]), follow=True)
    assert response.redirect_chain == [(reverse("people:detail", args=[keep.public_id]), 302)]
    assert "was merged into this one" in response.content.decode()
    outsider = signed_in(staff(team=TeamFactory()))
    assert outsider.get(reverse("people:detail", args=[duplicate.public_id])).status_code == 404


def test_merges_list_for_information_governance_and_leaders(team, leader, pair, signed_in):
    keep, duplicate = pair
    merge = _merge(leader, keep, duplicate)
    undo = reverse("people:merge_undo", args=[merge.public_id])
    auditor = staff(Role.IG_AUDITOR, team=TeamFactory())
    body = signed_in(auditor).get(reverse("people:merges")).content.decode()
    assert escape(keep.full_name) in body and REASON in body
    assert undo not in body
    body = signed_in(leader).get(reverse("people:merges")).content.decode()
    assert undo in body
    other_leader = staff(Role.TEAM_LEADER, team=TeamFactory())
    body = signed_in(other_leader).get(reverse("people:merges")).content.decode()
    assert "No records have been merged" in body
    assert signed_in(other_leader).get(undo).status_code == 404
    assert AuditEvent.objects.filter(object_type="person_merges", action=Action.VIEW).exists()


def test_an_undone_merge_is_not_listed_to_staff_who_cannot_see_both_records(
    team, leader, signed_in
):
    # Undoing gives the duplicate back to its own team: staff of the kept record's team alone
    # must not go on seeing its name, date of birth and the reason on the list.
    other_team = TeamFactory()
    MembershipFactory(user=leader, team=other_team, role=Role.TEAM_LEADER)
    keep = PersonFactory(team=team, family_name="Quenby")
    duplicate = PersonFactory(
        team=other_team, family_name="Quenbey", date_of_birth=keep.date_of_birth, **NO_NHS
    )
    merge = _merge(leader, keep, duplicate)
    colleague = staff(Role.TEAM_LEADER, team=team)
    listing = reverse("people:merges")
    assert escape(duplicate.full_name) in signed_in(colleague).get(listing).content.decode()
    merging.person_unmerge(actor=leader, merge=merge, reason="Not the same person")
    body = signed_in(colleague).get(listing).content.decode()
    assert escape(duplicate.full_name) not in body and REASON not in body
    undo = reverse("people:merge_undo", args=[merge.public_id])
    assert signed_in(colleague).get(undo).status_code == 404
    # The leader who sees both, and information governance, still see it.
    assert escape(duplicate.full_name) in signed_in(leader).get(listing).content.decode()
    auditor = signed_in(staff(Role.IG_AUDITOR, team=TeamFactory()))
    assert escape(duplicate.full_name) in auditor.get(listing).content.decode()


def test_undo_page_undoes_the_merge(team, leader, pair, signed_in):
    keep, duplicate = pair
    make_episode(team=team, person=duplicate, actor=leader)
    merge = _merge(leader, keep, duplicate)
    client = signed_in(leader)
    url = reverse("people:merge_undo", args=[merge.public_id])
    assert "Undo the merge" in client.get(url).content.decode()
    body = client.post(url, {"reason": ""}).content.decode()
    assert "Enter why you are undoing this merge" in body
    assert Episode.objects.get().person == keep
    response = client.post(url, {"reason": "Different people"})
    assert response.status_code == 302
    assert Episode.objects.get().person == duplicate
    assert "was undone on" in client.get(url).content.decode()


def test_merged_records_can_still_be_deleted_together(leader, pair):
    # The demo reset deletes every demo person in one go, merged or not.
    keep, duplicate = pair
    _merge(leader, keep, duplicate)
    Person.objects.filter(pk__in=[keep.pk, duplicate.pk]).delete()
    assert not Person.objects.filter(pk__in=[keep.pk, duplicate.pk]).exists()
    assert not PersonMerge.objects.exists()


def test_after_a_merge_the_kept_record_lists_each_team_once(team, leader, pair, signed_in):
    keep, duplicate = pair
    _merge(leader, keep, duplicate)
    page = signed_in(leader).get(reverse("people:detail", args=[keep.public_id])).content.decode()
    listed = page.split("Teams working with them", 1)[1].split("</ul>", 1)[0]
    assert listed.count(str(escape(team.name))) == 1


def test_opening_the_undo_page_records_a_view_of_both_records(leader, pair, signed_in):
    keep, duplicate = pair
    merge = _merge(leader, keep, duplicate)
    signed_in(leader).get(reverse("people:merge_undo", args=[merge.public_id]))
    viewed = AuditEvent.objects.filter(action=Action.VIEW, object_type="person_merge")
    assert sorted(e.detail["person"] for e in viewed) == sorted(
        [str(keep.public_id), str(duplicate.public_id)]
    )
