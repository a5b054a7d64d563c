"""Who may reach each feedback page. The public pages: anyone. The staff pages: the leaders of
the team the feedback is about (feedback.view and feedback.respond); practitioners, equality
leads (free text can identify people), auditors, administrators and carers are refused."""

from __future__ import annotations

from healthjustice.feedback import services
from healthjustice.feedback.models import ActionStatus, Feedback, ImprovementAction, Theme
from tests.access.matrix import LEADERS, ROLES, Case, allow


def _feedback(world) -> Feedback:
    """Feedback about the world's team, responded to, with a reply still to send."""

    def build(w) -> Feedback:
        feedback = services.give_feedback(
            team=w.team,
            answers={"experience": "poor", "treated_fairly": "partly", "could_be_better": "Wait"},
            contact={"name": "", "contact": "07700 900123"},
        )
        return services.record_response(
            feedback=feedback,
            actor=w.users["team_leader"],
            themes=[_theme(w)],
            response="We are sorry you waited.",
        )

    return world.get("feedback", build)


def _theme(world) -> Theme:
    return world.get("theme", lambda w: Theme.objects.create(name="Waiting"))


def _action(world) -> ImprovementAction:
    def build(w) -> ImprovementAction:
        return services.save_action(
            actor=w.users["team_leader"],
            team=w.team,
            theme=_theme(w),
            you_said="You waited without knowing why.",
            we_did="We now say how long the wait is likely to be.",
            owner="Team leader",
            status=ActionStatus.PLANNED,
            done_on=None,
            is_published=False,
            feedback=[_feedback(w)],
        )

    return world.get("action", build)


def _item(world) -> dict:
    return {"public_id": _feedback(world).public_id}


def _action_id(world) -> dict:
    return {"public_id": _action(world).public_id}


def _response(world) -> dict:
    feedback = _feedback(world)
    return {"themes": [_theme(world).pk], "response": "Thank you.", "version": feedback.version}


def _new_action(world) -> dict:
    return {
        "team": str(world.team.public_id),
        "theme": _theme(world).pk,
        "you_said": "Tell us more about what happens next.",
        "we_did": "A card about what happens next.",
        "owner": "Team leader",
        "status": ActionStatus.PLANNED,
    }


def _edit_action(world) -> dict:
    return {**_new_action(world), "version": _action(world).version}


def _publish(world) -> dict:
    return {"publish": "yes", "version": _action(world).version}


LEADERS_ONLY = allow(LEADERS)

CASES = [
    # The public pages: anyone, signed in or not, carers included.
    Case("feedback:give", allow(ROLES)),
    Case("feedback:thanks", allow(ROLES)),
    Case("feedback:you_said_we_did", allow(ROLES)),
    # The staff pages.
    Case("feedback:staff_list", LEADERS_ONLY),
    Case("feedback:staff_item", LEADERS_ONLY, kwargs=_item),
    Case(
        "feedback:staff_respond",
        allow(LEADERS, 302),
        kwargs=_item,
        method="POST",
        data=_response,
    ),
    Case("feedback:staff_reply_sent", LEADERS_ONLY, kwargs=_item),
    Case(
        "feedback:staff_reply_sent",
        allow(LEADERS, 302),
        kwargs=_item,
        method="POST",
        data=lambda w: {"confirm": "on", "version": _feedback(w).version},
    ),
    Case("feedback:staff_leaflet", LEADERS_ONLY, kwargs=lambda w: {"team_id": w.team.public_id}),
    Case("feedback:staff_actions", LEADERS_ONLY),
    Case("feedback:staff_action_new", LEADERS_ONLY),
    Case(
        "feedback:staff_action_new",
        LEADERS_ONLY,
        id_suffix="-from-feedback",
        kwargs=None,
        data=lambda w: {"feedback": str(_feedback(w).public_id)},
    ),
    Case(
        "feedback:staff_action_new",
        allow(LEADERS, 302),
        method="POST",
        data=_new_action,
    ),
    Case("feedback:staff_action", LEADERS_ONLY, kwargs=_action_id),
    Case(
        "feedback:staff_action",
        allow(LEADERS, 302),
        kwargs=_action_id,
        method="POST",
        data=_edit_action,
    ),
    Case(
        "feedback:staff_action_publish",
        allow(LEADERS, 302),
        kwargs=_action_id,
        method="POST",
        data=_publish,
    ),
]
