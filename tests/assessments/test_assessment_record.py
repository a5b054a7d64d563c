"""Recording and changing structured assessments, and the stage move that goes with them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from healthjustice.assessments.models import Assessment
from healthjustice.assessments.services import (
    assessment_record,
    assessment_update,
    consent_record,
)
from healthjustice.audit.models import AuditEvent
from healthjustice.core.concurrency import StaleEditError
from healthjustice.journeys.choices import Stage
from healthjustice.journeys.selectors import current_stage
from tests.assessments.factories import assessment_data, give_consent, make_assessment
from tests.factories import TeamFactory, staff
from tests.screening.factories import make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def user(team):
    return staff(team=team)


def test_assessment_moves_screened_episode_to_assessed(team, user):
    episode = make_episode(team=team, actor=user, stage=Stage.SCREENED)
    assessment = make_assessment(episode, user)
    assert current_stage(episode) == Stage.ASSESSED
    assert assessment.mode == "in_person"
    assert assessment.version == 1
    event = AuditEvent.objects.get(object_type="assessment", object_id=str(assessment.public_id))
    assert "risk_to_self" in event.fields_changed
    assert "better off dead" not in str(event.detail)


def test_assessment_from_identified_without_skip_reason_refused(team, user):
    episode = make_episode(team=team, actor=user)
    with pytest.raises(ValidationError) as exc:
        make_assessment(episode, user)
    assert "Give a reason for skipping screened" in exc.value.message_dict["skip_reason"][0]
    assert not Assessment.objects.exists()
    assert current_stage(episode) == Stage.IDENTIFIED


def test_assessment_from_identified_with_skip_reason_records_it(team, user):
    episode = make_episode(team=team, actor=user)
    make_assessment(episode, user, skip_reason="Seen straight away at court; no time to screen")
    assert current_stage(episode) == Stage.ASSESSED
    status = episode.statuses.order_by("-seq").first()
    assert status.skip_reason == "Seen straight away at court; no time to screen"


def test_assessment_after_assessed_stays_at_stage(team, user):
    episode = make_episode(team=team, actor=user, stage=Stage.INTERVENTION)
    make_assessment(episode, user)
    assert current_stage(episode) == Stage.INTERVENTION


def test_assessment_on_closed_episode_refused(team, user):
    episode = make_episode(team=team, actor=user, stage=Stage.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        make_assessment(episode, user)
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"assessed_at": timezone.now() + timedelta(hours=1)}, "assessed_at"),
        ({"assessed_at": timezone.now() - timedelta(days=3)}, "assessed_at"),
        ({"mode": "carrier pigeon"}, "mode"),
        ({"risk_to_others": "  "}, "risk_to_others"),
        ({"formulation": "x" * 4001}, "formulation"),
    ],
)
def test_assessment_bad_input_refused_nothing_stored(team, user, overrides, field):
    episode = make_episode(team=team, actor=user, stage=Stage.SCREENED)
    with pytest.raises(ValidationError) as exc:
        make_assessment(episode, user, **overrides)
    assert field in exc.value.message_dict
    assert not Assessment.objects.exists()
    assert current_stage(episode) == Stage.SCREENED


def test_assessor_must_be_in_the_episode_team(team, user):
    episode = make_episode(team=team, actor=user, stage=Stage.SCREENED)
    outsider = staff(team=TeamFactory())
    with pytest.raises(ValidationError) as exc:
        make_assessment(episode, user, assessor=outsider)
    assert "assessor" in exc.value.message_dict


def test_assessment_refused_for_other_team(team, user):
    episode = make_episode(team=team, actor=user, stage=Stage.SCREENED)
    with pytest.raises(PermissionDenied):
        make_assessment(episode, staff(team=TeamFactory()))


def test_assessment_update_changes_fields_and_version(team, user):
    episode = make_episode(team=team, actor=user, stage=Stage.SCREENED)
    assessment = make_assessment(episode, user)
    data = assessment_data(episode, user, recommendations="Urgent GP appointment tomorrow")
    changed = assessment_update(actor=user, assessment=assessment, data=data, expected_version=1)
    assert "recommendations" in changed
    assessment.refresh_from_db()
    assert (assessment.version, assessment.updated_by) == (2, user)
    assert AuditEvent.objects.filter(object_type="assessment", action="update").count() == 1


def test_assessment_update_refuses_stale_version(team, user):
    episode = make_episode(team=team, actor=user, stage=Stage.SCREENED)
    assessment = make_assessment(episode, user)
    colleague = staff(team=team)
    first = assessment_data(episode, colleague, trauma="Witnessed domestic abuse as a child")
    assessment_update(actor=colleague, assessment=assessment, data=first, expected_version=1)
    second = assessment_data(episode, user, trauma="Nothing disclosed")
    with pytest.raises(StaleEditError):
        assessment_update(actor=user, assessment=assessment, data=second, expected_version=1)
    assessment.refresh_from_db()
    assert assessment.trauma == "Witnessed domestic abuse as a child"


def test_edit_page_shows_stale_edit_message(team, user, signed_in):
    episode = make_episode(team=team, actor=user, stage=Stage.SCREENED)
    assessment = make_assessment(episode, user)
    assessment_update(
        actor=user,
        assessment=assessment,
        data=assessment_data(episode, user, trauma="Bereavement last year"),
        expected_version=1,
    )
    at = timezone.localtime(timezone.now() - timedelta(minutes=10))
    response = signed_in(user).post(
        reverse("assessments:edit", kwargs={"public_id": assessment.public_id}),
        {
            "version": "1",
            "assessed_on_0": str(at.day),
            "assessed_on_1": str(at.month),
            "assessed_on_2": str(at.year),
            "assessed_time": at.strftime("%H:%M"),
            "mode": "telephone",
            "assessor": str(user.pk),
            "presenting_needs": "Changed on a stale page",
            "risk_to_self": "None identified",
            "risk_to_others": "None identified",
            "risk_from_others": "None identified",
            "formulation": "Stale",
            "recommendations": "Stale",
        },
    )
    assert response.status_code == 200
    assert "Someone else changed this assessment" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.presenting_needs != "Changed on a stale page"


def test_new_assessment_page_asks_for_skip_reason_only_at_identified(team, user, signed_in):
    client = signed_in(user)
    identified = make_episode(team=team, actor=user)
    screened = make_episode(team=team, actor=user, stage=Stage.SCREENED)
    for episode in (identified, screened):
        give_consent(episode.person, user, purpose="assessment")
    at_identified = client.get(
        reverse("assessments:new", kwargs={"episode_id": identified.public_id})
    )
    at_screened = client.get(reverse("assessments:new", kwargs={"episode_id": screened.public_id}))
    assert "Why was the person not screened first?" in at_identified.content.decode()
    assert "Why was the person not screened first?" not in at_screened.content.decode()


@pytest.mark.parametrize(
    ("typed", "expected"), [("14:30", "14:30"), ("2:30pm", "14:30"), ("9am", "09:00")]
)
def test_time_field_reads_common_forms(typed, expected):
    from healthjustice.assessments.forms import TimeField

    assert TimeField().clean(typed).strftime("%H:%M") == expected


@pytest.mark.parametrize("typed", ["25:00", "13pm", "half past", "12:60"])
def test_time_field_refuses_unreal_times(typed):
    from healthjustice.assessments.forms import TimeField

    with pytest.raises(ValidationError):
        TimeField().clean(typed)


def test_assessment_without_consent_to_it_is_refused(team, user):
    episode = make_episode(team=team, actor=user, stage=Stage.SCREENED)
    with pytest.raises(ValidationError) as exc:
        assessment_record(actor=user, episode=episode, data=assessment_data(episode, user))
    assert "consent to the assessment" in exc.value.messages[0]
    assert not Assessment.objects.exists()
    assert current_stage(episode) == Stage.SCREENED


def test_assessment_refused_consent_is_not_consent(team, user):
    episode = make_episode(team=team, actor=user, stage=Stage.SCREENED)
    consent_record(actor=user, person=episode.person, purpose="assessment", status="refused")
    with pytest.raises(ValidationError):
        assessment_record(actor=user, episode=episode, data=assessment_data(episode, user))


def test_assessment_with_a_best_interests_decision_is_recorded(team, user):
    episode = make_episode(team=team, actor=user, stage=Stage.SCREENED)
    consent_record(
        actor=user,
        person=episode.person,
        purpose="assessment",
        status="given",
        capacity_assessed=True,
        capacity_outcome="lacks_capacity",
        best_interests_by="Dr A Khan, duty psychiatrist",
        best_interests_reason="Acutely psychotic; assessment needed to plan care safely.",
    )
    assessment_record(actor=user, episode=episode, data=assessment_data(episode, user))
    assert Assessment.objects.count() == 1


def test_new_assessment_page_without_consent_links_to_record_it(team, user, signed_in):
    episode = make_episode(team=team, actor=user, stage=Stage.SCREENED)
    client = signed_in(user)
    url = reverse("assessments:new", kwargs={"episode_id": episode.public_id})
    html = client.get(url).content.decode()
    assert "Record consent to the assessment first" in html
    consent_url = reverse(
        "assessments:consent_record", kwargs={"person_id": episode.person.public_id}
    )
    assert f'<a href="{consent_url}?purpose=assessment&amp;next=' in html
    assert "Save assessment" not in html
    # Recording consent from there comes back to the assessment page
    response = client.post(
        f"{consent_url}?purpose=assessment",
        {
            "purpose": "assessment",
            "status": "given",
            "capacity_assessed": "no",
            "next": url,
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    assert "Save assessment" in client.get(url).content.decode()


def test_consent_page_does_not_go_back_to_another_site(team, user, signed_in):
    episode = make_episode(team=team, actor=user, stage=Stage.SCREENED)
    consent_url = reverse(
        "assessments:consent_record", kwargs={"person_id": episode.person.public_id}
    )
    response = signed_in(user).post(
        consent_url,
        {
            "purpose": "assessment",
            "status": "given",
            "capacity_assessed": "no",
            "next": "https://evil.example/assessments/",
        },
    )
    assert response["Location"] == reverse(
        "assessments:consent", kwargs={"person_id": episode.person.public_id}
    )
