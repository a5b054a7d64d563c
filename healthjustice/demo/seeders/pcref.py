"""Demo PCREF plan and involvement register for the Staffordshire trust: two or three actions
under each competency with varied statuses, and about fifteen people and organisations taking
part. Names of people are synthetic (Faker en_GB); the community and faith organisations are
invented, and the text says so."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from healthjustice.demo.registry import DemoContext, register_demo_reset, register_demo_seeder
from healthjustice.pcref import services
from healthjustice.pcref.models import (
    ActionStatus,
    BoardReport,
    Competency,
    Involvement,
    InvolvementKind,
    PlanAction,
    Recognition,
)
from healthjustice.pcref.quarters import last_complete
from healthjustice.people.models import EthnicCategory

S = ActionStatus
# (competency, action, owner, days from today it is due, status, evidence)
PLAN: list[tuple[str, str, str, int, str, str]] = [
    (
        Competency.CULTURAL_AWARENESS,
        "Ask every person we see how they describe their ethnicity, faith and language, and "
        "record it in their own words.",
        "Head of liaison and diversion",
        -60,
        S.DONE,
        "Nine in ten records now have ethnicity recorded, up from six in ten.",
    ),
    (
        Competency.CULTURAL_AWARENESS,
        "Offer an interpreter at every custody assessment where English is not someone's first "
        "language.",
        "Custody team leader",
        90,
        S.IN_PROGRESS,
        "Telephone interpreting is in place in two of three suites.",
    ),
    (
        Competency.STAFF_KNOWLEDGE,
        "Train all liaison and diversion staff in culturally informed assessment, co-delivered "
        "by people with lived experience.",
        "Practice development lead",
        120,
        S.IN_PROGRESS,
        "Two of five training days delivered.",
    ),
    (
        Competency.STAFF_KNOWLEDGE,
        "Share the race equity figures with every team each quarter and talk through them.",
        "Equality lead",
        30,
        S.NOT_STARTED,
        "",
    ),
    (
        Competency.PARTNERSHIP,
        "Agree a referral route with local community and faith organisations for people leaving "
        "custody.",
        "Service manager",
        -20,
        S.DELAYED,
        "Waiting for the information-sharing agreement to be signed.",
    ),
    (
        Competency.PARTNERSHIP,
        "Meet the police and probation each quarter to review who is diverted, by ethnic group.",
        "Head of liaison and diversion",
        150,
        S.IN_PROGRESS,
        "First meeting held in October.",
    ),
    (
        Competency.WORKFORCE,
        "Set up reverse mentoring between board members and staff from Black and minority "
        "ethnic backgrounds.",
        "Chief people officer",
        200,
        S.NOT_STARTED,
        "",
    ),
    (
        Competency.WORKFORCE,
        "Publish the ethnic make-up of the service's staff beside that of the people it serves.",
        "Workforce information manager",
        -10,
        S.DONE,
        "Published in the annual equality report.",
    ),
    (
        Competency.CO_LEARNING,
        "Hold a learning review with patients and carers whenever the figures show a gap.",
        "Equality lead",
        60,
        S.IN_PROGRESS,
        "One review held on waiting times for follow-up.",
    ),
    (
        Competency.CO_LEARNING,
        "Ask people with lived experience to check the patient information leaflets.",
        "Patient experience lead",
        -30,
        S.DONE,
        "Four leaflets rewritten after review.",
    ),
    (
        Competency.CO_PRODUCTION,
        "Pay people with lived experience for their time at the same rate across the trust.",
        "Head of involvement",
        45,
        S.IN_PROGRESS,
        "Payment policy drafted with the lived experience panel.",
    ),
    (
        Competency.CO_PRODUCTION,
        "Co-chair the PCREF steering group with a carer or person with lived experience.",
        "Director of nursing",
        100,
        S.NOT_STARTED,
        "",
    ),
    (
        Competency.LEADERSHIP,
        "Report progress on this plan to the board twice a year.",
        "Director of nursing",
        75,
        S.IN_PROGRESS,
        "First report received by the board in September.",
    ),
    (
        Competency.LEADERSHIP,
        "Name an executive lead for the Patient and Carer Race Equality Framework.",
        "Chief executive",
        -90,
        S.DONE,
        "The Director of nursing is the named lead.",
    ),
]

# Invented organisations: any likeness to a real one is chance.
ORGANISATIONS = [
    (InvolvementKind.COMMUNITY, "Hanley Riverside Community Forum (fictional)"),
    (InvolvementKind.COMMUNITY, "Potteries Black Families Network (fictional)"),
    (InvolvementKind.FAITH, "Northwood Lane Mosque Welfare Group (fictional)"),
    (InvolvementKind.FAITH, "Fenton Gurdwara Seva Circle (fictional)"),
]
PERSON_KINDS = [InvolvementKind.LIVED_EXPERIENCE, InvolvementKind.CARER, InvolvementKind.FAMILY]
ACTIVITIES = [
    ("Lived experience panel", "Panel member"),
    ("Reviewing the custody leaflet", "Reviewer"),
    ("Interviewing for a support worker post", "Interview panel member"),
    ("PCREF steering group", "Co-chair"),
    ("Training day on culturally informed assessment", "Co-trainer"),
]
CODES = ["A", "A", "C", "M", "N", "H", "J", "K", "D", "S", "A"]

# The equality lead's words for the last complete quarter's board report (invented).
NARRATIVE = {
    "summary": (
        "Liaison and diversion saw more people this quarter. Black people continue to be seen "
        "in custody at a higher rate per head than White British people; the difference is "
        "statistically clear and is the focus of the partnership actions below.\n"
        "Recording of ethnicity has improved, but too many records still say 'not known'."
    ),
    "heard": (
        "People told us that waits in custody felt long and that they were not always offered "
        "an interpreter. Carers asked for information in languages other than English."
    ),
    "changed": (
        "Telephone interpreting is now in place in two of three custody suites, and four "
        "leaflets have been rewritten with people with lived experience."
    ),
}


@register_demo_seeder
def seed_pcref(ctx: DemoContext) -> None:
    organisation = ctx.teams["staffs.custody"].organisation
    lead = ctx.users["equality_lead.staffs"]
    today = timezone.localdate()
    for competency, text, owner, days, status, evidence in PLAN:
        action = services.save_action(
            actor=lead,
            organisation=organisation,
            competency=competency,
            action_text=text,
            owner=owner,
            due_on=today + timedelta(days=days),
            status=status,
            evidence=evidence,
        )
        if status == S.DONE:
            # Done on the day it was due, so the board report has actions done in past quarters.
            action.completed_at = timezone.make_aware(datetime.combine(action.due_on, time(12)))
            action.save(update_fields=["completed_at"])
    categories = {
        c.code: c for c in EthnicCategory.objects.filter(code_list__is_current=True, code__in=CODES)
    }
    for i in range(11):
        activity, role = ACTIVITIES[i % len(ACTIVITIES)]
        kind = PERSON_KINDS[i % len(PERSON_KINDS)]
        recognition = [Recognition.VOUCHER, Recognition.PAYMENT, Recognition.EXPENSES][i % 3]
        consent = i % 2 == 0
        services.save_involvement(
            actor=lead,
            organisation=organisation,
            answers={
                "kind": kind,
                "name": ctx.faker.name(),
                "activity": activity,
                "took_part_on": today - timedelta(days=ctx.rng.randint(5, 300)),
                "role": role,
                "recognition": recognition,
                "amount": Decimal(ctx.rng.choice([20, 25, 50, 75])),
                "consent_to_contact": consent,
                "contact": f"involve{i}@example.com" if consent else "",
                # Two people chose not to say.
                "ethnic_category": categories.get(CODES[i]) if i not in (3, 8) else None,
            },
        )
    for i, (kind, name) in enumerate(ORGANISATIONS):
        services.save_involvement(
            actor=lead,
            organisation=organisation,
            answers={
                "kind": kind,
                "name": name,
                "activity": "Community listening event on custody and mental health",
                "took_part_on": today - timedelta(days=40 + 30 * i),
                "role": "Co-host",
                "recognition": Recognition.EXPENSES if i % 2 else Recognition.NONE,
                "amount": Decimal(40) if i % 2 else None,
                "consent_to_contact": True,
                "contact": f"0161 496 00{10 + i}",
            },
        )
    services.save_board_report(
        actor=lead,
        organisation=organisation,
        quarter=last_complete(today),
        answers=NARRATIVE,
        expected_version=0,
    )
    ctx.log(
        f"PCREF: {len(PLAN)} plan actions, {11 + len(ORGANISATIONS)} involvement records and "
        "the last quarter's board report."
    )


@register_demo_reset
def reset_pcref_demo() -> None:
    """Remove the plan, register and board reports the demo's accounts wrote: they hold the
    accounts."""
    BoardReport.objects.filter(Q(created_by__is_demo=True) | Q(updated_by__is_demo=True)).delete()
    PlanAction.objects.filter(created_by__is_demo=True).delete()
    Involvement.objects.filter(created_by__is_demo=True).delete()
