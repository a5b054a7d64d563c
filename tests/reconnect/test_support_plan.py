"""The RECONNECT support plan: a need with its goal and the action agreed, once eligible."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from healthjustice.audit.models import AuditEvent
from healthjustice.core.append_only import AppendOnlyError
from healthjustice.reconnect import services
from healthjustice.reconnect.choices import NeedArea
from healthjustice.reconnect.models import SupportPlanNeed
from tests.conftest import MODEL_BACKEND
from tests.reconnect.factories import eligible, pre_release, referred


def _add(rw, episode, **changes):
    data = {
        "area": NeedArea.GP_REGISTRATION,
        "goal": "Registered with a GP in the first week",
        "action": "Book with the practice near the hostel before release",
    }
    data.update(changes)
    return services.plan_need_add(actor=rw.worker, episode=episode, **data)


def test_a_need_is_added_once_eligible_and_audited(rw):
    episode = eligible(team=rw.team, person=rw.person, actor=rw.worker)
    need = _add(rw, episode)
    assert AuditEvent.objects.filter(
        object_type="reconnect_plan_need", object_id=str(need.public_id)
    ).exists()
    with pytest.raises(AppendOnlyError):
        need.save()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"area": "astrology"}, "Select the area of need from the list"),
        ({"goal": " "}, "Enter the goal for this need"),
        ({"action": ""}, "Enter the action agreed"),
    ],
)
def test_bad_needs_are_refused_and_nothing_is_stored(rw, changes, message):
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError) as exc:
        _add(rw, episode, **changes)
    assert message in str(exc.value)
    assert not SupportPlanNeed.objects.exists()


def test_no_plan_before_eligibility(rw):
    episode = referred(team=rw.team, person=rw.person, actor=rw.worker)
    with pytest.raises(ValidationError, match="once they are found eligible"):
        _add(rw, episode)
    assert not SupportPlanNeed.objects.exists()


def test_a_second_entry_for_the_same_area_is_refused(rw):
    episode = eligible(team=rw.team, person=rw.person, actor=rw.worker)
    _add(rw, episode)
    with pytest.raises(ValidationError, match="already has gp registration"):
        _add(rw, episode, goal="Another")
    assert SupportPlanNeed.objects.count() == 1


def test_the_support_plan_page(client, rw):
    episode = pre_release(team=rw.team, person=rw.person, actor=rw.worker)
    client.force_login(rw.worker, backend=MODEL_BACKEND)
    url = reverse("reconnect:plan_need", kwargs={"public_id": episode.public_id})
    assert "Add the need" in client.get(url).content.decode()
    response = client.post(url, {"area": NeedArea.HOUSING, "goal": "Somewhere to live"})
    assert response.status_code == 200
    assert "Enter action agreed" in response.content.decode()
    assert not SupportPlanNeed.objects.exists()
    response = client.post(
        url, {"area": NeedArea.HOUSING, "goal": "Somewhere to live", "action": "Duty to refer"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Somewhere to live" in page
    assert "Add a need to the support plan" in page
