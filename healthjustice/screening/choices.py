from django.db import models


class Vulnerability(models.TextChoices):
    MENTAL_HEALTH = "mental_health", "Mental health"
    SELF_HARM_SUICIDE = "self_harm_suicide", "Self-harm or suicide risk"
    LEARNING_DISABILITY = "learning_disability", "Learning disability"
    AUTISM = "autism", "Autism"
    ADHD = "adhd", "ADHD"
    SLCN = "slcn", "Speech, language and communication needs"
    DRUGS = "drugs", "Drugs"
    ALCOHOL = "alcohol", "Alcohol"
    TRAUMA = "trauma", "Trauma, including domestic or sexual abuse"
    HOUSING = "housing", "Housing and homelessness"
    FINANCE_DEBT = "finance_debt", "Finance and debt"
    SOCIAL_ISOLATION = "social_isolation", "Social isolation"
    PHYSICAL_HEALTH = "physical_health", "Physical health"
    VETERAN = "veteran", "Veteran"
    SAFEGUARDING_CHILD = "safeguarding_child", "Safeguarding: a child"
    SAFEGUARDING_ADULT = "safeguarding_adult", "Safeguarding: an adult"
    CHARGE_RELATED = "charge_related", "Charge-related vulnerability"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    SOON = "soon", "Soon (today)"
    URGENT = "urgent", "Urgent (within the hour)"
    IMMEDIATE = "immediate", "Immediate"


RISK_RANK = {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}
URGENCY_RANK = {Urgency.ROUTINE: 1, Urgency.SOON: 2, Urgency.URGENT: 3, Urgency.IMMEDIATE: 4}
