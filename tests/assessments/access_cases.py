from datetime import timedelta

from django.utils import timezone

from healthjustice.journeys.choices import Stage
from tests.access.matrix import CARE_TEAM, Case, allow
from tests.assessments.factories import (
    SECTIONS,
    give_consent,
    issue_court_report,
    make_assessment,
)
from tests.screening.factories import make_episode

NOT_OTHER_TEAM = {"practitioner_other_team": 404}
VIEW = allow(CARE_TEAM, **NOT_OTHER_TEAM)
WRITE = allow(CARE_TEAM, 302, **NOT_OTHER_TEAM)


def episode(world):
    return world.get(
        "assessments_episode",
        lambda w: make_episode(
            team=w.team, person=w.person, actor=w.users["practitioner"], stage=Stage.SCREENED
        ),
    )


def assessment(world):
    return world.get("assessment", lambda w: make_assessment(episode(w), w.users["practitioner"]))


def consent_event(world):
    return world.get("court_consent", lambda w: give_consent(w.person, w.users["practitioner"]))


def report(world):
    def build(w):
        consent_event(w)
        return issue_court_report(episode(w), w.users["practitioner"])

    return world.get("court_report", build)


def _episode_kwargs(world):
    return {"episode_id": episode(world).public_id}


def _person_kwargs(world):
    return {"person_id": world.person.public_id}


def _assessment_kwargs(world):
    return {"public_id": assessment(world).public_id}


def _withdraw_kwargs(world):
    return {
        "person_id": world.person.public_id,
        "consent_id": consent_event(world).consent.public_id,
    }


def _report_kwargs(world):
    return {"public_id": report(world).public_id}


def _write_kwargs(world):
    consent_event(world)
    return {"episode_id": episode(world).public_id, "report_type": "court_bail_remand"}


def _assessment_data(world):
    world.get(
        "assessment_consent",
        lambda w: give_consent(w.person, w.users["practitioner"], purpose="assessment"),
    )
    at = timezone.localtime(timezone.now() - timedelta(minutes=5))
    return {
        "assessed_on_0": str(at.day),
        "assessed_on_1": str(at.month),
        "assessed_on_2": str(at.year),
        "assessed_time": at.strftime("%H:%M"),
        "mode": "video",
        "assessor": str(world.users["practitioner"].pk),
        "presenting_needs": "Hearing voices telling him he is being watched",
        "risk_to_self": "None identified",
        "risk_to_others": "None identified",
        "risk_from_others": "None identified",
        "formulation": "Possible first episode of psychosis",
        "recommendations": "Urgent referral to early intervention in psychosis",
    }


def _edit_data(world):
    return {**_assessment_data(world), "version": str(assessment(world).version)}


def _report_data(world):
    return {
        "recipient": "court",
        "lawful_basis": "consent",
        "article6_basis": "6_1_e",
        "article9_condition": "9_2_h_s1_2",
        **{f"section_{k}": v for k, v in SECTIONS.items()},
        "confirm": "on",
    }


def _correction_data(world):
    return {**_report_data(world), "correction_reason": "The hearing date was wrong"}


CASES = [
    Case("assessments:episode", VIEW, kwargs=_episode_kwargs),
    Case("assessments:new", VIEW, kwargs=_episode_kwargs),
    Case("assessments:new", WRITE, kwargs=_episode_kwargs, method="POST", data=_assessment_data),
    Case("assessments:detail", VIEW, kwargs=_assessment_kwargs),
    Case("assessments:edit", VIEW, kwargs=_assessment_kwargs),
    Case("assessments:edit", WRITE, kwargs=_assessment_kwargs, method="POST", data=_edit_data),
    Case("assessments:consent", VIEW, kwargs=_person_kwargs),
    Case("assessments:consent_record", VIEW, kwargs=_person_kwargs),
    Case(
        "assessments:consent_record",
        WRITE,
        kwargs=_person_kwargs,
        method="POST",
        data=lambda w: {"purpose": "share_police", "status": "given", "capacity_assessed": "no"},
    ),
    Case("assessments:consent_withdraw", VIEW, kwargs=_withdraw_kwargs),
    Case(
        "assessments:consent_withdraw",
        WRITE,
        kwargs=_withdraw_kwargs,
        method="POST",
        data=lambda w: {"note": "Told me at the cell door"},
    ),
    Case("assessments:report_new", VIEW, kwargs=_episode_kwargs),
    Case(
        "assessments:report_new",
        WRITE,
        kwargs=_episode_kwargs,
        method="POST",
        data=lambda w: {"report_type": "custody_advice"},
    ),
    Case("assessments:report_write", VIEW, kwargs=_write_kwargs),
    Case(
        "assessments:report_write",
        WRITE,
        kwargs=_write_kwargs,
        method="POST",
        data=_report_data,
    ),
    Case("assessments:report", VIEW, kwargs=_report_kwargs),
    Case("assessments:report_pdf", VIEW, kwargs=_report_kwargs),
    Case("assessments:report_correct", VIEW, kwargs=_report_kwargs),
    Case(
        "assessments:report_correct",
        WRITE,
        kwargs=_report_kwargs,
        method="POST",
        data=_correction_data,
    ),
]
