"""The MHTR pathway's writes: referral from L&D, suitability, the court's outcome, sessions,
compliance notices to probation. Each checks every rule before writing anything. Grouped by step;
import them from here."""

from .notices import notice_content, notice_create, notice_send, probation_response_record
from .order import OrderInput, clinician_number_error, no_order_record, order_record
from .psr import CARRIED_CJ_FIELDS, psr_due_record
from .referral import referral_from_ld
from .rules import (
    ADULT_AGE,
    BEFORE_SENTENCE,
    GMC_NUMBER,
    HCPC_NUMBER,
    MAX_ORDER_MONTHS,
    UNDER_ORDER,
    age_on,
)
from .sessions import session_outcome_record, session_schedule
from .suitability import SuitabilityInput, suitability_record, unmet_conditions, unmet_conditions_of

__all__ = [
    "ADULT_AGE",
    "BEFORE_SENTENCE",
    "CARRIED_CJ_FIELDS",
    "GMC_NUMBER",
    "HCPC_NUMBER",
    "MAX_ORDER_MONTHS",
    "UNDER_ORDER",
    "OrderInput",
    "SuitabilityInput",
    "age_on",
    "clinician_number_error",
    "no_order_record",
    "notice_content",
    "notice_create",
    "notice_send",
    "order_record",
    "probation_response_record",
    "psr_due_record",
    "referral_from_ld",
    "session_outcome_record",
    "session_schedule",
    "suitability_record",
    "unmet_conditions",
    "unmet_conditions_of",
]
