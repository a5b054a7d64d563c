from django.utils import timezone

from healthjustice.journeys.choices import Stage
from healthjustice.screening.services import instrument_administer
from tests.access.matrix import CARE_TEAM, Case, allow
from tests.screening.factories import make_episode

NOT_OTHER_TEAM = {"practitioner_other_team": 404}


def episode(world, stage: str = Stage.IDENTIFIED):
    return world.get(
        f"screening_episode_{stage}",
        lambda w: make_episode(
            team=w.team, person=w.person, actor=w.users["practitioner"], stage=stage
        ),
    )


def administration(world):
    """A PHQ-9 with item 9 answered, so it carries a risk alert."""
    return world.get(
        "phq9_with_risk",
        lambda w: instrument_administer(
            actor=w.users["practitioner"],
            episode=episode(w),
            instrument_code="phq9",
            answers=[0] * 8 + [1],
        ),
    )


def _episode_kwargs(world):
    return {"episode_id": episode(world).public_id}


def _phq9_kwargs(world):
    return {"episode_id": episode(world).public_id, "code": "phq9"}


def _administration_kwargs(world):
    return {"public_id": administration(world).public_id}


def _alert_kwargs(world):
    return {"public_id": administration(world).alerts.get().public_id}


def _screening_data(world):
    return {
        "vulnerabilities": ["mental_health", "housing"],
        "risk_level": "medium",
        "urgency": "soon",
        "full_assessment_needed": "yes",
    }


def _phq9_data(world):
    return {f"item_{n}": "1" for n in range(1, 10)}


def _ldsq_data(world):
    today = timezone.localdate()
    return {
        "tool_code": "ldsq",
        "value": "40.5",
        "administered_on_0": str(today.day),
        "administered_on_1": str(today.month),
        "administered_on_2": str(today.year),
    }


VIEW = allow(CARE_TEAM, **NOT_OTHER_TEAM)
WRITE = allow(CARE_TEAM, 302, **NOT_OTHER_TEAM)

CASES = [
    Case("screening:episode", VIEW, kwargs=_episode_kwargs),
    Case("screening:record", VIEW, kwargs=_episode_kwargs),
    Case("screening:record", WRITE, kwargs=_episode_kwargs, method="POST", data=_screening_data),
    Case("screening:instrument_choose", VIEW, kwargs=_episode_kwargs),
    Case(
        "screening:instrument_choose",
        WRITE,
        kwargs=_episode_kwargs,
        method="POST",
        data=lambda w: {"instrument": "core10"},
    ),
    Case("screening:instrument_administer", VIEW, kwargs=_phq9_kwargs),
    Case(
        "screening:instrument_administer",
        WRITE,
        kwargs=_phq9_kwargs,
        method="POST",
        data=_phq9_data,
    ),
    Case("screening:instrument_history", VIEW, kwargs=_phq9_kwargs),
    Case("screening:external_record", VIEW, kwargs=_episode_kwargs),
    Case(
        "screening:external_record",
        WRITE,
        kwargs=_episode_kwargs,
        method="POST",
        data=_ldsq_data,
    ),
    Case("screening:alert_raise", VIEW, kwargs=_episode_kwargs),
    Case(
        "screening:alert_raise",
        WRITE,
        kwargs=_episode_kwargs,
        method="POST",
        data=lambda w: {"concern": "Said they would harm themselves if remanded"},
    ),
    Case("screening:administration", VIEW, kwargs=_administration_kwargs),
    Case("screening:alert_acknowledge", VIEW, kwargs=_alert_kwargs),
    Case(
        "screening:alert_acknowledge",
        WRITE,
        kwargs=_alert_kwargs,
        method="POST",
        data=lambda w: {"note": "Custody nurse told; on constant observation"},
    ),
]
