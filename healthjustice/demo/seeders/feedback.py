"""Demo feedback: themes, synthetic feedback for the custody teams, responses and a few
published "you said, we did" actions. All text is invented."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from healthjustice.demo.ethnicity import STAFFORDSHIRE, EthnicityPicker
from healthjustice.demo.registry import DemoContext, register_demo_reset, register_demo_seeder
from healthjustice.feedback import services
from healthjustice.feedback.models import (
    ActionStatus,
    Experience,
    Feedback,
    ImprovementAction,
    Theme,
    TreatedFairly,
)
from healthjustice.people.choices import AgeGroup
from healthjustice.people.models import EthnicCategory

THEMES = [
    ("Being listened to", "Whether people felt heard and respected"),
    ("Information", "Knowing what happens next and why"),
    ("Waiting", "How long things took"),
    ("Fair treatment", "Treatment whatever someone's ethnicity or background"),
    ("Carers and family", "How carers and families were involved"),
]

SAID = [
    ("Staff explained everything calmly.", "", Experience.VERY_GOOD, TreatedFairly.YES),
    ("", "I waited a long time without being told why.", Experience.POOR, TreatedFairly.PARTLY),
    ("Kind nurse.", "Nobody told my family where I was.", Experience.GOOD, TreatedFairly.YES),
    ("", "I felt judged because of where I come from.", Experience.VERY_POOR, TreatedFairly.NO),
    ("Helped me get to my appointment.", "", Experience.GOOD, TreatedFairly.PREFER_NOT),
]


@register_demo_seeder
def seed_feedback(ctx: DemoContext) -> None:
    themes = {
        name: Theme.objects.get_or_create(name=name, defaults={"description": d, "sort_order": i})[
            0
        ]
        for i, (name, d) in enumerate(THEMES)
    }
    team = ctx.teams["staffs.custody"]
    leader = ctx.users["team_leader.staffs"]
    made: list[Feedback] = []
    for i, (good, better, experience, fair) in enumerate(SAID * 2):
        feedback = services.give_feedback(
            team=team,
            answers={
                "experience": experience,
                "treated_fairly": fair,
                "what_was_good": good,
                "could_be_better": better,
                "relationship": "patient" if i % 3 else "family",
                **_about_them(ctx),
            },
            contact={"name": "", "contact": f"demo{i}@example.com"} if i in (1, 6) else None,
        )
        Feedback.objects.filter(pk=feedback.pk).update(
            received_at=timezone.now() - timedelta(days=3 * i + 1), is_demo=True
        )
        made.append(feedback)
    services.record_response(
        feedback=made[1],
        actor=leader,
        themes=[themes["Waiting"], themes["Information"]],
        response="We are sorry. We now tell people how long they are likely to wait.",
    )
    services.record_response(
        feedback=made[3],
        actor=leader,
        themes=[themes["Fair treatment"]],
        response="Thank you for telling us. The team is taking part in anti-racism training.",
    )
    services.save_action(
        actor=leader,
        team=team,
        theme=themes["Information"],
        you_said="You did not know how long you would wait or what would happen next.",
        we_did="A card for everyone we see: what happens next and how long it usually takes.",
        owner="Team leader, Stoke custody L&D",
        status=ActionStatus.DONE,
        done_on=timezone.localdate() - timedelta(days=10),
        is_published=True,
        feedback=[made[1]],
    )
    closed = services.record_response(
        feedback=made[6],
        actor=leader,
        themes=[themes["Carers and family"]],
        response="Thank you. We now ask everyone who they would like us to tell, and tell them.",
    )
    services.record_reply_sent(feedback=closed, actor=leader)
    services.save_action(
        actor=leader,
        team=team,
        theme=themes["Fair treatment"],
        you_said="Some of you felt judged because of your background.",
        we_did="Every member of the team is taking part in anti-racism training this year.",
        owner="Service manager",
        status=ActionStatus.IN_PROGRESS,
        done_on=None,
        is_published=True,
        feedback=[made[3]],
    )


# For every other team: a piece of feedback in each state, and a draft action to publish.
# (said well, could be better, experience, fairness, reply wanted)
OTHER_TEAMS_SAID = [
    ("", "Nobody explained the letter I was sent.", Experience.POOR, TreatedFairly.PARTLY, True),
    ("The worker rang me back the same day.", "", Experience.VERY_GOOD, TreatedFairly.YES, False),
    ("", "I had to tell my story three times.", Experience.NEITHER, TreatedFairly.NO, True),
    ("They found an interpreter.", "The room was noisy.", Experience.GOOD, TreatedFairly.YES, True),
    ("Respectful and patient.", "", Experience.GOOD, TreatedFairly.PREFER_NOT, False),
]


def _about_them(ctx: DemoContext) -> dict[str, Any]:
    """Optional answers, as people give them: an ethnic group drawn like the area's
    population (or none), and an age group."""
    code = EthnicityPicker(ctx.rng).pick(STAFFORDSHIRE)
    category = EthnicCategory.objects.filter(code_list__is_current=True, code=code).first()
    return {
        "ethnic_category": category if ctx.rng.random() < 0.8 else None,
        "age_group": ctx.rng.choice(AgeGroup.values),
    }


def _responder(ctx: DemoContext, key: str):
    """The demo account leading the team: its team leader, or the region's service manager."""
    region = key.split(".")[0]
    role = "team_leader" if key.endswith(".custody") else "service_manager"
    return ctx.users[f"{role}.{region}"]


