from django.db import models


class Stage(models.TextChoices):
    IDENTIFIED = "identified", "Identified"
    SCREENED = "screened", "Screened"
    ASSESSED = "assessed", "Assessed"
    INTERVENTION = "intervention", "Intervention"
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
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
    SELF = "self", "Self-referral"
    FAMILY_OR_CARER = "family_carer", "Family or carer"
    OTHER = "other", "Other"
