"""The PCREF plan and the involvement register: what the services refuse, what the pages show
and to whom, the figures by ethnic group with small numbers hidden, and two people editing the
same record at once."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.core.concurrency import StaleEditError
from healthjustice.organisations.roles import Permission, Role, role_views_records, roles_with
from healthjustice.pcref import selectors, services
from healthjustice.pcref.models import (
    ActionStatus,
    Competency,
    Involvement,
    InvolvementKind,
    PlanAction,
    Recognition,
)
from healthjustice.people.models import EthnicCategory
from tests.factories import OrganisationFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(name="Stoke custody L&D")


@pytest.fixture
def lead(team):
    return staff(Role.EQUALITY_LEAD, team=team)


def category(code: str) -> EthnicCategory:
    return EthnicCategory.objects.get(code=code, code_list__is_current=True)


def add_action(lead, team, **extra):
    kwargs = dict(
        actor=lead,
        organisation=team.organisation,
        competency=Competency.WORKFORCE,
        action_text="Reverse mentoring for the board.",
        owner="Chief people officer",
        due_on=date(2027, 3, 31),
        status=ActionStatus.NOT_STARTED,
        evidence="",
    )
    kwargs.update(extra)
    return services.save_action(**kwargs)


def answers(**extra):
    data = {
        "kind": InvolvementKind.LIVED_EXPERIENCE,
        "name": "Jordan Example",
        "activity": "Co-designing the custody leaflet",
        "took_part_on": date(2026, 10, 1),
        "role": "Panel member",
        "recognition": Recognition.NONE,
        "amount": None,
        "consent_to_contact": False,
        "contact": "",
        "ethnic_category": None,
    }
    data.update(extra)
    return data


def add_person(lead, team, **extra):
    return services.save_involvement(
        actor=lead, organisation=team.organisation, answers=answers(**extra)
    )


# Services: bad input is refused whole.


def test_an_action_with_no_owner_or_due_date_is_refused_and_nothing_is_stored(lead, team):
    with pytest.raises(ValidationError) as exc:
        add_action(lead, team, owner="  ", due_on=None)
    assert exc.value.message_dict["owner"] == ["Enter who is responsible for this action"]
    assert exc.value.message_dict["due_on"] == ["Enter the date the action is due"]
    assert not PlanAction.objects.exists()


def test_a_new_action_may_be_due_long_ago(lead, team):
    action = add_action(lead, team, due_on=date(2019, 1, 1), status=ActionStatus.DELAYED)
    assert action.due_on == date(2019, 1, 1)


def test_markup_in_an_action_is_refused(lead, team):
    with pytest.raises(ValidationError) as exc:
        add_action(lead, team, action_text="<script>alert(1)</script>")
    assert "plain words" in exc.value.message_dict["action"][0]
    assert not PlanAction.objects.exists()


def test_a_done_action_needs_evidence(lead, team):
    with pytest.raises(ValidationError) as exc:
        add_action(lead, team, status=ActionStatus.DONE)
    assert exc.value.message_dict["evidence"] == ["Enter what shows the action is done"]


def test_consent_with_no_contact_detail_is_refused(lead, team):
    with pytest.raises(ValidationError) as exc:
        add_person(lead, team, consent_to_contact=True, contact="")
    assert "Enter a contact detail" in exc.value.message_dict["contact"][0]
    assert not Involvement.objects.exists()


def test_an_amount_with_no_payment_is_refused(lead, team):
    with pytest.raises(ValidationError) as exc:
        add_person(lead, team, recognition=Recognition.NONE, amount=Decimal("20"))
    assert "Leave the amount empty" in exc.value.message_dict["amount"][0]
    assert not Involvement.objects.exists()


def test_an_organisation_has_no_ethnic_category(lead, team):
    with pytest.raises(ValidationError) as exc:
        add_person(
            lead,
            team,
            kind=InvolvementKind.FAITH,
            name="Hanley Gurdwara Women's Group",
            ethnic_category=category("H"),
        )
    assert "only for a person" in exc.value.message_dict["ethnic_category"][0]


def test_a_contact_detail_is_kept_only_without_consent_and_deleted_when_withdrawn(lead, team):
    record = add_person(lead, team, contact="jordan@example.com")
    assert record.contact == ""  # no consent: not kept
    record = services.save_involvement(
        actor=lead,
        organisation=team.organisation,
        answers=answers(consent_to_contact=True, contact="jordan@example.com"),
        involvement=record,
        expected_version=record.version,
    )
    assert record.contact == "jordan@example.com"
    record = services.save_involvement(
        actor=lead,
        organisation=team.organisation,
        answers=answers(consent_to_contact=False, contact="jordan@example.com"),
        involvement=record,
        expected_version=record.version,
    )
    record.refresh_from_db()
    assert record.contact == "" and not record.consent_to_contact
    event = AuditEvent.objects.filter(object_type="pcref_involvement").order_by("-seq").first()
    assert event.action == Action.UPDATE and event.detail["contact_deleted"] is True


def test_two_people_editing_an_action_at_once_the_second_is_told(lead, team):
    action = add_action(lead, team)
    services.save_action(
        actor=lead,
        organisation=team.organisation,
        competency=action.competency,
        action_text=action.action,
        owner="Director of nursing",
        due_on=action.due_on,
        status=ActionStatus.IN_PROGRESS,
        action=action,
        expected_version=1,
    )
    with pytest.raises(StaleEditError):
        services.save_action(
            actor=lead,
            organisation=team.organisation,
            competency=action.competency,
            action_text=action.action,
            owner="Someone else",
            due_on=action.due_on,
            status=ActionStatus.DELAYED,
            action=action,
            expected_version=1,
        )
    action.refresh_from_db()
    assert action.owner == "Director of nursing" and action.version == 2


# Pages.


def test_stale_edit_of_an_involvement_shows_the_message_and_saves_nothing(lead, team, signed_in):
    record = add_person(lead, team)
    client = signed_in(lead)
    url = reverse("pcref:involvement_edit", kwargs={"public_id": record.public_id})
    data = {
        "organisation": str(team.organisation.public_id),
        "kind": InvolvementKind.LIVED_EXPERIENCE,
        "name": "Jordan Example",
        "activity": "A changed activity",
        "took_part_on_0": "1",
        "took_part_on_1": "10",
        "took_part_on_2": "2026",
        "role": "Panel member",
        "recognition": Recognition.NONE,
        "version": "1",
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "activity": "Another change"})
    assert response.status_code == 400
    assert "Someone else changed this record" in unescape(response.content.decode())
    record.refresh_from_db()
    assert record.activity == "A changed activity"


def test_the_form_says_what_is_wrong(lead, team, signed_in):
    client = signed_in(lead)
    response = client.post(
        reverse("pcref:involvement_new"),
        {
            "organisation": str(team.organisation.public_id),
            "kind": InvolvementKind.CARER,
            "name": "Sam Example",
            "activity": "Carers' group",
            "took_part_on_0": "2",
            "took_part_on_1": "11",
            "took_part_on_2": "2026",
            "role": "Member",
            "recognition": Recognition.NONE,
            "amount": "15",
            "consent_to_contact": "on",
        },
    )
    assert response.status_code == 400
    body = unescape(response.content.decode())
    assert "Enter a contact detail" in body and "Leave the amount empty" in body
    assert not Involvement.objects.exists()


def test_an_action_form_with_no_owner_and_no_due_date(lead, team, signed_in):
    response = signed_in(lead).post(
        reverse("pcref:action_new"),
        {
            "organisation": str(team.organisation.public_id),
            "competency": Competency.CO_LEARNING,
            "action": "Learn together",
            "status": ActionStatus.NOT_STARTED,
        },
    )
    body = unescape(response.content.decode())
    assert response.status_code == 400
    assert "Enter who is responsible for this action" in body
    assert "Enter the date the action is due" in body
    assert not PlanAction.objects.exists()


def test_the_register_is_listed_filtered_and_audited(lead, team, signed_in):
    carer = add_person(lead, team, kind=InvolvementKind.CARER, name="Sam Carer")
    add_person(lead, team, name="Old Timer", took_part_on=date(2025, 1, 5))
    response = signed_in(lead).get(
        reverse("pcref:involvement"),
        {
            "kind": InvolvementKind.CARER,
            "date_from_0": "1",
            "date_from_1": "1",
            "date_from_2": "2026",
        },
    )
    body = unescape(response.content.decode())
    assert "Sam Carer" in body and "Old Timer" not in body
    event = AuditEvent.objects.filter(object_type="pcref_involvement_list").get()
    assert event.detail["involvement"] == [str(carer.public_id)]


def test_another_trusts_records_are_not_reached(lead, team, signed_in):
    other_team = TeamFactory(organisation=OrganisationFactory())
    other_lead = staff(Role.EQUALITY_LEAD, team=other_team)
    record = add_person(other_lead, other_team)
    action = add_action(other_lead, other_team)
    client = signed_in(lead)
    assert (
        client.get(reverse("pcref:involvement_edit", kwargs={"public_id": record.public_id}))
    ).status_code == 404
    assert (
        client.get(reverse("pcref:action_edit", kwargs={"public_id": action.public_id}))
    ).status_code == 404
    assert "Jordan Example" not in client.get(reverse("pcref:involvement")).content.decode()


def test_the_public_page_shows_the_plan_and_nothing_of_the_register(lead, team, client):
    add_action(lead, team, evidence="Six board members mentored.", status=ActionStatus.DONE)
    add_person(lead, team, consent_to_contact=True, contact="jordan@example.com")
    response = client.get(reverse("pcref:public_plan"))
    body = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Reverse mentoring for the board." in body and "Six board members mentored." in body
    assert "Workforce" in body and "Done" in body and "31 March 2027" in body
    assert "Jordan Example" not in body and "jordan@example.com" not in body
    assert "pcref@example.nhs.uk" in body  # the contact address setting
    assert not AuditEvent.objects.filter(action=Action.VIEW).exists()


def test_the_link_shows_for_those_who_keep_the_plan(lead, team, signed_in):
    assert "PCREF plan and involvement" in signed_in(lead).get(reverse("web:home")).content.decode()
    practitioner = staff(Role.PRACTITIONER, team=team)
    home = signed_in(practitioner).get(reverse("web:home")).content.decode()
    assert "PCREF plan and involvement" not in home


# Figures.


def test_figures_count_distinct_people_by_group_and_hide_small_numbers(lead, team):
    today = timezone.localdate()
    for i in range(6):
        add_person(lead, team, name=f"White Person {i}", ethnic_category=category("A"))
    # One person twice: counted once.
    for _ in range(2):
        add_person(lead, team, name="Black Person 0", ethnic_category=category("M"))
    for i in range(1, 7):
        add_person(lead, team, name=f"Black Person {i}", ethnic_category=category("N"))
    add_person(lead, team, name="Asian Person", ethnic_category=category("H"))
    add_person(lead, team, kind=InvolvementKind.COMMUNITY, name="Tunstall Community Forum")
    add_person(lead, team, name="Outside Period", took_part_on=today - timedelta(days=400))
    figures = selectors.involvement_figures(
        lead, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31)
    )
    by_label = {row.label: row.cell for row in figures.rows}
    assert by_label["Black or Black British"].text == "7"  # one person twice, counted once
    assert by_label["Asian or Asian British"].text == "fewer than 5"
    # The hidden 1 could be worked out from the total: the smallest shown group is hidden too.
    assert by_label["White"].secondary and by_label["White"].value == 6
    assert by_label["Not recorded"].text == "0"
    assert figures.total.value == 14  # the organisation and the person outside the period left out


def test_figures_page_shows_suppressed_words(lead, team, signed_in):
    add_person(lead, team, ethnic_category=category("A"))
    body = unescape(signed_in(lead).get(reverse("pcref:involvement_figures")).content.decode())
    assert "fewer than 5" in body


def test_a_record_with_no_name_activity_or_date_is_refused(lead, team):
    with pytest.raises(ValidationError) as exc:
        add_person(lead, team, name=" ", activity="", took_part_on=None, recognition="")
    errors = exc.value.message_dict
    assert errors["name"] == ["Enter the name of the person or organisation"]
    assert errors["activity"] == ["Enter the activity they took part in"]
    assert errors["took_part_on"] == ["Enter the date they took part"]
    assert errors["recognition"] == ["Select how they were thanked or paid"]
    assert not Involvement.objects.exists()


def test_equality_leads_and_service_managers_keep_the_plan_and_the_lead_opens_no_record():
    assert set(roles_with(Permission.PCREF_MANAGE)) == {Role.EQUALITY_LEAD, Role.SERVICE_MANAGER}
    assert not role_views_records(Role.EQUALITY_LEAD)
