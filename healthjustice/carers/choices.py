from django.db import models


class SecureLevel(models.TextChoices):
    HIGH_SECURE = "high_secure", "High secure hospital"
    MEDIUM_SECURE = "medium_secure", "Medium secure"
    LOW_SECURE = "low_secure", "Low secure"
    FORENSIC_COMMUNITY = "forensic_cmht", "Forensic community mental health team"
    LOCKED_REHAB = "locked_rehab", "Locked-door rehabilitation"
    LD_SECURE = "ld_secure", "Low or medium secure learning-disability ward"


class ShareCategory(models.TextChoices):
    """What a patient may agree to share with a carer, in the words carers see."""

    WELLBEING = "wellbeing", "General wellbeing"
    CARE_PLAN = "care_plan", "Care plan"
    LEAVE_DISCHARGE = "leave_discharge", "Leave and discharge plans"
    MEETINGS = "meetings", "Meetings, such as care programme approach reviews and tribunals"
    MEDICATION = "medication", "Medication"
    PROGRESS_NOTES = "progress_notes", "Progress notes written for the carer"


SHORT_CATEGORY_LABELS = {
    ShareCategory.WELLBEING: "Wellbeing",
    ShareCategory.CARE_PLAN: "Care plan",
    ShareCategory.LEAVE_DISCHARGE: "Leave and discharge",
    ShareCategory.MEETINGS: "Meetings",
    ShareCategory.MEDICATION: "Medication",
    ShareCategory.PROGRESS_NOTES: "Progress notes",
}


def category_labels(values: list[str]) -> list[str]:
    labels = dict(ShareCategory.choices)
    return [str(labels.get(v, v)) for v in values]


class Relationship(models.TextChoices):
    PARENT = "parent", "Parent"
    PARTNER = "partner", "Partner, husband or wife"
    CHILD = "child", "Son or daughter"
    SIBLING = "sibling", "Brother or sister"
    GRANDPARENT = "grandparent", "Grandparent"
    OTHER_RELATIVE = "other_relative", "Other relative"
    FRIEND = "friend", "Friend"
    OTHER = "other", "Other"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    PORTAL = "portal", "Message in the carers' portal"


class ContactTime(models.TextChoices):
    ANY = "any", "Any time"
    MORNING = "morning", "Mornings (9am to 12pm)"
    AFTERNOON = "afternoon", "Afternoons (12pm to 5pm)"
    EVENING = "evening", "Early evenings (5pm to 8pm)"


class ContactMode(models.TextChoices):
    """How a contact with a carer happened, for the contact log."""

    PHONE = "phone", "Phone call"
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    TEXT = "text", "Text message"
    PORTAL_MESSAGE = "portal_message", "Message in the carers' portal"
    MEETING = "meeting", "Meeting, such as a care programme approach review"


class ContactDirection(models.TextChoices):
    FROM_CARER = "from_carer", "From the carer"
    TO_CARER = "to_carer", "To the carer"


class LawfulBasis(models.TextChoices):
    """Reasons information may be shared without the patient's consent (always reviewed)."""

    SAFEGUARDING = "safeguarding", "Safeguarding a child or an adult at risk"
    SERIOUS_RISK = "serious_risk", "Serious risk of harm to the patient or to others"
    REQUIRED_BY_LAW = "required_by_law", "Required by law or a court order"


class Capacity(models.TextChoices):
    HAS_CAPACITY = "has_capacity", "Assessed: has capacity to make this decision"
    LACKS_CAPACITY = "lacks_capacity", "Assessed: lacks capacity, best-interests decision made"
    NOT_ASSESSED = "not_assessed", "Not assessed: capacity is assumed"


class AgreementEnd(models.TextChoices):
    WITHDRAWN = "withdrawn", "Withdrawn by the patient"
    REPLACED = "replaced", "Replaced by a newer agreement"
    RELATIONSHIP_ENDED = "ended", "Ended: no longer a carer for the patient"


class AssessmentOutcome(models.TextChoices):
    AWAITING = "awaiting", "Waiting for the local authority"
    SUPPORT_PLAN = "support_plan", "Eligible: support plan agreed"
    ADVICE_ONLY = "advice_only", "Not eligible: given advice and information"
    DECLINED = "declined", "The carer did not want an assessment"


class OtherSupport(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One-to-one time with staff"
    CARERS_GROUP = "carers_group", "Carers' support group"
    PEER_SUPPORT = "peer_support", "Peer support from another carer"
    EDUCATION = "education", "Carers' education or training"
    FAMILY_WORK = "family_work", "Family therapy or family work"
    ADVOCACY = "advocacy", "Advocacy"
    CARERS_CENTRE = "carers_centre", "Referral to a local carers' centre"


class ReviewOutcome(models.TextChoices):
    APPROPRIATE = "appropriate", "Sharing was appropriate"
    INAPPROPRIATE = "inappropriate", "Sharing was not appropriate: follow-up needed"


class MeetingKind(models.TextChoices):
    CPA_REVIEW = "cpa_review", "Care programme approach review"
    TRIBUNAL = "tribunal", "Mental health tribunal"
    MANAGERS_HEARING = "managers_hearing", "Hospital managers' hearing"
    WARD_ROUND = "ward_round", "Ward round"
    FAMILY_MEETING = "family_meeting", "Family meeting"
    OTHER = "other", "Other meeting"
