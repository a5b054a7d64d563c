"""Criminal-justice details: Article 10 data, shown only with the permission, every view audited."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import AuditEvent
from healthjustice.journeys.models import ARTICLE_10_FIELDS, CriminalJusticeContext
from healthjustice.journeys.selectors import cj_context_for_user
from healthjustice.organisations.roles import ROLES, Permission, Role, RoleDefinition
from tests.factories import TeamFactory, staff
from tests.journeys.factories import make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def practitioner(team):
    return staff(team=team)


@pytest.fixture
def episode(team):
    return make_episode(
        team,
        cj={
            "custody_record_reference": "21/STK/00412",
            "offence_category": "criminal_damage_arson",
            "arrived_in_custody_at": timezone.now() - datetime.timedelta(hours=5),
        },
    )


def _drop_cj_permission(monkeypatch):
    definition = ROLES[Role.PRACTITIONER]
    monkeypatch.setitem(
        ROLES,
        Role.PRACTITIONER,
        RoleDefinition(
            definition.role,
            definition.description,
            definition.permissions - {Permission.CJ_CONTEXT_VIEW},
        ),
    )


def test_article_10_fields_are_the_models_own_fields():
    names = {f.name for f in CriminalJusticeContext._meta.get_fields()}
    assert set(ARTICLE_10_FIELDS) <= names
    bookkeeping = {"id", "episode", "version", "updated_at", "updated_by"}
    assert names - set(ARTICLE_10_FIELDS) == bookkeeping


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.TEAM_LEADER, Role.SERVICE_MANAGER])
def test_clinical_roles_hold_the_cj_permission(role):
    assert Permission.CJ_CONTEXT_VIEW in ROLES[role].permissions


@pytest.mark.parametrize(
    "role", [Role.EQUALITY_LEAD, Role.IG_AUDITOR, Role.SYSTEM_ADMIN, Role.CARER]
)
def test_other_roles_do_not(role):
    assert Permission.CJ_CONTEXT_VIEW not in ROLES[role].permissions


def test_episode_page_shows_cj_details_and_audits_that_view_apart(practitioner, episode, signed_in):
    response = signed_in(practitioner).get(
        reverse("journeys:detail", kwargs={"public_id": episode.public_id})
    )
    html = response.content.decode()
    assert "21/STK/00412" in html and "Criminal damage and arson" in html
    events = AuditEvent.objects.filter(object_id=str(episode.public_id), action="view")
    assert sorted(events.values_list("object_type", flat=True)) == ["cj_context", "episode"]


def test_without_the_permission_the_episode_page_hides_cj_details_and_audits_no_cj_view(
    practitioner, episode, signed_in, monkeypatch
):
    _drop_cj_permission(monkeypatch)
    response = signed_in(practitioner).get(
        reverse("journeys:detail", kwargs={"public_id": episode.public_id})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "21/STK/00412" not in html and "Criminal-justice details" not in html
    assert not AuditEvent.objects.filter(object_type="cj_context").exists()


def test_without_the_permission_the_cj_page_is_refused(
    practitioner, episode, signed_in, monkeypatch
):
    _drop_cj_permission(monkeypatch)
    url = reverse("journeys:cj_context", kwargs={"public_id": episode.public_id})
    client = signed_in(practitioner)
    assert client.get(url).status_code == 403
    assert client.post(url, {"plea": "guilty"}).status_code == 403
    assert CriminalJusticeContext.objects.get().plea == ""


def test_selector_returns_nothing_without_the_permission(practitioner, episode, monkeypatch):
    _drop_cj_permission(monkeypatch)
    assert cj_context_for_user(practitioner, episode, request=RequestFactory().get("/")) is None


def test_no_cj_audit_when_there_are_no_details(practitioner, team):
    bare = make_episode(team)
    assert cj_context_for_user(practitioner, bare, request=RequestFactory().get("/")) is None
    assert not AuditEvent.objects.filter(object_type="cj_context").exists()


def test_cj_page_saves_changes_and_shows_them(practitioner, episode, signed_in):
    url = reverse("journeys:cj_context", kwargs={"public_id": episode.public_id})
    client = signed_in(practitioner)
    form = client.get(url).content.decode()
    assert 'value="21/STK/00412"' in form
    hearing = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        url,
        {
            "version": "1",
            "custody_record_reference": "21/STK/00412",
            "offence_category": "criminal_damage_arson",
            "charge_status": "charged",
            "court_name": "North Staffordshire Justice Centre",
            "hearing_date_0": str(hearing.day),
            "hearing_date_1": str(hearing.month),
            "hearing_date_2": str(hearing.year),
            "hearing_time": "10am",
            "bail_status": "remanded",
            "disposal": "not_yet_known",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "The criminal-justice details have been saved." in html
    context = CriminalJusticeContext.objects.get()
    assert context.version == 2 and context.charge_status == "charged"
    assert timezone.localtime(context.hearing_at).hour == 10
    assert context.arrived_in_custody_at is None  # the form sent no arrival time
    assert "Remanded in custody" in html


def test_cj_page_shows_clear_messages_for_impossible_dates(practitioner, team, signed_in):
    # Referred now, so yesterday's hearing is before the referral date even just after midnight.
    episode = make_episode(team, referred_at=timezone.now())
    url = reverse("journeys:cj_context", kwargs={"public_id": episode.public_id})
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = signed_in(practitioner).post(
        url,
        {
            "hearing_date_0": str(yesterday.day),
            "hearing_date_1": str(yesterday.month),
            "hearing_date_2": str(yesterday.year),
            "hearing_time": "14:00",
            "arrived_date_0": str(tomorrow.day),
            "arrived_date_1": str(tomorrow.month),
            "arrived_date_2": str(tomorrow.year),
            "arrived_time": "09:00",
        },
    )
    html = response.content.decode()
    assert "The hearing date must be on or after the referral date" in html
    assert "Date they arrived in custody must be today or in the past" in html
    assert not CriminalJusticeContext.objects.exists()


def test_cj_page_refuses_a_time_without_a_date_and_nonsense_times(practitioner, team, signed_in):
    episode = make_episode(team)
    url = reverse("journeys:cj_context", kwargs={"public_id": episode.public_id})
    response = signed_in(practitioner).post(url, {"hearing_time": "25:99", "arrived_time": "9am"})
    html = response.content.decode()
    assert "must be a real time, like 14:30 or 2:30pm" in html
    assert "Enter the date they arrived in custody" in html
    assert not CriminalJusticeContext.objects.exists()


def test_cj_page_refuses_a_stale_save(practitioner, episode, signed_in):
    CriminalJusticeContext.objects.filter(episode=episode).update(version=3)
    url = reverse("journeys:cj_context", kwargs={"public_id": episode.public_id})
    response = signed_in(practitioner).post(url, {"version": "1", "plea": "guilty"})
    assert "Someone else changed these details" in response.content.decode()
    assert CriminalJusticeContext.objects.get().plea == ""
