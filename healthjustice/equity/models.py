"""Population denominators for the equity figures: local authorities mapped to the service's
regions, and Census 2021 usual residents by ethnic category in each (ONS TS021)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from healthjustice.organisations.models import Region

from .groups import CENSUS_CATEGORIES


class LocalAuthority(models.Model):
    """A local authority (ONS GSS code) and the service region it belongs to.

    Kept here rather than on `organisations.Region`: only the equity figures need it.
    """

    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=120)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["region__name", "name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return f"{self.name} ({self.gss_code})"


class CensusPopulation(models.Model):
    """Usual residents of one local authority in one census category.

    A row with a `census_category` is one of TS021's 19 detailed categories; a row without one
    is a census broad group where only that is known (the demo's approximate figures).
    `approximate` marks figures not loaded from the published TS021 file, and every page that
    uses them says so.
    """

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="populations"
    )
    census_group = models.CharField(max_length=10)
    census_category = models.CharField(
        max_length=40, blank=True, choices=[(c.key, c.column_suffix) for c in CENSUS_CATEGORIES]
    )
    nhs_code = models.CharField("NHS ethnic category code", max_length=2, blank=True)
    count = models.PositiveIntegerField()
    approximate = models.BooleanField(default=False)
    source = models.CharField(max_length=300)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "census_group", "census_category"],
                name="census_population_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.local_authority}: {self.census_category or self.census_group} {self.count}"
