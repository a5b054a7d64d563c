from django.db import models

from healthjustice.journeys.choices import ReferralSource


class Referrer(models.TextChoices):
    PRISON_HEALTHCARE = "prison_healthcare", "Prison healthcare"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse team"
    PROBATION = "probation", "Offender manager or probation"
    LIAISON_DIVERSION = "ld", "Liaison and Diversion"
    SELF = "self", "Self-referral"
    FAMILY_OR_FRIEND = "family_friend", "Family or friend"
    RELEASE_LIST = "release_list", "A prison's release list"


# Who may be chosen on the referral form: L&D refers from its own episode, a release list
# through its import.
FORM_REFERRERS = [
    (value, label)
    for value, label in Referrer.choices
    if value not in (Referrer.LIAISON_DIVERSION, Referrer.RELEASE_LIST)
]

# The episode's referral source (journeys' list, shared by every pathway).
REFERRAL_SOURCE_FOR: dict[str, str] = {
    Referrer.PRISON_HEALTHCARE: ReferralSource.PRISON_HEALTHCARE,
    Referrer.SUBSTANCE_MISUSE: ReferralSource.OTHER,
    Referrer.PROBATION: ReferralSource.PROBATION,
    Referrer.LIAISON_DIVERSION: ReferralSource.LIAISON_DIVERSION,
    Referrer.SELF: ReferralSource.SELF,
    Referrer.FAMILY_OR_FRIEND: ReferralSource.FAMILY_OR_CARER,
    Referrer.RELEASE_LIST: ReferralSource.PRISON_HEALTHCARE,
}


class CustodyStatus(models.TextChoices):
    SENTENCED = "sentenced", "Serving a sentence in prison"
    REMAND = "remand", "On remand in prison"
    ROTL = "rotl", "In prison, on release on temporary licence"
    IRC = "irc", "Detained in an immigration removal centre"
    RELEASED = "released", "Released from a prison or removal centre in the last 28 days"
    NOT_IN_CUSTODY = "not_in_custody", "None of these"


IN_CUSTODY = (
    CustodyStatus.SENTENCED,
    CustodyStatus.REMAND,
    CustodyStatus.ROTL,
    CustodyStatus.IRC,
    CustodyStatus.RELEASED,
)


class EnhancedService(models.TextChoices):
    ENHANCED_RECONNECT = "enhanced_reconnect", "Enhanced RECONNECT"
    IIRMS = "iirms", "Intensive intervention and risk management service (IIRMS)"
    RESIDENTIAL_REHAB = "residential_rehab", "Residential rehabilitation"


class EligibilityOutcome(models.TextChoices):
    ELIGIBLE = "eligible", "Eligible"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    ENHANCED = "enhanced", "Eligible for an enhanced service, and referred there"


class ReleaseType(models.TextChoices):
    END_OF_SENTENCE = "end_of_sentence", "End of sentence"
    LICENCE = "licence", "On licence"
    HOME_DETENTION_CURFEW = "hdc", "Home detention curfew"
    REMAND = "remand", "Release from remand"
    TEMPORARY_LICENCE = "rotl", "Release on temporary licence"


class Accommodation(models.TextChoices):
    SETTLED = "settled", "Settled accommodation"
    TEMPORARY = "temporary", "Temporary accommodation"
    NONE = "none", "No accommodation"


class ContactMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    TELEPHONE = "telephone", "Telephone"
    LETTER = "letter", "Letter"


class NeedArea(models.TextChoices):
    GP_REGISTRATION = "gp", "GP registration"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SUBSTANCE_USE = "substance_use", "Substance use"
    PHYSICAL_HEALTH = "physical_health", "Physical health"
    HOUSING = "housing", "Housing"
    BENEFITS_ID = "benefits_id", "Benefits and ID"
    EMPLOYMENT = "employment", "Employment or education"
    FAMILY = "family", "Family and relationships"


class EngagementCheckKind(models.TextChoices):
    FIRST_APPOINTMENT = "first_appointment", "At the first appointment"
    FOUR_WEEKS = "four_weeks", "After 4 weeks"


class AppointmentKind(models.TextChoices):
    GP = "gp", "GP"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse service"
    HOUSING = "housing", "Housing"
    JOBCENTRE = "jobcentre", "Jobcentre"
