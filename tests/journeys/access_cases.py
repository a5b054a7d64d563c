from django.utils import timezone

from tests.access.matrix import CARE_TEAM, CLINICAL, LEADERS, Case, allow
from tests.journeys.factories import make_episode


def _person(world):
    return {"person_id": world.person.public_id}


def _episode(world):
    return world.get("episode", lambda w: make_episode(w.team, person=w.person))


def _episode_id(world):
    return {"public_id": _episode(world).public_id}


def _open_data(world):
    today = timezone.localdate()
    return {
        "team": str(world.team.public_id),
        "setting": "police_custody",
        "referral_source": "custody_sergeant",
        "referred_date_0": str(today.day),
        "referred_date_1": str(today.month),
        "referred_date_2": str(today.year),
        "referred_time": "00:01",
        "reason": "Told the custody sergeant they hear voices",
    }


CASES = [
    Case("worklist:home", allow(CLINICAL)),
    Case("journeys:open", allow(CARE_TEAM, practitioner_other_team=404), kwargs=_person),
    Case(
        "journeys:open",
        allow(CARE_TEAM, 302, practitioner_other_team=404),
        kwargs=_person,
        method="POST",
        data=_open_data,
    ),
    Case("journeys:detail", allow(CARE_TEAM, practitioner_other_team=404), kwargs=_episode_id),
    Case(
        "journeys:move",
        allow(CARE_TEAM, 302, practitioner_other_team=404),
        kwargs=_episode_id,
        method="POST",
        data=lambda w: {"to_stage": "screened", "note": "Screened by the street triage team"},
    ),
    Case("journeys:cj_context", allow(CARE_TEAM, practitioner_other_team=404), kwargs=_episode_id),
    Case(
        "journeys:cj_context",
        allow(CARE_TEAM, 302, practitioner_other_team=404),
        kwargs=_episode_id,
        method="POST",
        data=lambda w: {"offence_category": "theft", "charge_status": "charged"},
    ),
    Case(
        "journeys:custody_clock",
        allow(CARE_TEAM, practitioner_other_team=404),
        kwargs=_episode_id,
    ),
    Case(
        "journeys:reopen",
        allow(LEADERS),
        kwargs=_episode_id,
        method="POST",
        data=lambda w: {"reason": "Closed by mistake"},
    ),
    Case(
        "journeys:custody_clock",
        allow(CARE_TEAM, practitioner_other_team=404),
        kwargs=_episode_id,
        method="POST",
        data=lambda w: {"kind": "left"},
    ),
    Case(
        "journeys:take",
        allow(CARE_TEAM, 302, practitioner_other_team=404),
        kwargs=_episode_id,
        method="POST",
        data=lambda w: {"version": _episode(w).version},
    ),
    Case(
        "journeys:assign",
        allow(LEADERS, 302),
        kwargs=_episode_id,
        method="POST",
        data=lambda w: {
            "version": _episode(w).version,
            "worker": str(w.users["practitioner"].public_id),
        },
    ),
]
