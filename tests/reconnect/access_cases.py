from django.utils import timezone

from healthjustice.reconnect import services
from tests.access.matrix import CARE_TEAM, LEADERS, Case, allow
from tests.factories import PersonFactory
from tests.interventions.factories import make_episode
from tests.reconnect.factories import (
    CARE_ROLES,
    eligible,
    handed_over_to,
    post_release,
    pre_release,
    prison,
    reconnect_team,
    referred,
    released,
)


def _team(world):
    """The region's RECONNECT team; the world's care team work in it as well."""
    return world.get(
        "reconnect_team",
        lambda w: reconnect_team(
            like=w.team, users=[(w.users[r], role) for r, role in CARE_ROLES.items()]
        ),
    )


def _site(world):
    return world.get("reconnect_prison", lambda w: prison(_team(w)))


def _ld_episode(world):
    _site(world)
    return world.get("reconnect_ld_episode", lambda w: make_episode(team=w.team, person=w.person))


def _referred(world):
    return world.get(
        "reconnect_referred",
        lambda w: referred(
            team=_team(w), person=w.person, actor=w.users["practitioner"], site=_site(w)
        ),
    )


def _eligible(world):
    # Someone else: one world may hold every case at once, and one person has one open episode.
    return world.get(
        "reconnect_eligible",
        lambda w: eligible(
            team=_team(w),
            person=PersonFactory(team=w.team),
            actor=w.users["practitioner"],
            site=_site(w),
        ),
    )


def _pre_release(world):
    return world.get(
        "reconnect_pre_release",
        lambda w: pre_release(
            team=_team(w),
            person=PersonFactory(team=w.team),
            actor=w.users["practitioner"],
            site=_site(w),
        ),
    )


def _pre_release_id(world):
    return {"public_id": _pre_release(world).public_id}


def _released(world):
    return world.get(
        "reconnect_released",
        lambda w: released(
            team=_team(w),
            person=PersonFactory(team=w.team),
            actor=w.users["practitioner"],
            site=_site(w),
        ),
    )


def _released_id(world):
    return {"public_id": _released(world).public_id}


def _post_release(world):
    return world.get(
        "reconnect_post_release",
        lambda w: post_release(
            team=_team(w),
            person=PersonFactory(team=w.team),
            actor=w.users["practitioner"],
            site=_site(w),
        ),
    )


def _post_release_id(world):
    return {"public_id": _post_release(world).public_id}


def _handover_id(world):
    handover = world.get(
        "reconnect_handover",
        lambda w: handed_over_to(_post_release(w), w.users["practitioner"]),
    )
    return {"public_id": handover.public_id}


def _appointment_id(world):
    def make(w):
        return services.appointment_book(
            actor=w.users["practitioner"],
            episode=_released(w),
            kind="gp",
            appointment_on=timezone.localdate(),
        )

    return {"public_id": world.get("reconnect_appointment", make).public_id}


def _plan_need_id(world):
    def make(w):
        return services.plan_need_add(
            actor=w.users["practitioner"],
            episode=_pre_release(w),
            area="gp",
            goal="Registered with a GP near home",
            action="Book a registration appointment",
        )

    return {"public_id": world.get("reconnect_plan_need", make).public_id}


def _person(world):
    _site(world)
    return {"person_id": world.person.public_id}


def _ld(world):
    return {"public_id": _ld_episode(world).public_id}


def _referred_id(world):
    return {"public_id": _referred(world).public_id}


def _eligible_id(world):
    return {"public_id": _eligible(world).public_id}


def _referral_data(world):
    release = timezone.localdate() + timezone.timedelta(days=30)
    return {
        "health_need": "No GP; methadone script on release",
        "establishment": str(_site(world).public_id),
        "expected_release_on_0": str(release.day),
        "expected_release_on_1": str(release.month),
        "expected_release_on_2": str(release.year),
    }


def _team_id(world):
    return {"public_id": _team(world).public_id}


def _settings_form(world):
    return {"version": "0", "contact_days": "5"}


# Another team of the trust may not know the person or episode exists: 404, not 403.
CARE_ONLY = allow(CARE_TEAM, practitioner_other_team=404)

CASES = [
    Case("reconnect:refer", CARE_ONLY, kwargs=_person),
    Case("reconnect:refer_from_ld", CARE_ONLY, kwargs=_ld),
    Case(
        "reconnect:refer_from_ld",
        allow(CARE_TEAM, 302, practitioner_other_team=404),
        kwargs=_ld,
        method="POST",
        data=_referral_data,
    ),
    Case("reconnect:eligibility", CARE_ONLY, kwargs=_referred_id),
    Case("reconnect:release_details", CARE_ONLY, kwargs=_referred_id),
    Case("reconnect:pre_release", CARE_ONLY, kwargs=_eligible_id),
    Case("reconnect:release", CARE_ONLY, kwargs=_eligible_id),
    Case("reconnect:contact", CARE_ONLY, kwargs=_pre_release_id),
    Case("reconnect:plan_need", CARE_ONLY, kwargs=_pre_release_id),
    Case("reconnect:gate_meet", CARE_ONLY, kwargs=_released_id),
    Case("reconnect:post_release", CARE_ONLY, kwargs=_released_id),
    Case("reconnect:extension", CARE_ONLY, kwargs=_post_release_id),
    Case("reconnect:recall", CARE_ONLY, kwargs=_post_release_id),
    Case("reconnect:handover", CARE_ONLY, kwargs=_post_release_id),
    Case("reconnect:engagement", CARE_ONLY, kwargs=_handover_id),
    Case("reconnect:handed_over", CARE_ONLY, kwargs=_post_release_id),
    Case("reconnect:gate_plan", CARE_ONLY, kwargs=_pre_release_id),
    Case("reconnect:appointment", CARE_ONLY, kwargs=_pre_release_id),
    Case("reconnect:attendance", CARE_ONLY, kwargs=_appointment_id),
    Case("reconnect:support_worker", CARE_ONLY, kwargs=_pre_release_id),
    Case("reconnect:team_settings", allow(LEADERS), kwargs=None),
    Case("reconnect:team_settings_edit", allow(LEADERS), kwargs=_team_id),
    Case(
        "reconnect:team_settings_edit",
        allow(LEADERS, 302),
        kwargs=_team_id,
        method="POST",
        data=_settings_form,
    ),
    Case("reconnect:plan_need_update", CARE_ONLY, kwargs=_plan_need_id),
    Case("reconnect:appointment_change", CARE_ONLY, kwargs=_appointment_id),
]
