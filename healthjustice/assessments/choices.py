from django.db import models


class AssessmentMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    TELEPHONE = "telephone", "Telephone"


class ConsentPurpose(models.TextChoices):
    ASSESSMENT = "assessment", "The assessment itself"
    SHARE_POLICE = "share_police", "Sharing with the police"
    SHARE_CPS = "share_cps", "Sharing with the Crown Prosecution Service"
    SHARE_COURT = "share_court", "Sharing with the court"
    SHARE_PROBATION = "share_probation", "Sharing with probation"
    SHARE_YOT = "share_yot", "Sharing with the youth offending team"
    SHARE_GP = "share_gp", "Sharing with their GP"
    SHARE_CARER = "share_carer", "Sharing with a named carer"
    RESEARCH = "research", "Research and evaluation"


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CapacityOutcome(models.TextChoices):
    HAS_CAPACITY = "has_capacity", "Has capacity to decide"
    LACKS_CAPACITY = "lacks_capacity", "Lacks capacity to decide (best-interests decision)"


class Recipient(models.TextChoices):
    """Who a report or disclosure goes to; each has a consent purpose of its own."""

    POLICE = "police", "Police"
    CPS = "cps", "Crown Prosecution Service"
    COURT = "court", "Court"
    PROBATION = "probation", "Probation"
    YOT = "yot", "Youth offending team"
    GP = "gp", "GP"
    CARER = "carer", "Named carer"


SHARING_PURPOSE: dict[str, str] = {
    Recipient.POLICE: ConsentPurpose.SHARE_POLICE,
    Recipient.CPS: ConsentPurpose.SHARE_CPS,
    Recipient.COURT: ConsentPurpose.SHARE_COURT,
    Recipient.PROBATION: ConsentPurpose.SHARE_PROBATION,
    Recipient.YOT: ConsentPurpose.SHARE_YOT,
    Recipient.GP: ConsentPurpose.SHARE_GP,
    Recipient.CARER: ConsentPurpose.SHARE_CARER,
}

# Reports go to criminal-justice partners only.
REPORT_RECIPIENTS = (
    Recipient.POLICE,
    Recipient.CPS,
    Recipient.COURT,
    Recipient.PROBATION,
    Recipient.YOT,
)


class ReportType(models.TextChoices):
    CUSTODY_ADVICE = "custody_advice", "Custody advice"
    COURT_BAIL_REMAND = "court_bail_remand", "Court report for bail or remand"
    FITNESS_TO_PLEAD = "fitness_to_plead", "Advice on fitness to plead"
    PSR_INPUT = "psr_input", "Input to a pre-sentence report"
    MHTR_SUITABILITY = "mhtr_suitability", "Mental Health Treatment Requirement suitability"


class LawfulBasis(models.TextChoices):
    """Why a disclosure is lawful: consent, or a recorded basis for sharing without it."""

    CONSENT = "consent", "Consent to share with this recipient"
    SAFEGUARDING = "safeguarding", "Safeguarding a child or an adult at risk"
    SERIOUS_HARM = "serious_harm", "Preventing a serious risk of harm to the person or others"
    ADMINISTRATION_OF_JUSTICE = (
        "administration_of_justice",
        "Administration of justice or a legal obligation (for example, a court order)",
    )


WITHOUT_CONSENT = tuple(b for b in LawfulBasis if b != LawfulBasis.CONSENT)
JUSTIFICATION_MIN_LENGTH = 50
