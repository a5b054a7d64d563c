"""Demo data for carers: a low secure ward in Stafford, its patients, their carers and the portal.

Called by `seed_demo` through the demo registry. Everything is synthetic. Writes go through the
carers' services (so the audit trail is real), then dates are moved back so it looks lived-in.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.carers import services
from healthjustice.carers.choices import (
    AssessmentOutcome,
    Capacity,
    ContactDirection,
    ContactMethod,
    ContactMode,
    ContactTime,
    LawfulBasis,
    MeetingKind,
    OtherSupport,
    Relationship,
    SecureLevel,
    ShareCategory,
)
from healthjustice.carers.models import (
    Carer,
    CarerContact,
    CarerInformationPage,
    CarerMessage,
    CarerMessageReply,
    SecureServiceStay,
    SharedItem,
    SharingAgreement,
)
from healthjustice.demo.ethnicity import STAFFORDSHIRE, EthnicityPicker
from healthjustice.demo.identifiers import demo_nhs_numbers
from healthjustice.demo.registry import DemoContext, register_demo_reset, register_demo_seeder
from healthjustice.organisations.models import Membership, Team
from healthjustice.organisations.roles import Role
from healthjustice.people.choices import AgeGroup, Disability, Religion, Sex
from healthjustice.people.models import EthnicCategory, Person, RecordRestriction
from healthjustice.people.services import person_register

TEAM_KEY = "staffs.carers"
MANAGER_KEY = "service_manager.staffs"
HOSPITAL = "Stafford low secure unit"
CARER_ACCOUNTS = ("carer.staffs", "carer2.staffs")


@dataclass(frozen=True)
class WardStaff:
    username: str
    role: Role
    job_title: str


WARD_STAFF = (
    WardStaff("keyworker.staffs", Role.PRACTITIONER, "Key worker (nurse), Cedar Ward"),
    WardStaff("wardmanager.staffs", Role.TEAM_LEADER, "Ward manager, Cedar Ward"),
)


def _ago(days: int, hour: int = 11) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 15)))


def _staff(ctx: DemoContext, team: Team) -> dict[str, User]:
    starts_on = timezone.localdate() - datetime.timedelta(days=400)
    made: dict[str, User] = {}
    for spec in WARD_STAFF:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": ctx.faker.first_name(),
                "last_name": ctx.faker.last_name(),
                "email": f"{spec.username}@demo.example.org",
                "job_title": spec.job_title,
                "kind": User.Kind.STAFF,
                "is_demo": True,
            },
        )
        if created:
            user.set_password(ctx.password)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user, team=team, role=spec.role, defaults={"starts_on": starts_on}
        )
        made[spec.username] = user
    ctx.users.update(made)
    return made


def _patients(ctx: DemoContext, team: Team, manager: User, count: int = 3) -> list[Person]:
    """Staffordshire people the service manager can see, none of them restricted."""
    restricted = set(RecordRestriction.objects.values_list("person_id", flat=True))
    pool: list[Person] = []
    for key in ("staffs.reconnect", "staffs.mhtr", "staffs.court"):
        for person in ctx.people_by_team.get(key, []):
            if person.pk not in restricted and person not in pool:
                pool.append(person)
    chosen = pool[:count]
    numbers = iter(
        demo_nhs_numbers(
            count, Person.objects.exclude(nhs_number=None).values_list("nhs_number", flat=True)
        )
    )
    while len(chosen) < count:
        chosen.append(
            person_register(
                actor=manager,
                team=team,
                data={
                    "given_name": ctx.faker.first_name_male(),
                    "family_name": ctx.faker.last_name(),
                    "sex": "1",
                    "date_of_birth": datetime.date(1990, 1, 1)
                    + datetime.timedelta(days=ctx.rng.randint(0, 3000)),
                    "nhs_number": next(numbers),
                },
            )
        )
    return chosen


def _carer_user(ctx: DemoContext, username: str, carer: Carer) -> User:
    user = User.objects.create(
        username=username,
        first_name=carer.given_name,
        last_name=carer.family_name,
        email=f"{username}@demo.example.org",
        kind=User.Kind.CARER,
        is_demo=True,
    )
    user.set_password(ctx.password)
    user.save(update_fields=["password"])
    Carer.objects.filter(pk=carer.pk).update(user=user)
    ctx.users[username] = user
    return user


def _equality_answers(ctx: DemoContext, female: bool) -> services.CarerDetails:
    """A carer's own answers, drawn like the area's population; some left unanswered."""
    code = EthnicityPicker(ctx.rng).pick(STAFFORDSHIRE)
    category = EthnicCategory.objects.filter(code_list__is_current=True, code=code).first()
    if ctx.rng.random() < 0.2:
        return {"ethnic_category": category}
    return {
        "ethnic_category": category,
        "age_group": ctx.rng.choice(
            [AgeGroup.AGE_26_40, AgeGroup.AGE_41_64, AgeGroup.AGE_41_64, AgeGroup.AGE_65_PLUS]
        ),
        "sex": Sex.FEMALE if female else ctx.rng.choice([Sex.MALE, Sex.FEMALE]),
        "religion": ctx.rng.choice(
            [Religion.CHRISTIAN, Religion.NO_RELIGION, Religion.MUSLIM, Religion.SIKH]
        ),
        "disability": ctx.rng.choice([Disability.NO, Disability.NO, Disability.YES]),
    }


def _carer(
    ctx: DemoContext,
    *,
    actor: User,
    patient: Person,
    team: Team,
    relationship: str,
    named_contact: User | None,
    first_contact: bool,
    identified_days_ago: int,
    method: str = ContactMethod.PHONE,
    family_name: str | None = None,
) -> Carer:
    female = ctx.rng.random() < 0.7
    given = ctx.faker.first_name_female() if female else ctx.faker.first_name()
    return services.carer_register(
        actor=actor,
        patient=patient,
        team=team,
        data={
            "given_name": given,
            "family_name": family_name or ctx.faker.last_name(),
            "phone": f"07700 900{ctx.rng.randint(100, 999)}",
            "email": f"{given.lower()}@example.org",
            "town": ctx.rng.choice(["Stafford", "Stone", "Cannock", "Stoke-on-Trent", "Leek"]),
            "preferred_contact_method": method,
            "preferred_contact_time": ctx.rng.choice(ContactTime.values),
            "language": "English",
            "date_identified": timezone.localdate() - datetime.timedelta(days=identified_days_ago),
            "identified_at_first_contact": first_contact,
            "named_contact": named_contact,
            **_equality_answers(ctx, female),
        },
        relationship={"relationship": relationship, "named_on_care_plan": True},
    )


def _backdate_agreement(agreement: SharingAgreement, days: int, review_in_days: int) -> None:
    SharingAgreement.objects.filter(pk=agreement.pk).update(
        recorded_at=_ago(days),
        review_on=timezone.localdate() + datetime.timedelta(days=review_in_days),
    )


def _contact(
    *,
    actor: User,
    carer: Carer,
    relationship: Any,
    days_ago: int,
    mode: str,
    summary: str,
    categories: list[str],
    direction: str = ContactDirection.TO_CARER,
    lawful_basis: str = "",
    lawful_basis_detail: str = "",
) -> CarerContact:
    return services.contact_record(
        actor=actor,
        carer=carer,
        relationship=relationship,
        staff=actor,
        occurred_at=_ago(days_ago, hour=14),
        mode=mode,
        direction=direction,
        summary=summary,
        categories_shared=categories,
        lawful_basis=lawful_basis,
        lawful_basis_detail=lawful_basis_detail,
    )


def _item(
    actor: User, relationship: Any, category: str, title: str, body: str, days_ago: int, **kw: Any
) -> SharedItem:
    item = services.shared_item_write(
        actor=actor, relationship=relationship, category=category, title=title, body=body, **kw
    )
    SharedItem.objects.filter(pk=item.pk).update(written_at=_ago(days_ago, hour=16))
    return item


def _stay(
    manager: User,
    person: Person,
    team: Team,
    level: str,
    ward: str,
    days_ago: int,
    staff: dict[str, User],
    hospital: str = HOSPITAL,
) -> SecureServiceStay:
    return services.stay_record(
        actor=manager,
        person=person,
        team=team,
        data={
            "level": level,
            "hospital_or_team": hospital,
            "ward": ward,
            "key_worker": staff["keyworker.staffs"],
            "ward_manager": staff["wardmanager.staffs"],
            "starts_on": timezone.localdate() - datetime.timedelta(days=days_ago),
        },
    )


def _messages(carer_user: User, carer: Carer, relationship: Any, key_worker: User) -> None:
    """A message the key worker read and answered the next morning, sharing only wellbeing (in
    the agreement in force), and a newer one still unread in the key worker's list."""
    message = services.message_send(
        actor=carer_user,
        carer=carer,
        body="Hello, can I bring some clothes and a photo album at my visit on Saturday? "
        "Thank you for the update last week.",
    )
    services.message_mark_read(actor=key_worker, message=message)
    patient = relationship.patient
    name = patient.preferred_name or patient.given_name
    reply = services.message_reply(
        actor=key_worker,
        message=message,
        relationship=relationship,
        body=f"Hello {carer.given_name}, yes, you can bring clothes and the photo album. Staff "
        "will check them when you arrive, as they do for every visit. "
        f"{name} has had a settled week and is looking forward to seeing you on Saturday.",
        categories_shared=[ShareCategory.WELLBEING],
    )
    # Demo only: sent two evenings ago, read and answered the next morning.
    sent_at, replied_at = _ago(2, hour=19), _ago(1, hour=9)
    CarerMessage.objects.filter(pk=message.pk).update(
        sent_at=sent_at, read_at=replied_at - datetime.timedelta(minutes=10)
    )
    CarerContact.objects.filter(message=message).update(occurred_at=sent_at)
    CarerMessageReply.objects.filter(pk=reply.pk).update(sent_at=replied_at)
    CarerContact.objects.filter(pk=reply.contact_id).update(occurred_at=replied_at)
    services.message_send(
        actor=carer_user,
        carer=carer,
        body="Thank you. Could we talk about the review meeting before it happens? "
        "I can do any afternoon next week.",
    )


