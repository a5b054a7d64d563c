from django.utils import timezone

from healthjustice.mhtr.choices import SessionOutcome
from healthjustice.mhtr.services import session_outcome_record
from tests.access.matrix import CARE_TEAM, LEADERS, Case, allow
from tests.interventions.factories import make_episode
from tests.mhtr.factories import CARE_ROLES, mhtr_team, ordered_episode, session, suitable_episode


def _team(world):
    """The region's MHTR team; the world's care team work in it as well."""
    return world.get(
        "mhtr_team",
        lambda w: mhtr_team(
            like=w.team, users=[(w.users[r], role) for r, role in CARE_ROLES.items()]
        ),
    )


def _ld_episode(world):
    _team(world)
    return world.get("mhtr_ld_episode", lambda w: make_episode(team=w.team, person=w.person))


def _suitable(world):
    return world.get(
        "mhtr_suitable",
        lambda w: suitable_episode(team=_team(w), person=w.person, actor=w.users["practitioner"]),
    )


def _ordered(world):
    return world.get(
        "mhtr_ordered",
        lambda w: ordered_episode(team=_team(w), person=w.person, actor=w.users["practitioner"]),
    )


def _missed(world):
    def build(w):
        missed = session(_ordered(w), w.users["practitioner"])
        session_outcome_record(
            actor=w.users["practitioner"],
            session=missed,
            expected_version=1,
            outcome=SessionOutcome.DID_NOT_ATTEND,
        )
        missed.refresh_from_db()
        return missed

    return world.get("mhtr_missed", build)


def _ld(world):
    return {"public_id": _ld_episode(world).public_id}


def _suitable_id(world):
    return {"public_id": _suitable(world).public_id}


def _ordered_id(world):
    return {"public_id": _ordered(world).public_id}


def _session_id(world):
    return {"public_id": _missed(world).public_id}


def _notice_id(world):
    return {"public_id": _missed(world).notice.public_id}


# Another team of the trust may not know the episode exists: 404, not 403.
CARE_ONLY = allow(CARE_TEAM, practitioner_other_team=404)

CASES = [
    Case("mhtr:refer", CARE_ONLY, kwargs=_ld),
    Case(
        "mhtr:refer",
        allow(CARE_TEAM, 302, practitioner_other_team=404),
        kwargs=_ld,
        method="POST",
        data=lambda w: {"reason": "Low mood and anxiety; likely community order"},
    ),
    Case("mhtr:suitability", CARE_ONLY, kwargs=_suitable_id),
    Case("mhtr:order", CARE_ONLY, kwargs=_suitable_id),
    Case("mhtr:no_order", CARE_ONLY, kwargs=_suitable_id),
    Case("mhtr:session_create", CARE_ONLY, kwargs=_ordered_id),
    Case("mhtr:session_outcome", CARE_ONLY, kwargs=_session_id),
    Case("mhtr:notice_send", CARE_ONLY, kwargs=_notice_id),
    Case("mhtr:probation_response", CARE_ONLY, kwargs=_notice_id),
]


# --- the pre-sentence report's due date and the MHTR reports -----------------------------------


def _ended(world):
    def build(w):
        from healthjustice.interventions.services import closure_record

        episode = ordered_episode(team=_team(w), person=w.person, actor=w.users["practitioner"])
        closure_record(
            actor=w.users["practitioner"],
            episode=episode,
            closure_reason="order_revoked",
            summary="The court revoked the order.",
        )
        return episode

    return world.get("mhtr_ended", build)


def _psr_view(world):
    return {"episode_id": _suitable(world).public_id, "report_type": "mhtr_suitability"}


def _end_letter(world):
    return {"episode_id": _ended(world).public_id, "report_type": "mhtr_end_letter"}


def _psr_due_data(world):
    import datetime

    from django.utils import timezone

    due = timezone.localdate() + datetime.timedelta(days=2)
    return {"due_on_0": str(due.day), "due_on_1": str(due.month), "due_on_2": str(due.year)}


CASES += [
    Case("mhtr:psr_due", CARE_ONLY, kwargs=_suitable_id),
    Case(
        "mhtr:psr_due",
        allow(CARE_TEAM, 302, practitioner_other_team=404),
        kwargs=_suitable_id,
        method="POST",
        data=_psr_due_data,
    ),
    Case("assessments:report_write", CARE_ONLY, kwargs=_psr_view, id_suffix="-mhtr-psr-view"),
    Case("assessments:report_write", CARE_ONLY, kwargs=_end_letter, id_suffix="-mhtr-end-letter"),
]


# --- measures ---------------------------------------------------------------------------------


def _attended(world):
    def build(w):
        went = session(_ordered(w), w.users["practitioner"], days_ago=3)
        session_outcome_record(
            actor=w.users["practitioner"],
            session=went,
            expected_version=1,
            outcome=SessionOutcome.ATTENDED,
        )
        went.refresh_from_db()
        return went

    return world.get("mhtr_attended", build)


def _attended_id(world):
    return {"public_id": _attended(world).public_id}


def _phq9_answers(world):
    return {f"phq9_item_{n}": "1" for n in range(1, 10)}


CASES += [
    Case("mhtr:measures", CARE_ONLY, kwargs=_ordered_id),
    Case("mhtr:measures_assessment", CARE_ONLY, kwargs=_suitable_id),
    Case("mhtr:measures_session", CARE_ONLY, kwargs=_attended_id),
    Case("mhtr:measures_end", CARE_ONLY, kwargs=_ordered_id),
    Case(
        "mhtr:measures_session",
        allow(CARE_TEAM, 302, practitioner_other_team=404),
        kwargs=_attended_id,
        method="POST",
        data=_phq9_answers,
    ),
]


# --- referrals from outside the service, and the teams' settings ------------------------------


def _person_in_reach(world):
    """The world's person, with the care team also working in the region's MHTR team."""
    _team(world)
    return {"person_id": world.person.public_id}


def _team_id(world):
    return {"public_id": _team(world).public_id}


def _outside_referral(world):
    today = timezone.localdate()
    return {
        "team": str(_team(world).public_id),
        "route": "probation",
        "referrer_name": "Gemma Whitfield",
        "referrer_organisation": "Stoke-on-Trent PDU",
        "referrer_contact": "01782 000000",
        "received_on_0": str(today.day),
        "received_on_1": str(today.month),
        "received_on_2": str(today.year),
        "reason": "Low mood; a community order is likely",
    }


def _settings_form(world):
    return {
        "version": "0",
        "planned_sessions": "10",
        "notice_working_days": "2",
        "first_appointment_working_days": "7",
    }


CASES += [
    Case("mhtr:refer_person", CARE_ONLY, kwargs=_person_in_reach),
    Case(
        "mhtr:refer_person",
        allow(CARE_TEAM, 302, practitioner_other_team=404),
        kwargs=_person_in_reach,
        method="POST",
        data=_outside_referral,
    ),
    Case("mhtr:team_settings", allow(LEADERS), kwargs=None),
    Case("mhtr:team_settings_edit", allow(LEADERS), kwargs=_team_id),
    Case(
        "mhtr:team_settings_edit",
        allow(LEADERS, 302),
        kwargs=_team_id,
        method="POST",
        data=_settings_form,
    ),
]
