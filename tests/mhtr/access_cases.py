from healthjustice.mhtr.choices import SessionOutcome
from healthjustice.mhtr.services import session_outcome_record
from tests.access.matrix import CARE_TEAM, Case, allow
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