@register_demo_seeder
def seed_feedback_for_every_team(ctx: DemoContext) -> None:
    """So that each team's feedback pages show new, responded and closed feedback."""
    themes = {t.name: t for t in Theme.objects.all()}
    for key, team in sorted(ctx.teams.items()):
        if key == "staffs.custody":
            continue  # seeded above, with its published actions
        actor = _responder(ctx, key)
        made: list[Feedback] = []
        for i, (good, better, experience, fair, reply) in enumerate(OTHER_TEAMS_SAID):
            feedback = services.give_feedback(
                team=team,
                answers={
                    "experience": experience,
                    "treated_fairly": fair,
                    "what_was_good": good,
                    "could_be_better": better,
                    "relationship": ("patient", "carer", "family")[i % 3],
                    **_about_them(ctx),
                },
                contact={"name": "", "contact": f"demo.{key}.{i}@example.com"} if reply else None,
            )
            Feedback.objects.filter(pk=feedback.pk).update(
                received_at=timezone.now() - timedelta(days=4 * i + 2, hours=i), is_demo=True
            )
            made.append(feedback)
        # 0 and 1 stay new; 2 is responded with its reply to send; 3 and 4 are closed.
        services.record_response(
            feedback=made[2],
            actor=actor,
            themes=[themes["Information"], themes["Being listened to"]],
            response="We are sorry. We now share what you have told us with the next worker.",
        )
        services.record_response(
            feedback=made[3],
            actor=actor,
            themes=[themes["Being listened to"]],
            response="Thank you. We have booked a quieter room for appointments.",
        )
        services.record_reply_sent(feedback=made[3], actor=actor)
        services.record_response(
            feedback=made[4],
            actor=actor,
            themes=[themes["Fair treatment"]],
            response="Thank you for telling us what went well.",
        )
        services.save_action(
            actor=actor,
            team=team,
            theme=themes["Information"],
            you_said="You were not always sure what our letters meant.",
            we_did="We are rewriting our letters in plain English with people who use the team.",
            owner=f"Team leader, {team.name}",
            status=ActionStatus.PLANNED,
            done_on=None,
            is_published=False,
            feedback=[made[0], made[2]],
        )


@register_demo_reset
def reset_feedback_demo() -> None:
    """Remove the demo's actions and its feedback, answered or not."""
    ImprovementAction.objects.filter(created_by__is_demo=True).delete()
    Feedback.objects.filter(Q(is_demo=True) | Q(responded_by__is_demo=True)).delete()
