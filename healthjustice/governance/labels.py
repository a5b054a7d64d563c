"""Audit events in words: one mapping used by every information-governance page and export.

An event is an action (`Action`) done to a kind of thing (`object_type`). The page says it as a
sentence a reader outside the team understands: "Criminal-justice details viewed", never
"view cj_context". A test checks every action, and every object type the code records, is here.
"""

from __future__ import annotations

from typing import Any

from healthjustice.audit.models import Action

# What was done, as a past participle after the thing ("Assessment recorded").
ACTION_VERBS: dict[str, str] = {
    Action.VIEW: "viewed",
    Action.SEARCH: "searched",
    Action.CREATE: "recorded",
    Action.UPDATE: "changed",
    Action.DELETE: "deleted",
    Action.EXPORT: "exported",
    Action.BREAK_GLASS: "opened under break-glass",
    Action.REVIEW: "reviewed",
    Action.SIGN_IN: "signed in",
    Action.SIGN_IN_FAILED: "sign-in failed",
    Action.SIGN_OUT: "signed out",
    Action.DENIED: "refused",
    Action.VERIFY: "verified",
}

# Events that are about the person or session, not a thing: said whole.
ACTION_ONLY: dict[str, str] = {
    Action.SIGN_IN: "Signed in",
    Action.SIGN_IN_FAILED: "Sign-in failed",
    Action.SIGN_OUT: "Signed out",
}

# What it was done to, written as it reads mid-sentence.
OBJECT_LABELS: dict[str, str] = {
    "assessment": "assessment",
    "audit_break_glass": "list of break-glass access to review",
    "audit_person_events": "audit trail of a person",
    "audit_trail": "audit trail",
    "audit_user_events": "audit trail of a member of staff",
    "break_glass": "break-glass access",
    "carer": "carer's record",
    "carer_account": "carer's portal account",
    "carer_contact": "contact with a carer",
    "carer_flagged_shares": "list of shares with carers made without consent",
    "carer_information_page": "information page for carers",
    "carer_invitation": "invitation to the carers' portal",
    "carer_message": "message from a carer",
    "carer_message_reply": "reply to a carer",
    "carer_portal": "carers' portal",
    "carer_relationship": "carer's relationship to a patient",
    "carer_shared_item": "information shared with a carer",
    "carer_support": "support for a carer",
    "carers_report": "Triangle of Care report",
    "carers_work_list": "carers' work list",
    "cj_context": "criminal-justice details",
    "closure_outcome": "outcome at closure",
    "consent": "consent decision",
    "data_return": "monthly data return",
    "data_return_export": "monthly data return",
    "episode": "episode",
    "external_screen": "screening done elsewhere",
    "follow_up_list": "follow-up list",
    "imported_list": "custody, court or release list",
    "caseload_transfer": "caseload transferred from a previous provider",
    "list_row": "person named on a custody, court or release list",
    "duplicate_scan": "search of the register for duplicates",
    "proposed_pair": "possible duplicate pair",
    "proposed_pairs": "queue of possible duplicates",
    "instrument_administration": "screening questionnaire",
    "mhtr_dashboard": "MHTR dashboard",
    "reconnect_dashboard": "RECONNECT dashboard",
    "equity_figures": "race equity figures",
    "census_population": "census population figures",
    "local_authority": "local authority of a region",
    "mhtr_measure": "MHTR measure (PHQ-9, GAD-7 or CORE-10)",
    "mhtr_notice": "MHTR compliance notice",
    "mhtr_notice_disclosure": "MHTR compliance notice sent to probation",
    "mhtr_order": "court's outcome on an MHTR",
    "mhtr_probation_response": "what probation did about an MHTR absence",
    "mhtr_referral": "MHTR referral",
    "mhtr_session": "MHTR session",
    "mhtr_suitability": "MHTR suitability assessment",
    "onward_referral": "onward referral",
    "reconnect_eligibility": "RECONNECT eligibility check",
    "reconnect_referral": "RECONNECT referral",
    "reconnect_release": "RECONNECT release details",
    "reconnect_contact": "RECONNECT contact with the person",
    "reconnect_plan_need": "need in a RECONNECT support plan",
    "reconnect_gate_meet": "RECONNECT gate meet",
    "reconnect_extension": "extension of RECONNECT support after release",
    "reconnect_recall": "RECONNECT recall to custody",
    "reconnect_gate_plan": "RECONNECT plan for the gate meet",
    "reconnect_appointment": "RECONNECT first-week appointment",
    "reconnect_support_worker": "RECONNECT allocation of a support worker",
    "reconnect_handover": "RECONNECT handover to a community service",
    "reconnect_engagement_check": "RECONNECT check of engagement with a community service",
    "feedback": "feedback about a team",
    "feedback_action": "action taken on feedback",
    "feedback_reply_contact": "contact details for a reply to feedback",
    "feedback_list": "list of a team's feedback",
    "pcref_action": "PCREF plan action",
    "pcref_involvement": "involvement register record",
    "pcref_involvement_list": "involvement register",
    "pcref_board_report": "PCREF board report",
    "page": "page",
    "patient_carers": "patient's carers and secure-service stays",
    "membership": "team membership",
    "person": "person record",
    "person_merge": "merge of two records",
    "person_merges": "list of merged records",
    "report": "report to a criminal-justice partner",
    "restriction": "restriction of a record",
    "risk_alert": "risk alert",
    "screening": "screening",
    "secure_stay": "secure-service stay",
    "service_dashboard": "service dashboard",
    "sharing_agreement": "carer sharing agreement",
    "user": "staff account",
    "worklist": "worklist",
}

# Pairs that read better said another way.
EVENT_LABELS: dict[tuple[str, str], str] = {
    (Action.EXPORT, "report"): "Report issued to a criminal-justice partner",
    (Action.SEARCH, "person"): "People searched",
    (Action.BREAK_GLASS, "person"): "Person record opened under break-glass",
    (Action.VERIFY, "audit_trail"): "Audit trail verified",
    (Action.CREATE, "person"): "Person registered",
}


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def object_label(object_type: str) -> str:
    """The thing, as a heading ("Criminal-justice details"); unknown kinds in plain words."""
    return _sentence(OBJECT_LABELS.get(object_type, object_type.replace("_", " ")))


def event_label(action: str, object_type: str, detail: dict[str, Any] | None = None) -> str:
    """The event as a short sentence: "Criminal-justice details viewed"."""
    detail = detail if isinstance(detail, dict) else {}
    if action == Action.EXPORT and detail.get("purpose") == "subject_access_request":
        kind = {"pdf": " (PDF)", "json": " (JSON)"}.get(str(detail.get("format", "")), "")
        return f"Subject access export{kind}"
    if action in ACTION_ONLY:
        return ACTION_ONLY[action]
    if (action, object_type) in EVENT_LABELS:
        return EVENT_LABELS[(action, object_type)]
    thing = OBJECT_LABELS.get(object_type, object_type.replace("_", " ")) or "something"
    if action == Action.DENIED:
        return f"Access refused: {thing}"
    verb = ACTION_VERBS.get(action, action.replace("_", " "))
    return _sentence(f"{thing} {verb}")
