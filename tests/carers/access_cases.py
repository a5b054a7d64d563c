"""Who may reach each carers' page. Staff pages: carers get 403. Portal pages: staff get 403."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.carers import services
from healthjustice.carers.choices import (
    Capacity,
    ContactDirection,
    ContactMode,
    LawfulBasis,
    ShareCategory,
)
from healthjustice.carers.models import (
    Carer,
    CarerContact,
    CarerInformationPage,
    CarerMessage,
    CarerRelationship,
    SecureServiceStay,
    SharedItem,
    SharingAgreement,
)
from tests.access.matrix import CARE_TEAM, CLINICAL, LEADERS, SIGNED_IN_STAFF, Case, allow
from tests.factories import PersonFactory, UserFactory

CARER_ONLY = allow(["carer"])
CARE_TEAM_ONLY = allow(CARE_TEAM, practitioner_other_team=404)
ALL_SIGNED_IN = [*SIGNED_IN_STAFF, "carer"]


@dataclass
class CarerWorld:
    carer: Carer
    relationship: CarerRelationship
    agreement: SharingAgreement
    item: SharedItem
    stay: SecureServiceStay
    message: CarerMessage
    flagged: CarerContact
    page: CarerInformationPage
    token: str
    reset_token: str
    other_relationship: CarerRelationship


def _build(world) -> CarerWorld:
    practitioner = world.users["practitioner"]
    stay = SecureServiceStay.objects.create(
        person=world.person,
        team=world.team,
        level="low_secure",
        hospital_or_team="Stafford low secure unit",
        ward="Cedar Ward",
        key_worker=practitioner,
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    carer = Carer.objects.create(
        given_name="Maria",
        family_name="Okafor",
        phone="07700 900111",
        team=world.team,
        named_contact=practitioner,
        user=world.users["carer"],
    )
    rel = CarerRelationship.objects.create(carer=carer, patient=world.person, relationship="parent")
    agreement = SharingAgreement.objects.create(
        relationship=rel,
        categories=[ShareCategory.WELLBEING, ShareCategory.MEETINGS],
        capacity=Capacity.HAS_CAPACITY,
        recorded_by=practitioner,
        recorded_at=timezone.now() - datetime.timedelta(days=10),
        review_on=timezone.localdate() + datetime.timedelta(days=60),
    )
    item = SharedItem.objects.create(
        relationship=rel,
        category=ShareCategory.WELLBEING,
        title="A good week",
        body="They enjoyed the music group.",
        written_by=practitioner,
    )
    message = CarerMessage.objects.create(
        carer=carer, recipient=practitioner, team=world.team, body="Can I visit on Saturday?"
    )
    flagged = CarerContact.objects.create(
        carer=carer,
        relationship=rel,
        staff=practitioner,
        recorded_by=practitioner,
        mode=ContactMode.PHONE,
        direction=ContactDirection.TO_CARER,
        summary="Shared relapse signs because of a risk to children at home.",
        categories_shared=[ShareCategory.CARE_PLAN],
        outside_agreement=[ShareCategory.CARE_PLAN],
        lawful_basis=LawfulBasis.SAFEGUARDING,
        lawful_basis_detail="Children at risk.",
        flagged_for_review=True,
    )
    page = CarerInformationPage.objects.create(
        title="Visiting", slug="visiting", body="Book your visit.", is_published=True
    )
    invited = Carer.objects.create(given_name="Sam", family_name="Okafor", team=world.team)
    CarerRelationship.objects.create(carer=invited, patient=world.person, relationship="sibling")
    issued = services.carer_invite(actor=practitioner, carer=invited)
    # A carer whose sign-in was reset: their link sets a new password on their account.
    forgetful = Carer.objects.create(
        given_name="Lee",
        family_name="Okafor",
        team=world.team,
        user=UserFactory(username="carer-reset", kind=User.Kind.CARER),
    )
    CarerRelationship.objects.create(carer=forgetful, patient=world.person, relationship="sibling")
    reset = services.carer_sign_in_reset(actor=practitioner, carer=forgetful)
    # Another carer, of a patient of the other team: no one in the world's team may see them.
    other_person = PersonFactory(team=world.other_team)
    other_carer = Carer.objects.create(
        given_name="Ada", family_name="Hughes", team=world.other_team
    )
    other_rel = CarerRelationship.objects.create(
        carer=other_carer, patient=other_person, relationship="partner"
    )
    return CarerWorld(
        carer=carer,
        relationship=rel,
        agreement=agreement,
        item=item,
        stay=stay,
        message=message,
        flagged=flagged,
        page=page,
        token=issued.token,
        reset_token=reset.token,
        other_relationship=other_rel,
    )


def _cw(world) -> CarerWorld:
    return world.get("carers", _build)


def _id(attr: str, field: str = "public_id"):
    def kwargs(world) -> dict[str, Any]:
        return {"public_id": getattr(getattr(_cw(world), attr), field)}

    return kwargs


def _built(world) -> dict[str, Any]:
    _cw(world)
    return {}


def _person(world) -> dict[str, Any]:
    _cw(world)
    return {"public_id": world.person.public_id}


def _carer(world) -> dict[str, Any]:
    return {"public_id": _cw(world).carer.public_id}


def _rel(world) -> dict[str, Any]:
    return {"public_id": _cw(world).relationship.public_id}


CASES = [
    # Staff pages ------------------------------------------------------------------------
    Case("carers:home", allow(CLINICAL), kwargs=_built),
    Case("carers:patient", CARE_TEAM_ONLY, kwargs=_person),
    Case("carers:stay_add", CARE_TEAM_ONLY, kwargs=_person),
    Case("carers:stay_add", CARE_TEAM_ONLY, kwargs=_person, method="POST"),
    Case("carers:carer_add", CARE_TEAM_ONLY, kwargs=_person),
    Case("carers:carer_add", CARE_TEAM_ONLY, kwargs=_person, method="POST"),
    Case("carers:stay_edit", CARE_TEAM_ONLY, kwargs=_id("stay")),
    Case("carers:carer_detail", CARE_TEAM_ONLY, kwargs=_carer),
    Case(
        "carers:carer_detail",
        allow(CARE_TEAM, 404, practitioner_other_team=200),
        kwargs=lambda w: {"public_id": _cw(w).other_relationship.carer.public_id},
        id_suffix="_other_teams_carer",
        note="a carer whose patients the user cannot see does not exist for them",
    ),
    Case("carers:carer_edit", CARE_TEAM_ONLY, kwargs=_carer),
    Case("carers:carer_edit", CARE_TEAM_ONLY, kwargs=_carer, method="POST"),
    Case("carers:support_edit", CARE_TEAM_ONLY, kwargs=_carer),
    Case("carers:invite", CARE_TEAM_ONLY, kwargs=_carer),
    Case(
        "carers:invite",
        CARE_TEAM_ONLY,
        kwargs=_carer,
        method="POST",
        note="the world's carer already has an account: the page says no invitation was made",
    ),
    Case("carers:sign_in_reset", CARE_TEAM_ONLY, kwargs=_carer),
    Case(
        "carers:sign_in_reset",
        CARE_TEAM_ONLY,
        kwargs=_carer,
        method="POST",
        note="the world's carer has an account: it is reset and the page shows the new link",
    ),
    Case(
        "carers:sign_in_reset",
        allow(CARE_TEAM, 404, practitioner_other_team=200),
        kwargs=lambda w: {"public_id": _cw(w).other_relationship.carer.public_id},
        method="POST",
        id_suffix="_other_teams_carer",
        note="out of reach is a 404; their own team is told this carer has no account to reset",
    ),
    Case("carers:relationship", CARE_TEAM_ONLY, kwargs=_rel),
    Case("carers:relationship_edit", CARE_TEAM_ONLY, kwargs=_rel),
    Case("carers:agreement_record", CARE_TEAM_ONLY, kwargs=_rel),
    Case("carers:agreement_record", CARE_TEAM_ONLY, kwargs=_rel, method="POST"),
    Case("carers:contact_add", CARE_TEAM_ONLY, kwargs=_rel),
    Case("carers:contact_add", CARE_TEAM_ONLY, kwargs=_rel, method="POST"),
    Case("carers:shared_item_add", CARE_TEAM_ONLY, kwargs=_rel),
    Case("carers:agreement_withdraw", CARE_TEAM_ONLY, kwargs=_id("agreement")),
    Case("carers:agreement_withdraw", CARE_TEAM_ONLY, kwargs=_id("agreement"), method="POST"),
    Case("carers:shared_item_retract", CARE_TEAM_ONLY, kwargs=_id("item")),
    Case("carers:message_detail", CARE_TEAM_ONLY, kwargs=_id("message")),
    Case(
        "carers:message_mark_read",
        allow(CARE_TEAM, 302, practitioner_other_team=404),
        kwargs=_id("message"),
        method="POST",
        note="the reader says so; the message page follows",
    ),
    Case(
        "carers:message_reply",
        allow(CARE_TEAM, 302, practitioner_other_team=404),
        kwargs=_id("message"),
        method="POST",
        data=lambda w: {
            "body": "We can meet you at reception on Saturday at 2pm.",
            "relationship": str(_cw(w).relationship.public_id),
        },
        note="a reply sharing nothing about the patient is sent; the message page follows",
    ),
    Case(
        "carers:message_reply",
        allow(CARE_TEAM, 200, practitioner_other_team=404),
        kwargs=_id("message"),
        method="POST",
        data=lambda w: {
            "body": "His new tablets are working.",
            "relationship": str(_cw(w).relationship.public_id),
            "categories_shared": [ShareCategory.MEDICATION],
        },
        id_suffix="_outside_agreement",
        note="medication is not agreed: the page is shown again with the reason",
    ),
    Case(
        "carers:message_attachment",
        allow(CLINICAL, 404),
        kwargs=_id("message"),
        note="this message has no file; the download itself is tested in tests/carers",
    ),
    Case("carers:flagged", allow(LEADERS), kwargs=_built),
    Case("carers:flagged_review", allow(LEADERS), kwargs=_id("flagged")),
    Case(
        "carers:report",
        allow(CLINICAL),
        kwargs=_built,
        note="aggregates for the viewer's own teams: key workers see their team's figures",
    ),
    Case("carers:pages", allow(LEADERS), kwargs=_built),
    Case("carers:page_add", allow(LEADERS)),
    Case("carers:page_edit", allow(LEADERS), kwargs=_id("page")),
    # The carers' portal ----------------------------------------------------------------
    Case("carers:portal", CARER_ONLY, kwargs=_built),
    Case(
        "carers:portal",
        {},
        kwargs=lambda w: {},
        id_suffix="_no_carer_record",
        note="a carer account with no carer record behind it is refused",
    ),
    Case("carers:portal_person", CARER_ONLY, kwargs=_rel),
    Case(
        "carers:portal_person",
        allow(["carer"], 404),
        kwargs=lambda w: {"public_id": _cw(w).other_relationship.public_id},
        id_suffix="_another_carers_patient",
        note="an id that is not the carer's own is a 404 (and an audited denial)",
    ),
    Case("carers:portal_pages", CARER_ONLY, kwargs=_built),
    Case("carers:portal_page", CARER_ONLY, kwargs=lambda w: {"slug": _cw(w).page.slug}),
    Case("carers:portal_messages", CARER_ONLY, kwargs=_built),
    Case(
        "carers:portal_messages",
        allow(["carer"], 302),
        kwargs=_built,
        method="POST",
        data=lambda w: {"body": "Please call me back about the visit."},
    ),
    Case("carers:portal_preferences", CARER_ONLY, kwargs=_built),
    Case(
        "carers:portal_invitation",
        allow(ALL_SIGNED_IN, 403, anonymous=200),
        kwargs=lambda w: {"token": _cw(w).token},
        note="anyone signed in (staff or carer) is asked to sign out first",
    ),
    Case(
        "carers:portal_invitation",
        allow(ALL_SIGNED_IN, 403, anonymous=200),
        kwargs=lambda w: {"token": _cw(w).reset_token},
        id_suffix="_sign_in_reset",
        note="a link from a sign-in reset asks for a new password for the same account",
    ),
    Case(
        "carers:portal_invitation",
        allow(ALL_SIGNED_IN, 403, anonymous=404),
        kwargs=lambda w: {"token": "not-a-real-invitation-token"},
        id_suffix="_unknown_token",
    ),
]
