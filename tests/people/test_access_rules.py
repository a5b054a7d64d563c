"""Who may see a person's record: care relationships, sharing agreements, break-glass,
restrictions. Everyone else gets a 404 and finds nothing in search."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import AccessBasis, Action, AuditEvent
from healthjustice.organisations.choices import Pathway
from healthjustice.organisations.permissions import clear_permission_cache
from healthjustice.organisations.roles import Role
from healthjustice.people import services
from healthjustice.people.access import access_basis, person_is_visible_to, visible_people
from healthjustice.people.models import BreakGlassAccess, CareRelationship
from healthjustice.people.selectors import person_search
from tests.factories import (
    AgreementFactory,
    OrganisationFactory,
    PersonFactory,
    RegionFactory,
    TeamFactory,
    staff,
)

pytestmark = pytest.mark.django_db


def test_team_with_current_relationship_sees_the_person():
    team = TeamFactory()
    person = PersonFactory(team=team)
    assert person_is_visible_to(staff(team=team), person)


def test_other_team_of_same_organisation_does_not_see_the_person():
    team = TeamFactory()
    person = PersonFactory(team=team)
    other = TeamFactory(organisation=team.organisation, region=team.region)
    assert not person_is_visible_to(staff(team=other), person)


def test_ended_relationship_no_longer_gives_access():
    team = TeamFactory()
    person = PersonFactory(team=team)
    CareRelationship.objects.filter(person=person).update(
        started_on=timezone.localdate() - datetime.timedelta(days=90),
        ended_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert not person_is_visible_to(staff(team=team), person)


def test_ended_membership_no_longer_gives_access():
    team = TeamFactory()
    person = PersonFactory(team=team)
    user = staff(team=team, ends_on=timezone.localdate() - datetime.timedelta(days=1))
    assert not person_is_visible_to(user, person)


@pytest.mark.parametrize("role", [Role.EQUALITY_LEAD, Role.IG_AUDITOR, Role.SYSTEM_ADMIN])
def test_non_clinical_roles_never_see_records_even_in_the_care_team(role):
    team = TeamFactory()
    person = PersonFactory(team=team)
    assert not person_is_visible_to(staff(role, team=team), person)


def _partner_setup(purposes=(Pathway.LIAISON_DIVERSION,), agreement_regions=None):
    region = RegionFactory(name="Staffordshire and Stoke-on-Trent")
    mpft = OrganisationFactory(ods_code="RRE")
    nschct = OrganisationFactory(ods_code="RLY")
    holder = TeamFactory(organisation=mpft, region=region)
    partner = TeamFactory(organisation=nschct, region=region)
    agreement = AgreementFactory(purposes=list(purposes))
    agreement.organisations.set([mpft, nschct])
    agreement.regions.set(agreement_regions or [region])
    return holder, partner, agreement


def test_partner_organisation_sees_person_under_agreement_for_region_and_purpose():
    holder, partner, _ = _partner_setup()
    person = PersonFactory(team=holder)
    assert person_is_visible_to(staff(team=partner), person)


def test_agreement_for_another_purpose_gives_no_access():
    holder, partner, _ = _partner_setup(purposes=[Pathway.RECONNECT])
    person = PersonFactory(team=holder)
    assert not person_is_visible_to(staff(team=partner), person)


def test_agreement_for_another_region_gives_no_access():
    holder, partner, _ = _partner_setup(agreement_regions=[RegionFactory(name="Elsewhere")])
    person = PersonFactory(team=holder)
    assert not person_is_visible_to(staff(team=partner), person)


def test_expired_agreement_gives_no_access():
    holder, partner, agreement = _partner_setup()
    agreement.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    agreement.save()
    person = PersonFactory(team=holder)
    assert not person_is_visible_to(staff(team=partner), person)


def test_agreement_gives_no_access_to_a_viewing_team_outside_its_regions():
    holder, partner, _ = _partner_setup()
    elsewhere = TeamFactory(
        organisation=partner.organisation, region=RegionFactory(name="Black Country")
    )
    person = PersonFactory(team=holder)
    assert person_is_visible_to(staff(team=partner), person)
    assert not person_is_visible_to(staff(team=elsewhere), person)


def test_agreement_never_opens_one_team_of_a_party_to_another_of_the_same_party():
    holder, _, _ = _partner_setup()
    colleague = TeamFactory(organisation=holder.organisation, region=holder.region)
    person = PersonFactory(team=holder)
    assert not person_is_visible_to(staff(team=colleague), person)


def test_agreement_gives_no_access_to_an_organisation_not_party_to_it():
    holder, _, _ = _partner_setup()
    outsider = TeamFactory(region=holder.region)
    person = PersonFactory(team=holder)
    assert not person_is_visible_to(staff(team=outsider), person)


def test_sharing_takes_the_same_queries_however_many_agreements(django_assert_max_num_queries):
    holder, partner, _ = _partner_setup()
    for n in range(5):
        extra = AgreementFactory(title=f"Agreement {n}")
        extra.organisations.set([holder.organisation, partner.organisation])
        extra.regions.set([holder.region])
    PersonFactory(team=holder)
    user = staff(team=partner)
    with django_assert_max_num_queries(7):
        assert len(list(visible_people(user))) == 1


def test_access_basis_is_own_team_first_then_the_agreement_named_then_break_glass():
    holder, partner, agreement = _partner_setup()
    person = PersonFactory(team=holder)
    assert access_basis(staff(team=holder), person).basis == AccessBasis.OWN_TEAM
    shared = access_basis(staff(team=partner), person)
    assert (shared.basis, shared.agreement) == (AccessBasis.AGREEMENT, agreement)
    outsider = staff()
    assert access_basis(outsider, person) is None
    services.break_glass_open(
        actor=outsider, person_public_id=person.public_id, reason="Emergency in custody now"
    )
    clear_permission_cache(outsider)
    assert access_basis(outsider, person).basis == AccessBasis.BREAK_GLASS


def test_invisible_person_is_a_404_and_the_denial_is_audited(signed_in):
    person = PersonFactory(team=TeamFactory())
    client = signed_in(staff())
    response = client.get(reverse("people:detail", kwargs={"public_id": person.public_id}))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        action=Action.DENIED, object_type="person", object_id=str(person.public_id)
    ).exists()


def test_invisible_person_is_absent_from_search():
    person = PersonFactory(team=TeamFactory())
    results = person_search(staff(), name=f"{person.given_name} {person.family_name}")
    assert results == []


def test_break_glass_grants_time_limited_access_marked_for_review():
    person = PersonFactory(team=TeamFactory())
    user = staff()
    grant = services.break_glass_open(
        actor=user, person_public_id=person.public_id, reason="Custody sergeant reports overdose"
    )
    assert person_is_visible_to(user, person)
    assert grant.reviewed_at is None
    assert AuditEvent.objects.filter(action=Action.BREAK_GLASS).count() == 1
    BreakGlassAccess.objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert not person_is_visible_to(user, person)


def test_break_glass_needs_a_real_reason():
    person = PersonFactory(team=TeamFactory())
    with pytest.raises(services.ValidationError):
        services.break_glass_open(actor=staff(), person_public_id=person.public_id, reason="x")
    assert not BreakGlassAccess.objects.exists()


def test_refused_break_glass_is_audited_and_grants_nothing():
    team = TeamFactory()
    person, _leader = _restricted(team)  # a restriction beats break-glass
    outsider = staff()
    with pytest.raises(services.PermissionDenied):
        services.break_glass_open(
            actor=outsider, person_public_id=person.public_id, reason="Custody sergeant asked"
        )
    assert not BreakGlassAccess.objects.exists()
    denial = AuditEvent.objects.get(action=Action.DENIED, object_id=str(person.public_id))
    assert denial.detail == {"attempt": "break_glass"}
    assert denial.actor_username == outsider.username


def _restricted(team):
    person = PersonFactory(team=team)
    leader = staff(Role.TEAM_LEADER, team=team)
    services.restriction_set(actor=leader, person=person, reason="staff", note="", allowed_users=[])
    return person, leader


def test_restricted_record_is_hidden_from_the_care_team_except_named_staff():
    team = TeamFactory()
    person, leader = _restricted(team)
    colleague = staff(team=team)
    assert person_is_visible_to(leader, person)
    assert not person_is_visible_to(colleague, person)
    assert person_search(colleague, name=person.family_name) == []


def test_restricted_record_cannot_be_opened_by_break_glass():
    team = TeamFactory()
    person, _ = _restricted(team)
    outsider = staff()
    with pytest.raises(services.PermissionDenied):
        services.break_glass_open(
            actor=outsider, person_public_id=person.public_id, reason="Emergency in custody now"
        )
    assert not person_is_visible_to(outsider, person)


def test_visible_people_uses_a_fixed_number_of_queries(django_assert_max_num_queries):
    team = TeamFactory()
    user = staff(team=team)
    for _ in range(5):
        PersonFactory(team=team)
    with django_assert_max_num_queries(6):
        assert len(list(visible_people(user))) == 5


def test_team_leader_restricts_a_record_through_the_page(signed_in):
    team = TeamFactory()
    person = PersonFactory(team=team)
    leader = staff(Role.TEAM_LEADER, team=team)
    colleague = staff(team=team)
    named = staff(team=team)
    client = signed_in(leader)
    url = reverse("people:restrict", kwargs={"public_id": person.public_id})
    assert named.username in client.get(url).content.decode()
    response = client.post(url, {"reason": "staff", "allowed_users": [str(named.public_id)]})
    assert response.status_code == 302
    assert person_is_visible_to(named, person)
    assert person_is_visible_to(leader, person)
    assert not person_is_visible_to(colleague, person)


def test_break_glass_and_roles_are_defined_once():
    # The episode rule reads the person rule's definitions, never its own copy of them.
    import inspect

    from healthjustice.journeys import access as episode_access

    source = inspect.getsource(episode_access)
    assert "expires_at" not in source
    assert "ROLES" not in source


def test_deciding_once_for_a_person_agrees_with_the_access_rules_in_sql():
    """The person page decides sight once (person_sight) and reads episodes by person id
    (person_visible_episodes, or person_visible_episode_list, which reads the sharing
    agreements only for an episode held by another team), and the episode page decides an
    episode read by its id (episode_sight): the same people and episodes as visible_people
    and visible_episodes, for care, sharing, break-glass, restriction and merging."""
    from healthjustice.journeys.access import (
        episode_sight,
        person_visible_episode_list,
        person_visible_episodes,
        visible_episodes,
    )
    from healthjustice.journeys.models import Episode
    from healthjustice.people.access import (
        person_sight,
        with_care_relationships,
        with_glass_in_force,
    )
    from healthjustice.people.models import Person
    from tests.journeys.factories import make_episode

    holder, partner, _ = _partner_setup()
    elsewhere = TeamFactory()
    person = PersonFactory(team=holder)
    for team in (holder, partner, elsewhere):
        make_episode(team, person=person)
    restricted, leader = _restricted(holder)
    make_episode(holder, person=restricted)
    merged = PersonFactory(team=holder)
    make_episode(holder, person=merged)
    merged.merged_into = person
    merged.save(update_fields=["merged_into"])
    glass_user = staff(team=elsewhere)
    services.break_glass_open(
        actor=glass_user, person_public_id=person.public_id, reason="Emergency in custody now"
    )
    users = {
        "own team": staff(team=holder),
        "partner": staff(team=partner),
        "outsider": staff(team=elsewhere),
        "break-glass": glass_user,
        "named on restriction": leader,
        "not clinical": staff(Role.IG_AUDITOR, team=holder),
    }
    seen = {}
    for label, user in users.items():
        for someone in (person, restricted, merged):
            clear_permission_cache(user)
            sight = person_sight(user, someone)
            assert (sight is not None) == person_is_visible_to(user, someone), (label, someone)
            expected = set(visible_episodes(user).filter(person=someone))
            assert set(person_visible_episodes(user, someone)) == expected, (label, someone)
            as_list = person_visible_episode_list(user, someone, Episode.objects.all())
            assert set(as_list) == expected and len(as_list) == len(expected), (label, someone)
            seen[label, someone.pk] = len(expected)
            for episode in Episode.objects.filter(person=someone).select_related(
                "person", "person__restriction"
            ):
                clear_permission_cache(user)
                decided = episode_sight(user, episode)
                assert (decided is not None) == (episode in expected), (label, episode.team)
                if decided is not None:
                    assert decided.basis == sight.basis, (label, someone)
            # Read as the person page reads the person (with its restriction and care
            # relationships), the decision is made from what was read: the same answer.
            # The break-glass grant is read with it for the user (and asked of the database
            # for anyone else the same object is shown to).
            for reader in (user, glass_user):
                as_read = (
                    Person.objects.select_related("restriction")
                    .prefetch_related(with_care_relationships())
                    .annotate(**with_glass_in_force(reader))
                    .get(pk=someone.pk)
                )
                clear_permission_cache(user)
                read_sight = person_sight(user, as_read)
                assert (read_sight is None) == (sight is None), (label, someone)
                if sight is not None and read_sight is not None:
                    assert read_sight.basis == sight.basis, (label, someone)
                    assert read_sight.glass == sight.glass, (label, someone)
                    assert read_sight.reachable == sight.reachable, (label, someone)
    # The cases differ: all three episodes under break-glass, two for the care team and its
    # partner (not the unrelated team's), none for an outsider, the restricted one only named.
    assert seen["break-glass", person.pk] == 3
    assert seen["own team", person.pk] == seen["partner", person.pk] == 2
    assert seen["outsider", person.pk] == 0
    assert seen["named on restriction", restricted.pk] == 1
    assert seen["own team", restricted.pk] == 0
    assert seen["own team", merged.pk] == 0
