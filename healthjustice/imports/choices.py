from django.db import models


class ListKind(models.TextChoices):
    CUSTODY = "custody", "Custody list"
    COURT = "court", "Court list"
    RELEASE = "release", "Prison release list"


class MatchState(models.TextChoices):
    """How a row stands against the register, for the person looking at it."""

    KNOWN = "known", "Known to your team"
    HIDDEN = "hidden", "Known to the service, not visible to you"
    POSSIBLE = "possible", "Possible match"
    NEW = "new", "New"
