"""RECONNECT's section of a subject access export: each referral with its window, the
eligibility checks and the release details."""

from __future__ import annotations

from typing import Any

from healthjustice.accounts.models import User
from healthjustice.people.models import Person
from healthjustice.people.subject_access import register_subject_access_section

from .models import (
    EligibilityCheck,
    FirstWeekAppointment,
    GateMeet,
    GatePlan,
    Handover,
    Recall,
    ReconnectReferral,
    ReleaseDetails,
    SupportContact,
    SupportExtension,
    SupportPlanNeed,
    SupportWorkerAllocation,
)


def _user(user: User | None) -> dict[str, str] | None:
    return {"name": user.display_name, "username": user.username} if user else None


def _choice(code: str, label: str) -> dict[str, str]:
    return {"code": code, "label": label}


@register_subject_access_section("reconnect")
def reconnect(person: Person) -> list[dict[str, Any]]:
    referrals = ReconnectReferral.objects.filter(episode__person=person).select_related(
        "episode__team", "made_by", "exception_by"
    )
    checks: dict[int, list[EligibilityCheck]] = {}
    for check in EligibilityCheck.objects.filter(episode__person=person).select_related(
        "recorded_by"
    ):
        checks.setdefault(check.episode_id, []).append(check)
    releases = {
        r.episode_id: r
        for r in ReleaseDetails.objects.filter(episode__person=person).select_related(
            "establishment", "area", "updated_by"
        )
    }
    contacts: dict[int, list[SupportContact]] = {}
    for contact in SupportContact.objects.filter(episode__person=person).select_related(
        "recorded_by"
    ):
        contacts.setdefault(contact.episode_id, []).append(contact)
    plans: dict[int, list[SupportPlanNeed]] = {}
    for need in SupportPlanNeed.objects.filter(episode__person=person).prefetch_related("updates"):
        plans.setdefault(need.episode_id, []).append(need)
    gate_meets = {g.episode_id: g for g in GateMeet.objects.filter(episode__person=person)}
    extensions: dict[int, list[SupportExtension]] = {}
    for x in SupportExtension.objects.filter(episode__person=person).select_related("approved_by"):
        extensions.setdefault(x.episode_id, []).append(x)
    recalls = {c.episode_id: c for c in Recall.objects.filter(episode__person=person)}
    plans_for_gate: dict[int, list[GatePlan]] = {}
    for p in GatePlan.objects.filter(episode__person=person).order_by("recorded_at", "pk"):
        plans_for_gate.setdefault(p.episode_id, []).append(p)
    appointments: dict[int, list[FirstWeekAppointment]] = {}
    for a in FirstWeekAppointment.objects.filter(episode__person=person):
        appointments.setdefault(a.episode_id, []).append(a)
    allocations: dict[int, list[SupportWorkerAllocation]] = {}
    for alloc in SupportWorkerAllocation.objects.filter(episode__person=person).select_related(
        "worker", "allocated_by"
    ):
        allocations.setdefault(alloc.episode_id, []).append(alloc)
    handovers: dict[int, list[Handover]] = {}
    for h in (
        Handover.objects.filter(episode__person=person)
        .select_related("referral")
        .prefetch_related("checks")
        .order_by("recorded_at", "pk")
    ):
        handovers.setdefault(h.episode_id, []).append(h)
    rows = []
    for r in referrals.order_by("made_at", "pk"):
        release = releases.get(r.episode_id)
        rows.append(
            {
                "episode": {"reference": str(r.episode.public_id), "team": r.episode.team.name},
                "referrer": _choice(r.referrer, r.get_referrer_display()),
                "referrer_name": r.referrer_name,
                "health_need": r.health_need,
                "made_at": r.made_at,
                "made_by": _user(r.made_by),
                "window": {"opens": r.window_opens, "closes": r.window_closes},
                "exception": (
                    {"reason": r.exception_reason, "by": _user(r.exception_by)}
                    if r.exception_reason
                    else None
                ),
                "eligibility": [
                    {
                        "checked_on": c.checked_on,
                        "where": _choice(c.custody_status, c.get_custody_status_display()),
                        "health_need": c.health_need,
                        "outcome": _choice(c.outcome, c.get_outcome_display()),
                        "enhanced_service": c.get_enhanced_service_display(),
                        "notes": c.notes,
                        "recorded_by": _user(c.recorded_by),
                    }
                    for c in sorted(checks.get(r.episode_id, []), key=lambda c: c.recorded_at)
                ],
                "release": (
                    {
                        "establishment": release.establishment.name,
                        "released_on": release.released_on,
                        "release_type": release.get_release_type_display(),
                        "area": release.area.name if release.area else "",
                        "area_detail": release.area_detail,
                        "accommodation": release.get_accommodation_display(),
                        "probation_practitioner": release.probation_practitioner,
                        "medication": release.medication,
                    }
                    if release
                    else None
                ),
                "gate_meet": (
                    {
                        "met": gate.met,
                        "met_by": gate.met_by,
                        "place": gate.place,
                        "what_happened": gate.not_met_reason,
                    }
                    if (gate := gate_meets.get(r.episode_id))
                    else None
                ),
                "extensions": [
                    {
                        "from": x.previous_end_on,
                        "to": x.extended_to,
                        "reason": x.reason,
                        "approved_by": _user(x.approved_by),
                        "approved_at": x.approved_at,
                    }
                    for x in sorted(extensions.get(r.episode_id, []), key=lambda x: x.approved_at)
                ],
                "recall": (
                    {"recalled_on": recall.recalled_on, "notes": recall.notes}
                    if (recall := recalls.get(r.episode_id))
                    else None
                ),
                "support_workers": [
                    {
                        "worker": _user(a.worker),
                        "worker_type": a.get_worker_type_display(),
                        "allocated_by": _user(a.allocated_by),
                        "allocated_at": a.allocated_at,
                    }
                    for a in sorted(allocations.get(r.episode_id, []), key=lambda a: a.allocated_at)
                ],
                "gate_plans": [
                    {
                        "meet_on": p.meet_on,
                        "meet_at": p.meet_at,
                        "place": p.place,
                        "who": p.who,
                        "recorded_at": p.recorded_at,
                    }
                    for p in plans_for_gate.get(r.episode_id, [])
                ],
                "first_week_appointments": [
                    {
                        "kind": _choice(a.kind, a.get_kind_display()),
                        "appointment_on": a.appointment_on,
                        "where": a.where,
                        "attended": a.attended,
                        "moved_from": a.previous_on,
                        "reason_for_the_change": a.change_reason,
                    }
                    for a in appointments.get(r.episode_id, [])
                ],
                "handovers": [
                    {
                        "service": h.referral.service_name,
                        "service_type": h.referral.get_service_type_display(),
                        "handed_over_on": h.referral.referred_on,
                        "first_appointment_on": h.referral.first_appointment_on,
                        "engagement": [
                            {
                                "when": c.get_kind_display(),
                                "checked_on": c.checked_on,
                                "engaged": c.engaged,
                                "notes": c.notes,
                            }
                            for c in h.checks.all()
                        ],
                    }
                    for h in handovers.get(r.episode_id, [])
                ],
                "support_plan": [
                    {
                        "area": _choice(n.area, n.get_area_display()),
                        "goal": n.goal,
                        "action": n.action,
                        "recorded_at": n.recorded_at,
                        "updates": [
                            {
                                "action": u.action,
                                "met_on": u.met_on,
                                "note": u.note,
                                "recorded_at": u.recorded_at,
                            }
                            for u in n.updates.all()
                        ],
                    }
                    for n in plans.get(r.episode_id, [])
                ],
                "contacts": [
                    {
                        "contact_on": c.contact_on,
                        "mode": _choice(c.mode, c.get_mode_display()),
                        "after_release": c.after_release,
                        "with_whom": c.with_whom,
                        "notes": c.notes,
                        "recorded_by": _user(c.recorded_by),
                    }
                    for c in sorted(contacts.get(r.episode_id, []), key=lambda c: c.recorded_at)
                ],
            }
        )
    return rows
