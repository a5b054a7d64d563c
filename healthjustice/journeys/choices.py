from django.db import models


class Stage(models.TextChoices):
    """Every pathway's stages; journeys.stages says which belong to which, in what order."""

    # Liaison and Diversion
    IDENTIFIED = "identified", "Identified"
    SCREENED = "screened", "Screened"
    ASSESSED = "assessed", "Assessed"
    INTERVENTION = "intervention", "Intervention"
    # Mental Health Treatment Requirement and RECONNECT
    REFERRED = "referred", "Referred"
    SUITABILITY_ASSESSED = "suitability_assessed", "Suitability assessed"
    PSR_VIEW_GIVEN = "psr_view_given", "View given for the pre-sentence report"
    AWAITING_SENTENCE = "awaiting_sentence", "Awaiting sentence"
    ORDER_MADE = "order_made", "Order made"
    IN_TREATMENT = "in_treatment", "In treatment"
    # RECONNECT
    ELIGIBILITY_CHECKED = "eligibility_checked", "Eligibility checked"
    PRE_RELEASE = "pre_release", "Pre-release support"
    RELEASED = "released", "Released"
    POST_RELEASE = "post_release", "Post-release support"
    HANDED_OVER = "handed_over", "Handed over"
    # Every pathway ends here; the closure reason says how.
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
    """Every pathway's reasons for closing; journeys.stages says which each pathway offers."""

    COMPLETED = "completed", "Support completed or handed on"
    DECLINED = "declined", "Declined"
    NOT_APPROPRIATE = "not_appropriate", "Not appropriate"
    RELEASED_OR_TRANSFERRED = (
        "released_transferred",
        "Released or transferred before screening",
    )
    ALREADY_KNOWN = "already_known", "Already known to a service"
    DIED = "died", "Died"
    OTHER = "other", "Other"
    # Mental Health Treatment Requirement
    NOT_SUITABLE = "not_suitable", "Not suitable"
    NO_ORDER_MADE = "no_order_made", "No order made by the court"
    ORDER_COMPLETED = "order_completed", "Order completed"
    ORDER_REVOKED = "order_revoked", "Order revoked"
    ORDER_BREACHED = "order_breached", "Order breached"
    ORDER_TRANSFERRED = "order_transferred", "Order transferred"
    # RECONNECT
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    ENHANCED_SERVICE = "enhanced_service", "Referred to an enhanced service"
    RELEASE_CANCELLED = "release_cancelled", "Release cancelled or sentence extended"
    RECALLED = "recalled", "Recalled to custody"
    LOST_CONTACT = "lost_contact", "Lost contact"
    MOVED_OUT_OF_AREA = "moved_out_of_area", "Moved out of area"
    NEEDS_MET = "needs_met", "Needs met"


class EpisodeSetting(models.TextChoices):
    VOLUNTARY_ATTENDANCE = "voluntary_attendance", "Voluntary attendance"
    POLICE_CUSTODY = "police_custody", "Police custody"
    MAGISTRATES_COURT = "magistrates_court", "Magistrates' court"
    YOUTH_COURT = "youth_court", "Youth court"
    CROWN_COURT = "crown_court", "Crown Court"
    PROBATION = "probation", "Probation"
    COMMUNITY = "community", "Community"
    PRISON = "prison", "Prison"


class ReferralSource(models.TextChoices):
    POLICE = "police", "Police"
    CUSTODY_SERGEANT = "custody_sergeant", "Custody sergeant"
    COURT_STAFF = "court_staff", "Court staff"
    CPS = "cps", "Crown Prosecution Service"
    DEFENCE_SOLICITOR = "defence_solicitor", "Defence solicitor"
    PROBATION = "probation", "Probation"
    YOUTH_OFFENDING_TEAM = "yot", "Youth offending team"
    PRISON_HEALTHCARE = "prison_healthcare", "Prison healthcare"
    LIAISON_DIVERSION = "ld", "Liaison and Diversion"
    SELF = "self", "Self-referral"
    FAMILY_OR_CARER = "family_carer", "Family or carer"
    OTHER = "other", "Other"


class OffenceCategory(models.TextChoices):
    """Broad offence groups, after the Home Office offence classification."""

    VIOLENCE = "violence", "Violence against the person"
    SEXUAL = "sexual", "Sexual offences"
    ROBBERY = "robbery", "Robbery"
    THEFT = "theft", "Theft"
    CRIMINAL_DAMAGE_ARSON = "criminal_damage_arson", "Criminal damage and arson"
    DRUGS = "drugs", "Drug offences"
    WEAPONS = "weapons", "Possession of weapons"
    PUBLIC_ORDER = "public_order", "Public order offences"
    SOCIETY = "society", "Miscellaneous crimes against society"
    FRAUD = "fraud", "Fraud"
    MOTORING = "motoring", "Motoring offences"
    BREACH = "breach", "Breach of an order"
    OTHER = "other", "Other"


