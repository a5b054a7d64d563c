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
    # Kept for consents recorded before carers' sharing agreements were the one record:
    # consent to share with a carer is now the carer's sharing agreement (`carers`).
    SHARE_CARER = "share_carer", "Sharing with a named carer"
    RESEARCH = "research", "Research and evaluation"
    # Sentencing Act 2020 Sch 9 para 17: a treatment requirement needs the person's willingness
    # to comply, given before sentence; withdrawing it before sentence ends the proposal.
    MHTR = "mhtr", "Willingness to comply with a Mental Health Treatment Requirement"


# Purposes recorded on the consent page; sharing with a carer is recorded as the carer's
# sharing agreement, which holds what may be shared, capacity, review and withdrawal.
RECORDABLE_PURPOSES = tuple(p for p in ConsentPurpose if p != ConsentPurpose.SHARE_CARER)


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
    # The MHTR team's view for probation's pre-sentence report (declared by the mhtr app).
    MHTR_SUITABILITY = (
        "mhtr_suitability",
        "Mental Health Treatment Requirement: view for the pre-sentence report",
    )
    MHTR_END_OF_TREATMENT = (
        "mhtr_end_letter",
        "Mental Health Treatment Requirement: end-of-treatment letter",
    )


class LawfulBasis(models.TextChoices):
    """The common-law basis for a disclosure: the duty of confidentiality is met by one of these.

    Consent is the person's own decision. A best-interests decision (Mental Capacity Act 2005,
    section 4) is made for someone who lacks capacity to decide: it is not consent. The rest
    are overriding public interest or a legal requirement, each justified in writing.
    """

    CONSENT = "consent", "Consent to share with this recipient"
    BEST_INTERESTS = (
        "best_interests",
        "Best-interests decision for a person who lacks capacity (Mental Capacity Act 2005, s.4)",
    )
    SAFEGUARDING = (
        "safeguarding",
        "Overriding public interest: safeguarding a child or an adult at risk",
    )
    SERIOUS_HARM = (
        "serious_harm",
        "Overriding public interest: preventing a serious risk of harm to the person or others",
    )
    ADMINISTRATION_OF_JUSTICE = (
        "administration_of_justice",
        "Required by law or the administration of justice (for example, a court order)",
    )


# Bases that rest on a recorded decision about sharing (the person's, or made for them).
DECISION_BASES = (LawfulBasis.CONSENT, LawfulBasis.BEST_INTERESTS)
WITHOUT_CONSENT = tuple(b for b in LawfulBasis if b not in DECISION_BASES)
JUSTIFICATION_MIN_LENGTH = 50


class Article6Basis(models.TextChoices):
    """UK GDPR Article 6(1): the lawful basis for processing any personal data."""

    PUBLIC_TASK = (
        "6_1_e",
        "Article 6(1)(e): a task in the public interest or in the exercise of official authority",
    )
    LEGAL_OBLIGATION = "6_1_c", "Article 6(1)(c): a legal obligation"
    VITAL_INTERESTS = "6_1_d", "Article 6(1)(d): to protect someone's vital interests"


class Article9Condition(models.TextChoices):
    """UK GDPR Article 9(2) condition for health data, with its DPA 2018 Schedule 1 condition."""

    HEALTH_CARE = (
        "9_2_h_s1_2",
        "Article 9(2)(h) health or social care, with DPA 2018 Schedule 1, Part 1, "
        "paragraph 2 (health or social care purposes)",
    )
    SAFEGUARDING = (
        "9_2_g_s1_18",
        "Article 9(2)(g) substantial public interest, with DPA 2018 Schedule 1, Part 2, "
        "paragraph 18 (safeguarding of children and of individuals at risk)",
    )
    JUSTICE = (
        "9_2_g_s1_7",
        "Article 9(2)(g) substantial public interest, with DPA 2018 Schedule 1, Part 2, "
        "paragraph 7 (administration of justice)",
    )
    STATUTORY = (
        "9_2_g_s1_6",
        "Article 9(2)(g) substantial public interest, with DPA 2018 Schedule 1, Part 2, "
        "paragraph 6 (statutory and government purposes)",
    )
    COURTS = (
        "9_2_f",
        "Article 9(2)(f) legal claims, or courts acting in their judicial capacity "
        "(no Schedule 1 condition is needed)",
    )
    VITAL_INTERESTS = (
        "9_2_c",
        "Article 9(2)(c) vital interests of a person who cannot give consent "
        "(no Schedule 1 condition is needed)",
    )


class Article10Condition(models.TextChoices):
    """The condition for criminal-offence data: DPA 2018 section 10(5) and Schedule 1."""

    HEALTH_CARE = (
        "s1_2",
        "DPA 2018 Schedule 1, Part 1, paragraph 2 (health or social care purposes)",
    )
    STATUTORY = (
        "s1_6",
        "DPA 2018 Schedule 1, Part 2, paragraph 6 (statutory and government purposes)",
    )
    JUSTICE = "s1_7", "DPA 2018 Schedule 1, Part 2, paragraph 7 (administration of justice)"
    UNLAWFUL_ACTS = (
        "s1_10",
        "DPA 2018 Schedule 1, Part 2, paragraph 10 (preventing or detecting unlawful acts)",
    )
    SAFEGUARDING = (
        "s1_18",
        "DPA 2018 Schedule 1, Part 2, paragraph 18 "
        "(safeguarding of children and of individuals at risk)",
    )
    CONSENT = "s1_29", "DPA 2018 Schedule 1, Part 3, paragraph 29 (consent)"
    VITAL_INTERESTS = "s1_30", "DPA 2018 Schedule 1, Part 3, paragraph 30 (vital interests)"
    LEGAL_CLAIMS = "s1_33", "DPA 2018 Schedule 1, Part 3, paragraph 33 (legal claims)"
    JUDICIAL_ACTS = "s1_34", "DPA 2018 Schedule 1, Part 3, paragraph 34 (judicial acts)"