@register_demo_seeder
def seed_carers_demo(ctx: DemoContext) -> None:
    team = ctx.teams[TEAM_KEY]
    manager = ctx.users[MANAGER_KEY]
    staff = _staff(ctx, team)
    key_worker, ward_manager = staff["keyworker.staffs"], staff["wardmanager.staffs"]
    seed_information_pages(ward_manager)
    first, second, third = _patients(ctx, team, manager)

    # 1. A low secure patient whose mother sees some of their care in the portal.
    _stay(manager, first, team, SecureLevel.LOW_SECURE, "Cedar Ward", 240, staff)
    mother = _carer(
        ctx,
        actor=key_worker,
        patient=first,
        team=team,
        relationship=Relationship.PARENT,
        named_contact=key_worker,
        first_contact=True,
        identified_days_ago=230,
        family_name=first.family_name,
    )
    rel = mother.relationships.get()
    agreement = services.agreement_record(
        actor=key_worker,
        relationship=rel,
        categories=[ShareCategory.WELLBEING, ShareCategory.MEETINGS, ShareCategory.LEAVE_DISCHARGE],
        capacity=Capacity.HAS_CAPACITY,
        capacity_note="Understood what each kind of information means and who would see it.",
        review_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    _backdate_agreement(agreement, 200, 60)
    name = first.preferred_name or first.given_name
    _item(
        key_worker,
        rel,
        ShareCategory.WELLBEING,
        f"How {name} has been this month",
        f"{name} has settled well on the ward. They have been going to the gym twice a week "
        "and have started cooking sessions with the occupational therapist.\n\n"
        "They said they are looking forward to your next visit.",
        days_ago=6,
    )
    _item(
        key_worker,
        rel,
        ShareCategory.MEETINGS,
        "You are invited to the care programme approach review",
        f"We will talk about how {name} is doing and the plans for the next six months. "
        "You can say what you think, or send us your thoughts before the meeting.",
        days_ago=4,
        meeting_kind=MeetingKind.CPA_REVIEW,
        meeting_at=_ago(-14, hour=10),
        meeting_place=f"{HOSPITAL}, meeting room 2 (or by video: ask us for the link)",
    )
    _item(
        ward_manager,
        rel,
        ShareCategory.LEAVE_DISCHARGE,
        "Escorted leave in the grounds",
        f"{name} now has escorted leave in the hospital grounds for up to an hour a day. "
        "The next step we are working towards is escorted leave into Stafford town.",
        days_ago=20,
    )
    _contact(
        actor=key_worker,
        carer=mother,
        relationship=rel,
        days_ago=120,
        mode=ContactMode.PHONE,
        summary="Introduced myself as the named contact. Explained how visiting works and sent "
        "the carers' toolkit.",
        categories=[],
    )
    _contact(
        actor=key_worker,
        carer=mother,
        relationship=rel,
        days_ago=35,
        mode=ContactMode.IN_PERSON,
        summary="Met at visiting time. Talked about the leave plan and the coming review.",
        categories=[ShareCategory.WELLBEING, ShareCategory.LEAVE_DISCHARGE],
    )
    services.support_update(
        actor=key_worker,
        carer=mother,
        data={
            "toolkit_given_on": timezone.localdate() - datetime.timedelta(days=120),
            "service_information_given_on": timezone.localdate() - datetime.timedelta(days=120),
            "assessment_offered_on": timezone.localdate() - datetime.timedelta(days=60),
            "referred_to_local_authority_on": timezone.localdate() - datetime.timedelta(days=55),
            "local_authority": "Staffordshire County Council",
            "assessment_completed_on": timezone.localdate() - datetime.timedelta(days=20),
            "assessment_outcome": AssessmentOutcome.SUPPORT_PLAN,
            "other_support": [OtherSupport.CARERS_GROUP, OtherSupport.ONE_TO_ONE],
        },
        expected_version=1,
    )
    _carer_user(ctx, CARER_ACCOUNTS[0], mother)
    _messages(ctx.users[CARER_ACCOUNTS[0]], Carer.objects.get(pk=mother.pk), rel, key_worker)
    # A brother who has not been invited, and with whom nothing is agreed.
    _carer(
        ctx,
        actor=key_worker,
        patient=first,
        team=team,
        relationship=Relationship.SIBLING,
        named_contact=None,
        first_contact=False,
        identified_days_ago=90,
        family_name=first.family_name,
    )

    # 2. A learning-disability ward patient who withdrew consent: the partner sees nothing now.
    _stay(manager, second, team, SecureLevel.LD_SECURE, "Birch Ward", 150, staff)
    partner = _carer(
        ctx,
        actor=ward_manager,
        patient=second,
        team=team,
        relationship=Relationship.PARTNER,
        named_contact=None,
        first_contact=False,
        identified_days_ago=140,
        method=ContactMethod.EMAIL,
    )
    rel2 = partner.relationships.get()
    agreement2 = services.agreement_record(
        actor=ward_manager,
        relationship=rel2,
        categories=[ShareCategory.WELLBEING, ShareCategory.CARE_PLAN],
        capacity=Capacity.HAS_CAPACITY,
        review_on=timezone.localdate() + datetime.timedelta(days=90),
    )
    _backdate_agreement(agreement2, 130, 50)
    _item(
        ward_manager,
        rel2,
        ShareCategory.WELLBEING,
        "A good week",
        "They joined the ward's music group and said they enjoyed it.",
        days_ago=40,
    )
    services.agreement_withdraw(
        actor=ward_manager,
        agreement=SharingAgreement.objects.get(pk=agreement2.pk),
        reason="Said they do not want anything shared for now. They may change their mind.",
    )
    SharingAgreement.objects.filter(pk=agreement2.pk).update(ended_at=_ago(10))
    _contact(
        actor=ward_manager,
        carer=partner,
        relationship=rel2,
        days_ago=9,
        mode=ContactMode.PHONE,
        summary="Told them we can no longer share information, but we are here to listen and "
        "to help them get support. Gave details of the local carers' centre.",
        categories=[],
    )
    _carer_user(ctx, CARER_ACCOUNTS[1], partner)

    # 3. A forensic community patient: an agreement due for review and a share without consent.
    _stay(
        manager,
        third,
        team,
        SecureLevel.FORENSIC_COMMUNITY,
        "",
        400,
        staff,
        hospital="Staffordshire forensic community mental health team",
    )
    daughter = _carer(
        ctx,
        actor=key_worker,
        patient=third,
        team=team,
        relationship=Relationship.CHILD,
        named_contact=ward_manager,
        first_contact=True,
        identified_days_ago=380,
        family_name=third.family_name,
    )
    rel3 = daughter.relationships.get()
    agreement3 = services.agreement_record(
        actor=key_worker,
        relationship=rel3,
        categories=[ShareCategory.MEDICATION, ShareCategory.WELLBEING],
        capacity=Capacity.HAS_CAPACITY,
        review_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    _backdate_agreement(agreement3, 370, -5)
    _contact(
        actor=key_worker,
        carer=daughter,
        relationship=rel3,
        days_ago=3,
        mode=ContactMode.PHONE,
        summary="The daughter was worried about threats made at home. Shared the relapse "
        "signs from the care plan so she could keep her children safe.",
        categories=[ShareCategory.CARE_PLAN],
        lawful_basis=LawfulBasis.SAFEGUARDING,
        lawful_basis_detail="Risk to children living in the home. Safeguarding referral made "
        "the same day.",
    )
    services.support_update(
        actor=key_worker,
        carer=daughter,
        data={
            "toolkit_given_on": timezone.localdate() - datetime.timedelta(days=370),
            "assessment_offered_on": timezone.localdate() - datetime.timedelta(days=40),
            "assessment_outcome": AssessmentOutcome.AWAITING,
        },
        expected_version=1,
    )
    ctx.extra["carer_accounts"] = list(CARER_ACCOUNTS)
    ctx.log(
        f"Carers: 3 patients in secure services with {team.name}, 4 carers, "
        f"portal sign-ins {', '.join(CARER_ACCOUNTS)}."
    )


@register_demo_reset
def reset_carers_demo() -> None:
    """Remove carers' demo rows that would stop demo accounts and people being deleted."""
    demo = Q(created_by__is_demo=True) | Q(user__is_demo=True) | Q(named_contact__is_demo=True)
    Carer.objects.filter(demo).delete()
    CarerMessage.objects.filter(recipient__is_demo=True).update(recipient=None)
    CarerMessage.objects.filter(read_by__is_demo=True).update(read_by=None)
    SecureServiceStay.objects.filter(
        Q(created_by__is_demo=True) | Q(person__created_by__is_demo=True)
    ).delete()
    for name in ("key_worker", "ward_manager", "created_by"):
        SecureServiceStay.objects.filter(**{f"{name}__is_demo": True}).update(**{name: None})
    CarerInformationPage.objects.filter(updated_by__is_demo=True).update(updated_by=None)


# Information pages -----------------------------------------------------------------------------


def information_pages() -> list[dict[str, Any]]:
    phone = settings.HJ_SWITCHBOARD
    return [
        {
            "slug": "about-secure-services",
            "title": "What secure services are",
            "summary": "The different kinds of secure hospital and team, in simple words.",
            "order": 10,
            "body": (
                "Secure services care for people with mental health problems who may be a risk "
                "to others or to themselves. Most people in secure services have been in contact "
                "with the courts or the police.\n\n"
                "## The levels\n"
                "- High secure: a hospital with very strong security. There are three in England.\n"
                "- Medium secure: a hospital with strong security around it. Staff also keep "
                "people safe by knowing them well.\n"
                "- Low secure: often a locked ward. People may stay for a long time.\n"
                "- Locked-door rehabilitation: a ward that helps people get ready to live in the "
                "community again.\n"
                "- Forensic community team: staff who support people after they leave hospital.\n\n"
                "## Moving on\n"
                "Most people move to a lower level of security as they get better. Each move is "
                "planned with them, and with you if they agree."
            ),
        },
        {
            "slug": "visiting",
            "title": "Visiting",
            "summary": "How to book a visit, what to bring and what you cannot bring.",
            "order": 20,
            "body": (
                "We want you to visit. Visits help people get better.\n\n"
                "## Before you visit\n"
                f"- Book your visit by phone on {phone}. Ask for the ward.\n"
                "- Bring photo ID, such as a passport or a driving licence.\n"
                "- Tell us if you need help, for example a quiet room or step-free access.\n\n"
                "## What you can bring\n"
                "You can bring clothes, photos and some food. Staff will check everything you "
                "bring. Some things are not allowed, such as glass, lighters, phones with "
                "cameras and medicines. Ask the ward if you are not sure.\n\n"
                "## Children\n"
                "Children can visit, but we need to plan it first. Ask your named contact."
            ),
        },
        {
            "slug": "who-to-contact",
            "title": "Who to contact",
            "summary": "Your named contact, our switchboard and what to do in an emergency.",
            "order": 30,
            "body": (
                "You have a named contact. This is a member of staff who keeps in touch with you. "
                "You can see who it is on the home page of this portal.\n\n"
                "## How to reach us\n"
                f"- Phone our switchboard on {phone} and ask for your named contact or the ward.\n"
                "- Send a message from this portal. We will reply in the portal or in the way you "
                "prefer.\n\n"
                "## In an emergency\n"
                "- If someone is in danger now, call 999.\n"
                "- If you need urgent mental health help for yourself, call 111 and choose the "
                "mental health option."
            ),
        },
        {
            "slug": "what-we-can-share",
            "title": "What we can tell you",
            "summary": "Why we need the agreement of the person you care for.",
            "order": 40,
            "body": (
                "We must keep the information of the person you care for private. We can share "
                "it with you when they agree. They choose what we share, for example how they "
                "are, or dates of meetings. They can change their mind at any time.\n\n"
                "## What we can always do\n"
                "Even when they do not agree, we can always:\n"
                "- listen to you and take information from you\n"
                "- give you general information about mental health and our services\n"
                "- help you get support for yourself\n"
                "- tell you if you are named on their care plan\n\n"
                "Being the nearest relative under the Mental Health Act does not give you a "
                "right to information. But you do have some rights, and your named contact can "
                "explain them.\n\n"
                "What you tell us is private too. Tell us if there is something you do not want "
                "us to share."
            ),
        },
        {
            "slug": "carers-toolkit",
            "title": "The secure services carers' toolkit",
            "summary": "A guide for carers, written with carers.",
            "order": 50,
            "body": (
                "NHS England wrote a toolkit for carers of people in secure mental health "
                "services in 2018. Carers helped to write it.\n\n"
                "It explains:\n"
                "- how secure services work\n"
                "- how you can be involved in care\n"
                "- what support you can ask for\n\n"
                "Ask your named contact for a copy. We can post it to you or give it to you when "
                "you visit.\n\n"
                "We also follow the Triangle of Care. This is a promise to work with carers as "
                "partners. You can read about it at "
                "https://carers.org/triangle-of-care/the-triangle-of-care"
            ),
        },
        {
            "slug": "carers-assessment",
            "title": "A carer's assessment from your council",
            "summary": "Support for you, from your local council. It is free.",
            "order": 60,
            "body": (
                "Caring for someone can be hard. You have a right to a carer's assessment from "
                "your local council. It does not matter how much money you have.\n\n"
                "## What the assessment looks at\n"
                "- whether you are able and willing to keep caring\n"
                "- how caring affects your life, health and work\n"
                "- what you would like to change\n"
                "- what help would make a difference\n\n"
                "## How to get one\n"
                "Ask your named contact. We can refer you to your council, or you can contact "
                "your council yourself. If you live in Staffordshire, that is Staffordshire "
                "County Council. In Stoke-on-Trent, it is Stoke-on-Trent City Council."
            ),
        },
    ]


def seed_information_pages(author: User) -> int:
    """Create the starter pages that are missing (a page staff already wrote is left alone)."""
    created = 0
    for spec in information_pages():
        if CarerInformationPage.objects.filter(slug=spec["slug"]).exists():
            continue
        services.information_page_save(actor=author, page=None, data={**spec, "is_published": True})
        created += 1
    return created
