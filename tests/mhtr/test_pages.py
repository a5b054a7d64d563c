"""The MHTR pages through the browser's eyes (the Django test client): forms shown, errors on
the form, the episode page's section."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.selectors import current_stage
from healthjustice.mhtr.models import ComplianceNotice, MhtrReferral, TreatmentSession
from tests.conftest import MODEL_BACKEND
from tests.interventions.factories import make_episode
from tests.mhtr.factories import ordered_episode, session, suitable_episode


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


@pytest.fixture
def ld_client(client, mw):
    client.force_login(mw.ld_worker, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def mhtr_client(client, mw):
    client.force_login(mw.worker, backend=MODEL_BACKEND)
    return client


def test_ld_episode_page_offers_the_referral_and_it_opens_an_mhtr_episode(ld_client, mw):
    ld = make_episode(team=mw.ld_team, person=mw.person)
    page = ld_client.get(reverse("journeys:detail", kwargs={"public_id": ld.public_id}))
    refer_url = reverse("mhtr:refer", kwargs={"public_id": ld.public_id})
    assert refer_url in page.content.decode()
    response = ld_client.post(refer_url, {"reason": ""})
    assert "Enter" in response.content.decode() and response.status_code == 200
    assert not MhtrReferral.objects.exists()
    response = ld_client.post(refer_url, {"reason": "Low mood"})
    assert response.status_code == 302
    referral = MhtrReferral.objects.get()
    assert referral.episode.team == mw.team
    page = ld_client.get(reverse("journeys:detail", kwargs={"public_id": ld.public_id}))
    assert f"Referred to {mw.team.name}" in page.content.decode()


def test_suitable_refused_on_the_form_naming_what_is_missing(mhtr_client, mw):
    from tests.mhtr.factories import make_mhtr_episode

    episode = make_mhtr_episode(team=mw.team, person=mw.person)
    url = reverse("mhtr:suitability", kwargs={"public_id": episode.public_id})
    data = {
        **_date("assessed_on", timezone.localdate()),
        "mode": "phone",
        "offence_community_threshold": "yes",
        "guilt": "plea_expected",
        "requires_treatment": "yes",
        "not_hospital_order": "no",
        "arrangements_in_place": "yes",
        "tier": "primary",
        "gp": "willing",
        "willing": "yes",
        "outcome": "suitable",
    }
    response = mhtr_client.post(url, data)
    assert response.status_code == 200
    assert "hospital or guardianship order" in response.content.decode()
    assert current_stage(episode) == Stage.REFERRED
    response = mhtr_client.post(url, {**data, "not_hospital_order": "yes"})
    assert response.status_code == 302
    assert current_stage(episode) == Stage.SUITABILITY_ASSESSED


def test_order_form_records_the_order(mhtr_client, mw):
    episode = suitable_episode(team=mw.team, person=mw.person, actor=mw.worker)
    url = reverse("mhtr:order", kwargs={"public_id": episode.public_id})
    page = mhtr_client.get(url).content.decode()
    assert 'name="skip_reason"' in page and 'value="12"' in page
    sentenced = timezone.localdate() - datetime.timedelta(days=2)
    data = {
        "court": "Stoke Magistrates",
        **_date("sentenced_on", sentenced),
        "order_type": "community_order",
        "treatment_type": "practitioner",
        **_date("starts_on", sentenced),
        "months": "6",
        "tier": "primary",
        "clinician_name": "Dr Synthetic",
        "clinician_register": "gmc",
        "clinician_number": "12345",
        "probation_practitioner": "Sam Example",
        "probation_delivery_unit": "Stoke PDU",
        "planned_sessions": "12",
        "skip_reason": "Sentenced on the day",
    }
    response = mhtr_client.post(url, data)
    assert "Enter a GMC number of 7 digits" in response.content.decode()
    response = mhtr_client.post(url, {**data, "clinician_number": "1234 567"})
    assert response.status_code == 302
    assert current_stage(episode) == Stage.ORDER_MADE
    page = mhtr_client.get(reverse("journeys:detail", kwargs={"public_id": episode.public_id}))
    assert "GMC 1234567" in page.content.decode()


def test_missed_session_shows_a_notice_due_and_it_can_be_sent(mhtr_client, mw):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    booked = session(episode, mw.worker)
    url = reverse("mhtr:session_outcome", kwargs={"public_id": booked.public_id})
    response = mhtr_client.post(url, {"version": "1", "outcome": "dna"})
    assert response.status_code == 302
    notice = ComplianceNotice.objects.get()
    page = mhtr_client.get(reverse("journeys:detail", kwargs={"public_id": episode.public_id}))
    text = page.content.decode()
    assert "Absences and compliance notices" in text
    assert reverse("mhtr:notice_send", kwargs={"public_id": notice.public_id}) in text
    # A second tab still showing version 1 is told someone else saved.
    response = mhtr_client.post(url, {"version": "1", "outcome": "attended"})
    assert "Someone else changed this session" in response.content.decode()
    response = mhtr_client.post(
        reverse("mhtr:notice_send", kwargs={"public_id": notice.public_id}),
        {**_date("sent_on", timezone.localdate()), "recipient": "Sam", "method": "secure_email"},
    )
    assert response.status_code == 302
    assert notice.disclosure.recipient == "Sam"


def test_every_page_view_is_audited(mhtr_client, mw):
    episode = ordered_episode(team=mw.team, person=mw.person, actor=mw.worker)
    booked = session(episode, mw.worker)
    before = AuditEvent.objects.filter(action="view").count()
    mhtr_client.get(reverse("mhtr:session_create", kwargs={"public_id": episode.public_id}))
    mhtr_client.get(reverse("mhtr:session_outcome", kwargs={"public_id": booked.public_id}))
    views = AuditEvent.objects.filter(action="view").order_by("pk")[before:]
    assert [v.object_type for v in views] == ["episode", "mhtr_session"]
    assert TreatmentSession.objects.count() == 1
