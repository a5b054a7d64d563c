"""Every change made in the admin reaches the audit trail, and a system administrator cannot
give their own account a role that opens people's records."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.organisations import services
from healthjustice.organisations.models import Membership
from healthjustice.organisations.roles import Role, role_views_records
from healthjustice.people.services import restriction_set
from tests.audit.factories import ig_auditor
from tests.factories import (
    AgreementFactory,
    OrganisationFactory,
    PersonFactory,
    RegionFactory,
    TeamFactory,
    staff,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "quartz-meadow-lantern-71"
REFUSAL = str(escape("You cannot give your own account a role that can see people's records"))


@pytest.fixture
def admin_user():
    return staff(role=Role.SYSTEM_ADMIN, team=TeamFactory(), user__username="sysadmin")


def _add_membership(client, user, team, role=Role.PRACTITIONER):
    return client.post(
        reverse("admin:organisations_membership_add"),
        {
            "user": user.pk,
            "team": team.pk,
            "role": role,
            "starts_on": timezone.localdate().isoformat(),
            "ends_on": "",
        },
    )


def _events(**kwargs):
    return list(AuditEvent.objects.filter(**kwargs).order_by("seq"))


def test_an_administrator_cannot_add_themselves_to_a_clinical_team(signed_in, admin_user):
    clinical = TeamFactory()
    response = _add_membership(signed_in(admin_user), admin_user, clinical)
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert not Membership.objects.filter(user=admin_user, team=clinical).exists()
    [refused] = _events(action=Action.DENIED, object_type="membership")
    assert refused.actor_id == str(admin_user.public_id)
    assert refused.detail["account"] == str(admin_user.public_id)
    assert refused.detail["role"] == Role.PRACTITIONER


@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.SERVICE_MANAGER, Role.IG_AUDITOR])
def test_every_record_viewing_role_is_refused_for_ones_own_account(signed_in, admin_user, role):
    response = _add_membership(signed_in(admin_user), admin_user, TeamFactory(), role)
    assert REFUSAL in response.content.decode()


def test_an_administrator_may_give_themselves_a_role_that_sees_no_records(signed_in, admin_user):
    response = _add_membership(signed_in(admin_user), admin_user, TeamFactory(), Role.EQUALITY_LEAD)
    assert response.status_code == 302
    assert not role_views_records(Role.EQUALITY_LEAD)


def test_an_administrator_cannot_change_their_own_membership_into_a_clinical_role(
    signed_in, admin_user
):
    membership = admin_user.memberships.get()
    response = signed_in(admin_user).post(
        reverse("admin:organisations_membership_change", args=[membership.pk]),
        {
            "user": admin_user.pk,
            "team": membership.team.pk,
            "role": Role.PRACTITIONER,
            "starts_on": membership.starts_on.isoformat(),
            "ends_on": "",
        },
    )
    assert REFUSAL in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.SYSTEM_ADMIN


def test_an_administrator_may_end_their_own_clinical_membership(signed_in, admin_user):
    clinical = Membership.objects.create(user=admin_user, team=TeamFactory(), role="practitioner")
    response = signed_in(admin_user).post(
        reverse("admin:organisations_membership_change", args=[clinical.pk]),
        {
            "user": admin_user.pk,
            "team": clinical.team.pk,
            "role": Role.PRACTITIONER,
            "starts_on": clinical.starts_on.isoformat(),
            "initial-starts_on": clinical.starts_on.isoformat(),
            "ends_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    [changed] = _events(action=Action.UPDATE, object_type="membership")
    assert changed.fields_changed == ["ends_on"]


def test_adding_someone_elses_membership_is_audited(signed_in, admin_user):
    colleague = staff(team=TeamFactory())
    team = TeamFactory(name="Stafford custody")
    response = _add_membership(signed_in(admin_user), colleague, team, Role.TEAM_LEADER)
    assert response.status_code == 302
    membership = Membership.objects.get(user=colleague, team=team)
    [event] = _events(action=Action.CREATE, object_type="membership")
    assert event.actor_id == str(admin_user.public_id)
    assert event.object_id == str(membership.pk)
    assert event.detail["account"] == str(colleague.public_id)
    assert event.detail["role"] == Role.TEAM_LEADER
    assert event.detail["team"] == "Stafford custody"
    assert set(event.fields_changed) == {"role", "starts_on", "team", "user"}


def test_the_service_refuses_a_self_grant_whatever_calls_it(admin_user):
    own = Membership(user=admin_user, team=TeamFactory(), role=Role.PRACTITIONER)
    with pytest.raises(PermissionDenied):
        services.membership_save(actor=admin_user, membership=own, fields_changed=["role"])
    assert not Membership.objects.filter(user=admin_user, role=Role.PRACTITIONER).exists()


def test_deleting_memberships_in_bulk_is_audited(signed_in, admin_user):
    memberships = [staff(team=TeamFactory()).memberships.get() for _ in range(2)]
    response = signed_in(admin_user).post(
        reverse("admin:organisations_membership_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [m.pk for m in memberships],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    deleted = _events(action=Action.DELETE, object_type="membership")
    assert {e.object_id for e in deleted} == {str(m.pk) for m in memberships}
    assert not Membership.objects.filter(pk__in=[m.pk for m in memberships]).exists()


def test_setting_a_password_in_the_admin_is_audited_without_the_value(signed_in, admin_user):
    colleague = staff(team=TeamFactory())
    response = signed_in(admin_user).post(
        reverse("admin:auth_user_password_change", args=[colleague.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.check_password(NEW_PASSWORD)
    [event] = _events(action=Action.UPDATE, object_type="user")
    assert event.object_id == str(colleague.public_id)
    assert event.actor_id == str(admin_user.public_id)
    assert event.fields_changed == ["password"]
    everything = str(list(AuditEvent.objects.values()))
    assert NEW_PASSWORD not in everything
    assert colleague.password not in everything


def test_deactivating_an_account_in_the_admin_is_audited(signed_in, admin_user):
    colleague = staff(team=TeamFactory())
    response = signed_in(admin_user).post(
        reverse("admin:accounts_user_change", args=[colleague.pk]),
        {
            "username": colleague.username,
            "first_name": colleague.first_name,
            "last_name": colleague.last_name,
            "email": "",
            "job_title": "",
            "kind": "staff",
        },
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_active
    [event] = _events(action=Action.UPDATE, object_type="user")
    assert event.fields_changed == ["is_active"]


def test_creating_an_account_in_the_admin_is_audited(signed_in, admin_user):
    response = signed_in(admin_user).post(
        reverse("admin:accounts_user_add"),
        {"username": "new.starter", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    [event] = _events(action=Action.CREATE, object_type="user")
    assert event.detail["object"] == "new.starter"
    assert "password" in event.fields_changed
    assert NEW_PASSWORD not in str(event.detail)


def test_changing_an_agreement_in_the_admin_is_audited(signed_in, admin_user):
    agreement = AgreementFactory(title="Staffordshire trusts")
    parties = [OrganisationFactory(), OrganisationFactory()]
    region = RegionFactory()
    response = signed_in(admin_user).post(
        reverse("admin:organisations_datasharingagreement_change", args=[agreement.pk]),
        {
            "title": "Staffordshire trusts",
            "reference": agreement.reference,
            "organisations": [o.pk for o in parties],
            "regions": [region.pk],
            "purposes": '["ld", "mhtr"]',
            "starts_on": agreement.starts_on.isoformat(),
            "ends_on": "",
        },
    )
    assert response.status_code == 302
    [event] = _events(action=Action.UPDATE, object_type="data_sharing_agreement")
    assert event.object_id == str(agreement.public_id)
    assert event.fields_changed == ["organisations", "purposes", "regions"]
    assert event.detail["object"] == f"Staffordshire trusts ({agreement.reference})"


def test_the_ig_landing_page_lists_recent_changes_to_access(signed_in, admin_user):
    colleague = staff(team=TeamFactory(), user__username="new.practitioner")
    _add_membership(signed_in(admin_user), colleague, TeamFactory(name="Court team"))
    _add_membership(signed_in(admin_user), admin_user, TeamFactory(name="Custody team"))
    agreement = AgreementFactory(title="Black Country sharing")
    signed_in(admin_user).post(
        reverse("admin:organisations_datasharingagreement_change", args=[agreement.pk]),
        {
            "title": "Black Country sharing",
            "reference": agreement.reference,
            "organisations": [OrganisationFactory().pk],
            "regions": [RegionFactory().pk],
            "purposes": '["ld"]',
            "starts_on": agreement.starts_on.isoformat(),
            "ends_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        },
    )
    leader = staff(role=Role.TEAM_LEADER, team=TeamFactory())
    person = PersonFactory(team=leader.memberships.get().team)
    restriction_set(actor=leader, person=person, reason="staff", note="", allowed_users=[])

    page = signed_in(ig_auditor()).get(reverse("audit:home")).content.decode()
    section = page[page.index('id="access-changes"') :]
    assert "Team membership" in section
    assert "new.practitioner" in section
    assert "Court team" in section
    assert reverse("audit:user_detail", kwargs={"public_id": colleague.public_id}) in section
    assert reverse("audit:user_detail", kwargs={"public_id": admin_user.public_id}) in section
    assert "Refused" in section
    assert "Custody team" in section
    assert "Data-sharing agreement: Black Country sharing" in section
    assert "Restricted record" in section
    assert reverse("audit:person_events", kwargs={"public_id": person.public_id}) in section


def test_a_persons_own_password_change_is_not_listed_as_access_granted(signed_in):
    user = staff(team=TeamFactory())
    signed_in(user).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_type="user").exists()
    page = signed_in(ig_auditor()).get(reverse("audit:home")).content.decode()
    assert "No changes to access recorded yet." in page


def test_every_admin_page_of_the_service_is_audited():
    from django.contrib import admin

    from healthjustice.organisations.admin_base import AuditedAdmin

    ours = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("healthjustice.")
    }
    assert Membership in ours
    unaudited = [m.__name__ for m, a in ours.items() if not isinstance(a, AuditedAdmin)]
    assert unaudited == []
