from django.db import models


class ReferralRoute(models.TextChoices):
    LIAISON_DIVERSION = "ld", "Liaison and Diversion episode"
    PROBATION = "probation", "Probation"
    COURT = "court", "The court"
    DEFENCE_SOLICITOR = "defence_solicitor", "Defence solicitor"
    SELF = "self", "Self-referral"


class AssessmentMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    VIDEO = "video", "By video call"


class GuiltStatus(models.TextChoices):
    PLEADED_GUILTY = "pleaded_guilty", "Pleaded guilty"
    FOUND_GUILTY = "found_guilty", "Found guilty"
    PLEA_EXPECTED = "plea_expected", "Guilty plea expected"
    NOT_GUILTY = "not_guilty", "Pleading not guilty"


GUILT_HOLDS = (GuiltStatus.PLEADED_GUILTY, GuiltStatus.FOUND_GUILTY, GuiltStatus.PLEA_EXPECTED)


class Tier(models.TextChoices):
    PRIMARY = "primary", "Primary care MHTR"
    SECONDARY = "secondary", "Secondary care MHTR"


class GpStatus(models.TextChoices):
    REGISTERED = "registered", "Registered with a GP"
    WILLING = "willing", "Not registered, but eligible and willing to register"
    NEITHER = "neither", "Not registered and not willing to register"


GP_HOLDS = (GpStatus.REGISTERED, GpStatus.WILLING)


class Suitability(models.TextChoices):
    SUITABLE = "suitable", "Suitable"
    NOT_SUITABLE = "not_suitable", "Not suitable"


class OrderType(models.TextChoices):
    COMMUNITY_ORDER = "community_order", "Community order"
    SUSPENDED_SENTENCE = "suspended_sentence", "Suspended sentence order"


class TreatmentType(models.TextChoices):
    """Sentencing Act 2020 Sch 9 para 16: the three kinds of mental health treatment."""

    PRACTITIONER = "practitioner", "Practitioner-based"
    OUT_PATIENT = "out_patient", "Institution-based out-patient"
    IN_PATIENT = "in_patient", "In-patient (not in high-security hospital premises)"


class Register(models.TextChoices):
    GMC = "gmc", "General Medical Council (registered medical practitioner)"
    HCPC = "hcpc", "Health and Care Professions Council (registered psychologist)"


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    VIDEO = "video", "By video call"


class SessionOutcome(models.TextChoices):
    ATTENDED = "attended", "Attended"
    CANCELLED_ACCEPTABLE = "cancelled_acceptable", "Cancelled by the person, acceptable reason"
    CANCELLED_UNACCEPTABLE = (
        "cancelled_unacceptable",
        "Cancelled by the person, no acceptable reason",
    )
    DID_NOT_ATTEND = "dna", "Did not attend"
    CANCELLED_BY_SERVICE = "cancelled_service", "Cancelled by the service"


# Absences probation must be told of (a compliance notice).
ABSENCES = (SessionOutcome.DID_NOT_ATTEND, SessionOutcome.CANCELLED_UNACCEPTABLE)
# Outcomes that need the person's reason written down.
NEEDS_REASON = (SessionOutcome.CANCELLED_ACCEPTABLE, SessionOutcome.CANCELLED_UNACCEPTABLE)


class NoticeMethod(models.TextChoices):
    SECURE_EMAIL = "secure_email", "Secure email"
    PHONE = "phone", "Phone, confirmed in writing"
    CASE_SYSTEM = "case_system", "Probation's case-management system"
    OTHER = "other", "Other"


class ProbationAction(models.TextChoices):
    """What probation did about an absence; the service records it, it does not decide it."""

    NO_ACTION = "no_action", "No action"
    WARNING = "warning", "Warning issued"
    BREACH_PROCEEDINGS = "breach", "Breach proceedings started"
    ORDER_REVOKED = "revoked", "Order revoked"
    ORDER_AMENDED = "amended", "Order amended"


class MeasureOccasion(models.TextChoices):
    """When an MHTR measure was taken."""

    ASSESSMENT = "assessment", "At the suitability assessment"
    SESSION = "session", "At a session"
    END = "end", "At the end of treatment"
