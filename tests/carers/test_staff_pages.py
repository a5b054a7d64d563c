"""Staff manage stays, carers, support and information pages through the pages themselves."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.carers.choices import ShareCategory
from healthjustice.carers.models import Carer, CarerInformationPage, SecureServiceStay
from healthjustice.organisations.roles import Role
from healthjustice.people.models import CareRelationship
from tests.carers.factories import PageFactory, Ward, carer_account
from tests.factories import PersonFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def test_recording_a_stay_gives_the_ward_team_a_care_relationship(signed_in):
    home_team, ward_team = TeamFactory(), TeamFactory(name="Cedar Ward")
    user = staff(team=home_team)
    staff(team=ward_team, user=user)
    patient = PersonFactory(team=home_team)
    response = signed_in(user).post(
        reverse("carers:stay_add", kwargs={"public_id": patient.public_id}),
        {
            "level": "low_secure",
            "hospital_or_team": "Stafford low secure unit",
            "ward": "Cedar Ward",
            "team": str(ward_team.public_id),
            "key_worker": str(user.public_id),
            "ward_manager": "",
            **_date("starts_on", timezone.localdate() - datetime.timedelta(days=3)),
        },
    )
    assert response.status_code == 302
    stay = SecureServiceStay.objects.get()
    assert (stay.team, stay.key_worker) == (ward_team, user)
    assert CareRelationship.objects.current().filter(person=patient, team=ward_team).exists()


def test_stay_ending_before_it_starts_is_refused(signed_in):
    ward = Ward()
    today = timezone.localdate()
    response = signed_in(ward.key_worker).post(
        reverse("carers:stay_edit", kwargs={"public_id": ward.stay.public_id}),
        {
            "level": "low_secure",
            "hospital_or_team": "Stafford low secure unit",
            "team": str(ward.team.public_id),
            **_date("starts_on", today),
            **_date("ends_on", today - datetime.timedelta(days=1)),
        },
    )
    assert "The end date must be the same as or after the start date" in response.content.decode()
    ward.stay.refresh_from_db()
    assert ward.stay.ends_on is None


def test_adding_a_carer_creates_the_record_relationship_and_support(signed_in):
    ward = Ward()
    response = signed_in(ward.key_worker).post(
        reverse("carers:carer_add", kwargs={"public_id": ward.patient.public_id}),
        {
            "given_name": "Grace",
            "family_name": "Mensah",
            "phone": "07700 900321",
            "preferred_contact_method": "phone",
            "preferred_contact_time": "evening",
            "language": "English",
            **_date("date_identified", timezone.localdate()),
            "identified_at_first_contact": "on",
            "named_contact": str(ward.key_worker.public_id),
            "relationship": "parent",
            "named_on_care_plan": "on",
            "team": str(ward.team.public_id),
        },
    )
    carer = Carer.objects.get()
    assert response["Location"] == reverse(
        "carers:carer_detail", kwargs={"public_id": carer.public_id}
    )
    assert carer.named_contact == ward.key_worker
    assert carer.identified_at_first_contact is True
    rel = carer.relationships.get()
    assert (rel.patient, rel.named_on_care_plan) == (ward.patient, True)
    assert hasattr(carer, "support")
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="carer")
    assert event.detail["person"] == str(ward.patient.public_id)


def test_carer_who_prefers_phone_needs_a_phone_number(signed_in):
    ward = Ward()
    response = signed_in(ward.key_worker).post(
        reverse("carers:carer_add", kwargs={"public_id": ward.patient.public_id}),
        {
            "given_name": "Grace",
            "family_name": "Mensah",
            "preferred_contact_method": "phone",
            "preferred_contact_time": "any",
            "language": "English",
            **_date("date_identified", timezone.localdate()),
            "relationship": "parent",
            "team": str(ward.team.public_id),
        },
    )
    assert "Enter a phone number" in response.content.decode()
    assert not Carer.objects.exists()


def test_carer_page_is_audited_and_hidden_from_other_teams(signed_in):
    ward = Ward()
    carer, _rel = ward.carer()
    url = reverse("carers:carer_detail", kwargs={"public_id": carer.public_id})
    assert signed_in(ward.key_worker).get(url).status_code == 200
    assert AuditEvent.objects.filter(
        action=Action.VIEW, object_type="carer", object_id=str(carer.public_id)
    ).exists()
    assert signed_in(staff()).get(url).status_code == 404
    assert AuditEvent.objects.filter(
        action=Action.DENIED, object_type="carer", object_id=str(carer.public_id)
    ).exists()


def test_carer_edit_over_a_newer_change_is_refused(signed_in):
    ward = Ward()
    carer, _rel = ward.carer()
    response = signed_in(ward.key_worker).post(
        reverse("carers:carer_edit", kwargs={"public_id": carer.public_id}),
        {
            "given_name": "Changed",
            "family_name": carer.family_name,
            "phone": carer.phone,
            "preferred_contact_method": "phone",
            "preferred_contact_time": "any",
            "language": "English",
            **_date("date_identified", carer.date_identified),
            "version": carer.version + 5,
        },
    )
    assert "Someone else changed this" in response.content.decode()
    carer.refresh_from_db()
    assert carer.given_name != "Changed"


def test_support_completed_assessment_needs_an_outcome(signed_in):
    ward = Ward()
    carer, _rel = ward.carer()
    today = timezone.localdate()
    response = signed_in(ward.key_worker).post(
        reverse("carers:support_edit", kwargs={"public_id": carer.public_id}),
        {
            **_date("assessment_offered_on", today),
            **_date("assessment_completed_on", today),
            "version": 1,
        },
    )
    assert "Select the outcome" in response.content.decode()
    carer.support.refresh_from_db()
    assert carer.support.assessment_offered_on is None


def test_relationship_page_says_what_staff_may_always_do(signed_in):
    ward = Ward()
    _carer, rel = ward.carer()
    page = signed_in(ward.key_worker).get(
        reverse("carers:relationship", kwargs={"public_id": rel.public_id})
    )
    text = page.content.decode()
    assert "You can always, without the patient's consent" in text
    assert "tell them whether they are named on the care plan" in text
    assert "No agreement in force" in text


def test_writing_outside_the_agreement_is_refused_on_the_page(signed_in):
    ward = Ward()
    _carer, rel = ward.carer()
    ward.agree(rel, [ShareCategory.WELLBEING])
    response = signed_in(ward.key_worker).post(
        reverse("carers:shared_item_add", kwargs={"public_id": rel.public_id}),
        {"category": ShareCategory.MEDICATION, "title": "New tablets", "body": "Details"},
    )
    assert "has not agreed to share this kind of information" in response.content.decode()
    assert not rel.shared_items.exists()


def test_meeting_invitation_needs_a_date_and_time(signed_in):
    ward = Ward()
    _carer, rel = ward.carer()
    ward.agree(rel, [ShareCategory.MEETINGS])
    response = signed_in(ward.key_worker).post(
        reverse("carers:shared_item_add", kwargs={"public_id": rel.public_id}),
        {"category": ShareCategory.MEETINGS, "title": "CPA review", "body": "Please come"},
    )
    text = response.content.decode()
    assert "Enter the date of the meeting" in text
    assert "Enter the time of the meeting" in text
    day = timezone.localdate() + datetime.timedelta(days=7)
    ok = signed_in(ward.key_worker).post(
        reverse("carers:shared_item_add", kwargs={"public_id": rel.public_id}),
        {
            "category": ShareCategory.MEETINGS,
            "title": "CPA review",
            "body": "Please come",
            "meeting_kind": "cpa_review",
            **_date("meeting_on", day),
            "meeting_time": "10:30",
            "meeting_place": "Meeting room 2",
        },
    )
    assert ok.status_code == 302
    item = rel.shared_items.get()
    assert timezone.localtime(item.meeting_at).strftime("%H:%M") == "10:30"


def test_withdraw_page_withdraws_and_says_it_takes_effect_at_once(signed_in):
    ward = Ward()
    carer, rel = ward.carer()
    agreement = ward.agree(rel, [ShareCategory.WELLBEING])
    client = signed_in(ward.key_worker)
    url = reverse("carers:agreement_withdraw", kwargs={"public_id": agreement.public_id})
    assert "This takes effect at once" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Patient asked us to stop"}, follow=True)
    assert f"{escape(carer.full_name)} can no longer see anything" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.withdrawn


def test_team_leader_edits_and_publishes_an_information_page(signed_in):
    leader = staff(Role.TEAM_LEADER)
    page = PageFactory(title="Visiting", slug="visiting", is_published=False)
    client = signed_in(leader)
    response = client.post(
        reverse("carers:page_edit", kwargs={"public_id": page.public_id}),
        {
            "title": "Visiting the ward",
            "slug": "visiting",
            "body": "Book ahead.\n\n## What to bring\n- Photo ID",
            "order": 5,
            "is_published": "on",
            "version": page.version,
        },
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.title, page.is_published, page.updated_by) == ("Visiting the ward", True, leader)


def test_information_page_address_must_be_unique(signed_in):
    PageFactory(slug="visiting")
    response = signed_in(staff(Role.TEAM_LEADER)).post(
        reverse("carers:page_add"),
        {"title": "Visiting again", "slug": "visiting", "body": "Text", "order": 1},
    )
    assert "Another page already uses this web address" in response.content.decode()
    assert CarerInformationPage.objects.count() == 1


def test_practitioner_cannot_edit_information_pages(signed_in):
    assert signed_in(staff()).get(reverse("carers:pages")).status_code == 403


def test_person_page_links_to_carers_and_secure_services(signed_in):
    ward = Ward()
    page = signed_in(ward.key_worker).get(
        reverse("people:detail", kwargs={"public_id": ward.patient.public_id})
    )
    text = page.content.decode()
    assert reverse("carers:patient", kwargs={"public_id": ward.patient.public_id}) in text
    assert "Secure services: Low secure began" in text


def test_report_has_charts_with_tables_and_no_inline_styles(signed_in):
    ward = Ward()
    _carer, rel = ward.carer(identified_at_first_contact=True, named_contact=ward.key_worker)
    ward.carer()
    ward.agree(rel, [ShareCategory.WELLBEING])
    response = signed_in(ward.ward_manager).get(reverse("carers:report"), {"period": "90"})
    html = response.content.decode()
    assert html.count('<svg class="hj-chart"') == 5
    assert "style=" not in html[html.index("<main") :]
    assert '<title id="chart-named-contact-title">Carers with a named contact</title>' in html
    assert "50% (1 of 2)" in html
    assert len(re.findall(r"the numbers\s*</caption>", html)) == 5
    assert AuditEvent.objects.filter(object_type="carers_report").exists()


def test_key_worker_must_work_in_the_stays_team(signed_in):
    ward = Ward()
    elsewhere = staff(team=TeamFactory())
    user = ward.key_worker
    staff(team=elsewhere.memberships.get().team, user=user)
    response = signed_in(user).post(
        reverse("carers:stay_add", kwargs={"public_id": ward.patient.public_id}),
        {
            "level": "low_secure",
            "hospital_or_team": "Stafford low secure unit",
            "team": str(ward.team.public_id),
            "key_worker": str(elsewhere.public_id),
            **_date("starts_on", timezone.localdate()),
        },
    )
    assert f"Choose someone who works in {ward.team.name}" in response.content.decode()
    assert SecureServiceStay.objects.count() == 1


def test_ending_the_relationship_ends_the_agreement_and_hides_the_portal(signed_in):
    ward = Ward()
    carer, rel = ward.carer()
    ward.agree(rel, [ShareCategory.WELLBEING])
    response = signed_in(ward.key_worker).post(
        reverse("carers:relationship_edit", kwargs={"public_id": rel.public_id}),
        {"relationship": "parent", **_date("ended_on", timezone.localdate())},
    )
    assert response.status_code == 302
    agreement = rel.agreements.get()
    assert agreement.end_kind == "ended"
    portal = signed_in(carer_account(carer)).get(
        reverse("carers:portal_person", kwargs={"public_id": rel.public_id})
    )
    assert portal.status_code == 404


def test_key_worker_sees_their_teams_triangle_of_care_figures(signed_in):
    ward = Ward()
    ward.carer(identified_at_first_contact=True, named_contact=ward.key_worker)
    client = signed_in(ward.key_worker)
    home = client.get(reverse("carers:home")).content.decode()
    assert reverse("carers:report") in home
    response = client.get(reverse("carers:report"), {"period": "90"})
    assert response.status_code == 200
    assert ward.team.name in response.content.decode()
