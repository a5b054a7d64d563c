"""The RECONNECT pathway's writes: the referral (by the team, from an L&D episode, or from a
prison's release list), eligibility, the release details, the moves through pre-release support,
release, post-release support and handover, the support plan, contacts, release day planning and
the support worker. Each checks every rule before writing anything; every stage change goes
through `journeys.services.episode_move`. Grouped by step; import them from here."""

from ._common import (
    ADULT_AGE,
    AFTER_RELEASE,
    BEFORE_ELIGIBLE,
    BEFORE_RELEASE,
    CONTACT_STAGES,
    PLAN_STAGES,
    WINDOW_AFTER_RELEASE,
    WINDOW_BEFORE_RELEASE,
    age_on,
    is_team_leader,
)
from .contacts import (
    ContactInput,
    contact_record,
)
from .eligibility import (
    EligibilityInput,
    eligibility_record,
    unmet_conditions,
    unmet_conditions_of,
)
from .handover import (
    FOUR_WEEKS,
    HANDOVER_STAGES,
    NO_HANDOVER,
    HandoverInput,
    engagement_check_record,
    handed_over_move,
    handover_record,
    next_check,
)
from .post_release import (
    EXTENSION_STAGES,
    RECALL_STAGES,
    extension_approve,
    post_release_start,
    recall_record,
)
from .pre_release import (
    pre_release_start,
)
from .referral import (
    ReferralInput,
    Window,
    referral_from_ld,
    referral_from_release,
    referral_record,
)
from .release import (
    ReleaseInput,
    release_details_save,
    release_record,
)
from .release_day import (
    FIRST_WEEK,
    GATE_PLAN_STAGES,
    appointment_attendance,
    appointment_book,
    appointment_change,
    gate_meet_record,
    gate_plan_record,
)
from .support_plan import (
    plan_need_add,
    plan_need_update,
)
from .workers import (
    support_worker_allocate,
)

__all__ = [
    "ADULT_AGE",
    "AFTER_RELEASE",
    "BEFORE_ELIGIBLE",
    "BEFORE_RELEASE",
    "CONTACT_STAGES",
    "EXTENSION_STAGES",
    "FIRST_WEEK",
    "FOUR_WEEKS",
    "GATE_PLAN_STAGES",
    "HANDOVER_STAGES",
    "NO_HANDOVER",
    "PLAN_STAGES",
    "RECALL_STAGES",
    "WINDOW_AFTER_RELEASE",
    "WINDOW_BEFORE_RELEASE",
    "ContactInput",
    "EligibilityInput",
    "HandoverInput",
    "ReferralInput",
    "ReleaseInput",
    "Window",
    "age_on",
    "appointment_attendance",
    "appointment_book",
    "appointment_change",
    "contact_record",
    "eligibility_record",
    "engagement_check_record",
    "extension_approve",
    "gate_meet_record",
    "gate_plan_record",
    "handed_over_move",
    "handover_record",
    "is_team_leader",
    "next_check",
    "plan_need_add",
    "plan_need_update",
    "post_release_start",
    "pre_release_start",
    "recall_record",
    "referral_from_ld",
    "referral_from_release",
    "referral_record",
    "release_details_save",
    "release_record",
    "support_worker_allocate",
    "unmet_conditions",
    "unmet_conditions_of",
]
