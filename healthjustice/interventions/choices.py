from django.db import models


class ServiceType(models.TextChoices):
    MENTAL_HEALTH = "mental_health", "Mental health"
    LEARNING_DISABILITY = "learning_disability", "Learning disability"
    DRUGS_ALCOHOL = "drugs_alcohol", "Drugs and alcohol"
    GP = "gp", "GP"
    HOUSING = "housing", "Housing"
    BENEFITS_DEBT = "benefits_debt", "Benefits and debt"
    SOCIAL_CARE = "social_care", "Social care"
    EMPLOYMENT = "employment", "Employment"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    OTHER = "other", "Other"


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", "Waiting for the first appointment"
    ENGAGED = "engaged", "Engaged with the service"
    DID_NOT_ATTEND = "dna", "Did not attend"
    DECLINED = "declined", "Declined by the person"
    NOT_ACCEPTED = "not_accepted", "Not accepted by the service"
    OTHER = "other", "Other"
