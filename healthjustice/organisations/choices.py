from django.db import models


class Pathway(models.TextChoices):
    LIAISON_DIVERSION = "ld", "Liaison and Diversion"
    MHTR = "mhtr", "Mental Health Treatment Requirement"
    RECONNECT = "reconnect", "RECONNECT"
    CARERS = "carers", "Carers' support"


class CareSetting(models.TextChoices):
    POLICE_CUSTODY = "police_custody", "Police custody"
    COURT = "court", "Court"
    PRISON = "prison", "Prison"
    COMMUNITY = "community", "Community"
    PROBATION = "probation", "Probation"


class SiteKind(models.TextChoices):
    CUSTODY_SUITE = "custody_suite", "Police custody suite"
    COURT = "court", "Court"
    PRISON = "prison", "Prison"
    IMMIGRATION_REMOVAL_CENTRE = "irc", "Immigration removal centre"
    COMMUNITY_BASE = "community_base", "Community base"


class WorkerType(models.TextChoices):
    """What kind of worker a member of a team is, beside their role (which gives permissions):
    RECONNECT allocates people to these workers."""

    PEER_SUPPORT = "peer_support", "Peer support worker"
    SUPPORT_TIME_RECOVERY = "str", "Support, time and recovery worker"