class ChargeStatus(models.TextChoices):
    NOT_CHARGED = "not_charged", "Not charged"
    RELEASED_UNDER_INVESTIGATION = "rui", "Released under investigation"
    BAILED_TO_RETURN = "bailed_to_return", "Bailed to return"
    CHARGED = "charged", "Charged"
    NO_FURTHER_ACTION = "nfa", "No further action"


class BailStatus(models.TextChoices):
    UNCONDITIONAL_BAIL = "unconditional_bail", "Unconditional bail"
    CONDITIONAL_BAIL = "conditional_bail", "Conditional bail"
    REMANDED_IN_CUSTODY = "remanded", "Remanded in custody"
    NOT_DECIDED = "not_decided", "Not yet decided"


class Disposal(models.TextChoices):
    NOT_YET_KNOWN = "not_yet_known", "Not yet known"
    OUT_OF_COURT = "out_of_court", "Out-of-court disposal"
    COMMUNITY_ORDER = "community_order", "Community order"
    SUSPENDED_SENTENCE = "suspended_sentence", "Suspended sentence order"
    CUSTODY = "custody", "Custodial sentence"
    DISCHARGE = "discharge", "Discharge"
    FINE = "fine", "Fine"
    REMAND_HOSPITAL_REPORT = (
        "mha_s35",
        "Remanded to hospital for a report on their mental health (Mental Health Act section 35)",
    )
    REMAND_HOSPITAL_TREATMENT = (
        "mha_s36",
        "Remanded to hospital for treatment (Mental Health Act section 36)",
    )
    INTERIM_HOSPITAL_ORDER = (
        "mha_s38",
        "Interim hospital order (Mental Health Act section 38)",
    )
    HOSPITAL_ORDER = "mha_s37", "Hospital order (Mental Health Act section 37)"
    HOSPITAL_ORDER_RESTRICTED = (
        "mha_s37_s41",
        "Hospital order with a restriction order (Mental Health Act sections 37 and 41)",
    )
    GUARDIANSHIP_ORDER = (
        "mha_s37_guardianship",
        "Guardianship order (Mental Health Act section 37)",
    )
    REFERRAL_ORDER = "referral_order", "Referral order (youth court)"
    YOUTH_REHABILITATION_ORDER = "yro", "Youth rehabilitation order (youth court)"
    OTHER = "other", "Other"


# Court outcomes that divert a person to health or youth services: counted on the dashboard.
# The one disposal list every pathway uses (L&D, MHTR, RECONNECT).
DIVERSION_DISPOSALS: tuple[Disposal, ...] = (
    Disposal.OUT_OF_COURT,
    Disposal.REMAND_HOSPITAL_REPORT,
    Disposal.REMAND_HOSPITAL_TREATMENT,
    Disposal.INTERIM_HOSPITAL_ORDER,
    Disposal.HOSPITAL_ORDER,
    Disposal.HOSPITAL_ORDER_RESTRICTED,
    Disposal.GUARDIANSHIP_ORDER,
    Disposal.REFERRAL_ORDER,
    Disposal.YOUTH_REHABILITATION_ORDER,
)


class CustodyEventKind(models.TextChoices):
    """What can happen to the PACE detention clock (see docs/custody-clock.md)."""

    EXTENSION = "extension", "Extension by a superintendent (PACE s.42)"
    WARRANT = "warrant", "Warrant of further detention (PACE ss.43 and 44)"
    LEFT = "left", "Left custody"


class AuthorisingRank(models.TextChoices):
    """Ranks that may extend detention under PACE s.42: superintendent or above."""

    SUPERINTENDENT = "superintendent", "Superintendent"
    CHIEF_SUPERINTENDENT = "chief_superintendent", "Chief superintendent"
    ASSISTANT_CHIEF_CONSTABLE = "acc", "Assistant chief constable or commander"
    DEPUTY_CHIEF_CONSTABLE = "dcc", "Deputy chief constable or deputy assistant commissioner"
    CHIEF_CONSTABLE = "chief_constable", "Chief constable, commissioner or assistant commissioner"


class CustodyOutcome(models.TextChoices):
    """How the person left police custody; leaving stops the detention clock."""

    RELEASED_NFA = "released_nfa", "Released with no further action"
    RELEASED_UNDER_INVESTIGATION = "rui", "Released under investigation"
    BAILED = "bailed", "Released on bail"
    CHARGED_KEPT_FOR_COURT = "charged_kept", "Charged and kept in custody for court"
    TRANSFERRED = "transferred", "Transferred to another police station or agency"
    SECTIONED = "sectioned", "Detained under the Mental Health Act"


class Plea(models.TextChoices):
    NOT_ENTERED = "not_entered", "Not yet entered"
    GUILTY = "guilty", "Guilty"
    NOT_GUILTY = "not_guilty", "Not guilty"
    MIXED = "mixed", "Guilty to some charges, not guilty to others"
