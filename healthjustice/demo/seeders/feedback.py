"""Demo feedback: themes, synthetic feedback for the custody teams, responses and a few
published "you said, we did" actions. All text is invented."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

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
            },
            contact={"name": "", "contact": f"demo{i}@example.com"} if i == 1 else None,
        )
        Feedback.objects.filter(pk=feedback.pk).update(
            received_at=timezone.now() - timedelta(days=3 * i + 1)
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


@register_demo_reset
def reset_feedback_demo() -> None:
    """Remove the demo's actions and the feedback its accounts responded to."""
    ImprovementAction.objects.filter(created_by__is_demo=True).delete()
    Feedback.objects.filter(responded_by__is_demo=True).delete()
