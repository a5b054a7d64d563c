"""The whole-register duplicate finder and its review queue: Person rows are scored, pairs
between the thresholds are proposed, decisions are remembered and audited, and a reviewer only
ever sees pairs of records they may see."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.matching import services
from healthjustice.matching.models import (
    DuplicateScan,
    NotSamePerson,
    PairStatus,
    ProposedPair,
    ScanStatus,
)
from healthjustice.matching.selectors import (
    field_comparisons,
    pairs_for_user,
    probability_in_words,
)
from healthjustice.organisations.roles import Role
from healthjustice.people import merging
from healthjustice.people.models import PersonAlias, PersonMerge
from tests.factories import PersonFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db

NO_NHS = {"nhs_number": None, "nhs_number_missing_reason": "not_traced"}
DOB = datetime.date(1985, 2, 1)


@pytest.fixture
def team():
    return TeamFactory(name="Stoke custody L&D")


@pytest.fixture
def leader(team):
    return staff(Role.TEAM_LEADER, team=team)


@pytest.fixture
def register(team):
    """Kieran Walsh twice (once as 'Kieren', without an NHS number), and two unrelated people."""
    first = PersonFactory(
        team=team, given_name="Kieran", family_name="Walsh", date_of_birth=DOB, postcode="ST4 1NF"
    )
    second = PersonFactory(
        team=team,
        given_name="Kieren",
        family_name="WALSH",
        date_of_birth=DOB,
        postcode="ST4 1NF",
        **NO_NHS,
    )
    PersonFactory(team=team, given_name="Amara", family_name="Okafor")
    PersonFactory(team=team, given_name="Thomas", family_name="Hughes")
    return first, second


def scan(**kwargs):
    return services.find_duplicates(**kwargs)["counts"]


# Scoring Person rows -------------------------------------------------------------------------


def test_the_scan_proposes_the_two_records_of_one_person_and_no_one_else(register):
    first, second = register
    counts = scan()
    assert counts["people"] == 4
    assert counts["proposed"] == 1
    pair = ProposedPair.objects.get()
    assert (pair.first, pair.second) == (first, second)
    assert pair.status == PairStatus.PROPOSED
    assert pair.probability > 0.9
    levels = pair.comparison["levels"]
    assert levels["family"] == 0 and levels["dob"] == 0 and levels["postcode"] == 0
    assert levels["given"] in (1, 2)  # Kieran and Kieren: close spelling
    assert levels["nhs_number"] is None  # missing on one: no evidence either way
    assert "the same person (" in probability_in_words(pair.probability)


def test_other_names_are_compared_too(team):
    # Registered as "Jay Smith" and later as "Jason Brown", an other name of the first record
    first = PersonFactory(team=team, given_name="Jay", family_name="Smith", date_of_birth=DOB)
    PersonAlias.objects.create(person=first, given_name="Jason", family_name="Brown")
    PersonFactory(team=team, given_name="Jason", family_name="Brown", date_of_birth=DOB, **NO_NHS)
    assert scan()["proposed"] == 1


def test_different_nhs_numbers_keep_namesakes_apart(team, monkeypatch):
    # Weighed by how common the name is on the register (as on any register of thousands)
    monkeypatch.setattr("healthjustice.matching.scoring.MIN_RECORDS_FOR_FREQUENCIES", 0)
    PersonFactory.create_batch(20, team=team)
    PersonFactory(team=team, given_name="John", family_name="Smith", date_of_birth=DOB)
    PersonFactory(team=team, given_name="John", family_name="Smith", date_of_birth=DOB)
    assert scan()["proposed"] == 0


def test_a_father_and_son_of_the_same_name_are_proposed_not_merged(team, settings):
    # Same name and address, born 25 years apart, on a register of twenty others
    settings.HJ_MATCH_REVIEW_THRESHOLD = 0.05
    PersonFactory.create_batch(20, team=team)
    same = {"given_name": "Ryan", "family_name": "Tully", "postcode": "ST4 1NF", **NO_NHS}
    son = PersonFactory(team=team, date_of_birth=DOB, **same)
    father = PersonFactory(team=team, date_of_birth=datetime.date(1960, 6, 3), **same)
    scan()
    pair = ProposedPair.objects.get(first=son, second=father)
    assert pair.comparison["names_conflict"] is True
    assert pair.comparison["levels"]["dob"] == 4
    assert any(
        r.label == "Date of birth" and r.verdict == "disagrees" for r in field_comparisons(pair)
    )


# Thresholds and policy -------------------------------------------------------------------------


def test_pairs_below_the_review_threshold_are_not_stored(register, settings):
    settings.HJ_MATCH_REVIEW_THRESHOLD = 1.0
    counts = scan()
    assert counts["proposed"] == 0
    assert not ProposedPair.objects.exists()


def test_pairs_above_the_automatic_threshold_are_proposed_when_policy_forbids_merging(
    register, settings, leader
):
    settings.HJ_MATCH_AUTO_THRESHOLD = 0.5
    settings.HJ_MATCH_AUTO_MERGE = False
    run = DuplicateScan.objects.create(started_by=leader)
    counts = scan(scan=run)
    assert counts["proposed"] == 1 and counts["merged automatically"] == 0
    assert not PersonMerge.objects.exists()


def test_where_policy_allows_pairs_above_the_automatic_threshold_are_merged(
    register, settings, leader
):
    settings.HJ_MATCH_AUTO_THRESHOLD = 0.5
    settings.HJ_MATCH_AUTO_MERGE = True
    first, second = register
    run = DuplicateScan.objects.create(started_by=leader)
    counts = scan(scan=run)
    assert counts["merged automatically"] == 1 and counts["proposed"] == 0
    merge = PersonMerge.objects.get()
    assert (merge.keep, merge.duplicate) == (first, second)
    assert ProposedPair.objects.get().status == PairStatus.MERGED


def test_a_pair_already_proposed_is_not_proposed_twice(register):
    scan()
    counts = scan()
    assert counts["proposed"] == 0 and counts["already proposed or decided"] == 1
    assert ProposedPair.objects.count() == 1


def test_probability_in_words():
    assert probability_in_words(0.975) == "very likely the same person (97%)"
    assert probability_in_words(0.9996) == "almost certainly the same person (99%)"
    assert probability_in_words(0.6) == "possibly the same person (60%)"


# Decisions -------------------------------------------------------------------------------------


def test_not_the_same_person_is_remembered_and_never_proposed_again(register, leader):
    scan()
    pair = ProposedPair.objects.get()
    services.pair_not_same_person(actor=leader, pair=pair, reason="Twins: different NHS numbers")
    pair.refresh_from_db()
    assert pair.status == PairStatus.NOT_SAME and pair.decided_by == leader
    assert NotSamePerson.objects.filter(first=pair.first, second=pair.second).exists()
    assert AuditEvent.objects.filter(
        object_type="proposed_pair",
        object_id=str(pair.public_id),
        detail__decision="not_same_person",
    ).exists()
    counts = scan()
    assert counts["proposed"] == 0
    assert ProposedPair.objects.count() == 1


def test_a_reason_is_needed_to_say_not_the_same(register, leader):
    scan()
    with pytest.raises(ValidationError) as exc:
        services.pair_not_same_person(actor=leader, pair=ProposedPair.objects.get(), reason="  ")
    assert exc.value.message_dict["reason"] == ["Enter why these records are not the same person"]
    assert not NotSamePerson.objects.exists()


def test_same_person_runs_the_merge_which_can_be_undone(register, leader):
    first, second = register
    scan()
    pair = ProposedPair.objects.get()
    services.pair_same_person(
        actor=leader, pair=pair, keep_first=True, reason="Same date of birth and postcode"
    )
    pair.refresh_from_db()
    second.refresh_from_db()
    assert pair.status == PairStatus.MERGED and pair.merge is not None
    assert second.merged_into == first
    assert AuditEvent.objects.filter(
        object_type="proposed_pair", detail__decision="same_person"
    ).exists()
    merging.person_unmerge(actor=leader, merge=pair.merge, reason="Different people after all")
    second.refresh_from_db()
    assert second.merged_into is None


def test_proposals_are_superseded_when_a_record_is_merged_elsewhere(register, leader, team):
    first, second = register
    third = PersonFactory(team=team, given_name="Kieran", family_name="Walsh", **NO_NHS)
    scan()
    pair = ProposedPair.objects.get(first=first, second=second)
    # Merged from the person's page, not from the queue
    merging.person_merge(actor=leader, keep=first, duplicate=second, reason="Registered twice")
    counts = scan()
    pair.refresh_from_db()
    assert pair.status == PairStatus.SUPERSEDED
    assert counts["superseded by a merge"] >= 1
    assert third.pk  # the third record is still compared with the kept one


def test_deciding_a_pair_someone_else_decided_is_refused(register, leader, team):
    other_leader = staff(Role.TEAM_LEADER, team=team)
    scan()
    pair = ProposedPair.objects.get()
    stale_copy = ProposedPair.objects.get(pk=pair.pk)
    services.pair_not_same_person(actor=other_leader, pair=pair, reason="Twins")
    with pytest.raises(services.StaleDecision, match="already been decided by"):
        services.pair_same_person(actor=leader, pair=stale_copy, keep_first=True, reason="Same")
    assert not PersonMerge.objects.exists()


def test_a_pair_whose_record_was_merged_since_cannot_be_decided(register, leader):
    first, second = register
    scan()
    pair = ProposedPair.objects.get()
    merging.person_merge(actor=leader, keep=first, duplicate=second, reason="Registered twice")
    with pytest.raises(services.StaleDecision, match="has been merged since"):
        services.pair_not_same_person(actor=leader, pair=pair, reason="Twins")


def test_only_those_who_may_merge_say_same_person(register, team):
    scan()
    practitioner = staff(Role.PRACTITIONER, team=team)
    with pytest.raises(PermissionDenied):
        services.pair_same_person(
            actor=practitioner, pair=ProposedPair.objects.get(), keep_first=True, reason="Same"
        )
    with pytest.raises(PermissionDenied):
        services.pair_not_same_person(
            actor=practitioner, pair=ProposedPair.objects.get(), reason="Twins"
        )


# Who sees which pairs ----------------------------------------------------------------------


def test_a_reviewer_sees_only_pairs_of_records_they_may_see_both_of(register, leader):
    first, second = register
    other_team = TeamFactory(name="Cannock court L&D")
    other_leader = staff(Role.TEAM_LEADER, team=other_team)
    # A third record held by the other team only
    PersonFactory(
        team=other_team, given_name="Kieran", family_name="Walsh", date_of_birth=DOB, **NO_NHS
    )
    scan()
    assert ProposedPair.objects.count() == 3
    mine = list(pairs_for_user(leader))
    assert [(p.first, p.second) for p in mine] == [(first, second)]
    assert list(pairs_for_user(other_leader)) == []
    practitioner = staff(Role.PRACTITIONER, team=leader.memberships.first().team)
    assert list(pairs_for_user(practitioner)) == []


def test_information_governance_sees_the_pairs_of_their_organisation(register, team):
    scan()
    ig = staff(Role.IG_AUDITOR, team=team)
    elsewhere = staff(Role.IG_AUDITOR, team=TeamFactory(name="Another trust's team"))
    assert len(pairs_for_user(ig)) == 1
    assert len(pairs_for_user(elsewhere)) == 0


def test_the_queue_lists_most_likely_first(register, team):
    PersonFactory(team=team, given_name="Amara", family_name="Okafor", **NO_NHS)
    scan()
    leader = staff(Role.TEAM_LEADER, team=team)
    probabilities = [p.probability for p in pairs_for_user(leader)]
    assert probabilities == sorted(probabilities, reverse=True)


# Pages -----------------------------------------------------------------------------------------


def test_starting_a_scan_from_the_page_runs_it_and_shows_its_figures(client, register, leader):
    client.force_login(leader)
    response = client.post(reverse("matching:scan_start"))
    run = DuplicateScan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:scan_detail", args=[run.public_id])
    assert run.status == ScanStatus.DONE and run.started_by == leader
    assert run.counts["proposed"] == 1 and run.done == run.total
    page = client.get(response["Location"])
    assert "Finished" in page.content.decode()
    status = client.get(reverse("matching:scan_status", args=[run.public_id]))
    assert "hx-get" not in status.content.decode()


def test_a_second_scan_is_refused_while_one_runs(client, register, leader):
    running = DuplicateScan.objects.create(status=ScanStatus.RUNNING, total=10, done=4)
    client.force_login(leader)
    response = client.post(reverse("matching:scan_start"), follow=True)
    assert DuplicateScan.objects.count() == 1
    assert "already running" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "matching:scan_detail", args=[running.public_id]
    )
    assert "40% done" in response.content.decode()
    assert 'hx-get="' in response.content.decode()


def test_a_search_abandoned_by_its_worker_does_not_block_a_new_one(client, register, leader):
    DuplicateScan.objects.create(
        status=ScanStatus.RUNNING,
        requested_at=timezone.now() - services.SCAN_ABANDONED_AFTER - datetime.timedelta(1),
    )
    client.force_login(leader)
    response = client.post(reverse("matching:scan_start"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(DuplicateScan.objects.values_list("status", flat=True)) == [
        ScanStatus.DONE,
        ScanStatus.FAILED,
    ]


def test_the_pair_page_shows_both_records_and_what_agrees(client, register, leader):
    first, second = register
    scan()
    pair = ProposedPair.objects.get()
    client.force_login(leader)
    page = client.get(reverse("matching:pair_detail", args=[pair.public_id])).content.decode()
    assert "the same person (" in page
    assert "Kieran" in page and "Kieren" in page
    assert "Agrees" in page and "No evidence" in page
    viewed = AuditEvent.objects.filter(object_type="proposed_pair", action="view")
    assert {e.detail["person"] for e in viewed} == {str(first.public_id), str(second.public_id)}


def test_information_governance_decides_from_names_and_agreement_not_the_records(
    client, register, team
):
    first, _ = register
    scan()
    pair = ProposedPair.objects.get()
    ig = staff(Role.IG_AUDITOR, team=team)
    client.force_login(ig)
    page = client.get(reverse("matching:pair_detail", args=[pair.public_id])).content.decode()
    assert "Kieran" in page and "Agrees" in page
    assert first.nhs_number not in page and "ST4 1NF" not in page
    assert "Same person: merge the records" not in page
    assert "Not the same person" in page


def test_same_person_from_the_page_merges_and_points_to_undo(client, register, leader):
    first, second = register
    scan()
    pair = ProposedPair.objects.get()
    client.force_login(leader)
    response = client.post(
        reverse("matching:pair_same", args=[pair.public_id]),
        {"same-keep": "first", "same-reason": "Same date of birth and postcode"},
        follow=True,
    )
    assert "You can undo the merge" in response.content.decode()
    second.refresh_from_db()
    assert second.merged_into == first


def test_deciding_without_a_reason_names_the_field(client, register, leader):
    scan()
    pair = ProposedPair.objects.get()
    client.force_login(leader)
    page = client.post(reverse("matching:pair_not_same", args=[pair.public_id]), {}).content
    assert "Enter why these records are not the same person" in page.decode()
    page = client.post(reverse("matching:pair_same", args=[pair.public_id]), {}).content
    assert "Select which record to keep" in page.decode()


def test_a_stale_decision_from_the_page_says_who_decided(client, register, leader, team):
    scan()
    pair = ProposedPair.objects.get()
    other = staff(Role.TEAM_LEADER, team=team, user__first_name="Priya", user__last_name="Shah")
    services.pair_not_same_person(actor=other, pair=pair, reason="Twins")
    client.force_login(leader)
    response = client.post(
        reverse("matching:pair_not_same", args=[pair.public_id]),
        {"not_same-reason": "Different people"},
        follow=True,
    )
    text = response.content.decode()
    assert "This pair has already been decided by" in text
    assert NotSamePerson.objects.count() == 1


def test_find_duplicates_command_prints_counts_and_times(register, capsys):
    call_command("find_duplicates")
    out = capsys.readouterr().out
    assert "people: 4" in out
    assert "proposed: 1" in out
    assert "time to block and score" in out
    assert DuplicateScan.objects.get().status == ScanStatus.DONE
