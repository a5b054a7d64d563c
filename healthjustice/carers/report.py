"""The Triangle of Care report: aggregate figures per team and for the service. Never names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.core.dates import format_date
from healthjustice.organisations.models import Membership, Team
from healthjustice.organisations.roles import ROLES, Permission

from .charts import BarChart, Series, render_bar_chart
from .models import Carer, CarerContact, CarerSupport, SharingAgreement


@dataclass
class TeamFigures:
    name: str
    carers: int = 0
    identified_in_period: int = 0
    identified_at_first_contact: int = 0
    with_named_contact: int = 0
    agreements_in_force: int = 0
    agreements_due_for_review: int = 0
    assessments_offered: int = 0
    assessments_completed: int = 0
    contacts: int = 0

    def add(self, other: TeamFigures) -> None:
        for name in self.__dataclass_fields__:
            if name != "name":
                setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def first_contact_percent(self) -> int:
        return _percent(self.identified_at_first_contact, self.identified_in_period)

    @property
    def named_contact_percent(self) -> int:
        return _percent(self.with_named_contact, self.carers)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _share(part: int, whole: int) -> str:
    return f"{_percent(part, whole)}% ({part} of {whole})" if whole else "No carers"


def report_teams(user: User) -> list[Team]:
    """Teams whose figures the user may see: those where they hold a role that supports carers."""
    roles = [str(r) for r, d in ROLES.items() if Permission.CARERS_MANAGE in d.permissions]
    return list(
        Team.objects.filter(
            id__in=Membership.objects.current().filter(user=user, role__in=roles).values("team_id")
        ).order_by("name")
    )


def team_figures(team: Team, start: date, end: date) -> TeamFigures:
    today = timezone.localdate()
    carers = Carer.objects.filter(team=team, relationships__ended_on__isnull=True).distinct()
    identified = Carer.objects.filter(team=team, date_identified__range=(start, end))
    agreements = SharingAgreement.objects.in_force().filter(relationship__carer__team=team)
    supports = CarerSupport.objects.filter(carer__team=team)
    contacts = CarerContact.objects.filter(carer__team=team, occurred_at__date__range=(start, end))
    return TeamFigures(
        name=team.name,
        carers=carers.count(),
        identified_in_period=identified.count(),
        identified_at_first_contact=identified.filter(identified_at_first_contact=True).count(),
        with_named_contact=carers.filter(named_contact__isnull=False).count(),
        agreements_in_force=agreements.count(),
        agreements_due_for_review=agreements.filter(review_on__lte=today).count(),
        assessments_offered=supports.filter(assessment_offered_on__range=(start, end)).count(),
        assessments_completed=supports.filter(
            Q(assessment_completed_on__range=(start, end))
        ).count(),
        contacts=contacts.count(),
    )


@dataclass
class TriangleOfCareReport:
    start: date
    end: date
    teams: list[TeamFigures]
    service: TeamFigures
    charts: list[tuple[BarChart, Any]]


def triangle_of_care(teams: list[Team], days: int) -> TriangleOfCareReport:
    end = timezone.localdate()
    start = end - timedelta(days=days - 1)
    figures = [team_figures(t, start, end) for t in teams]
    service = TeamFigures(name="Whole service (these teams)")
    for f in figures:
        service.add(f)
    names = [f.name for f in figures]
    period = f"{format_date(start)} to {format_date(end)}"
    charts = [
        BarChart(
            key="first-contact",
            title="Carers identified at first contact",
            description=f"Percentage of carers identified from {period} who were identified at "
            "the patient's first contact, by team. The table below gives the numbers.",
            groups=names,
            series=[
                Series(
                    "Identified at first contact",
                    [f.first_contact_percent for f in figures],
                    [
                        _share(f.identified_at_first_contact, f.identified_in_period)
                        for f in figures
                    ],
                )
            ],
            maximum=100,
        ),
        BarChart(
            key="named-contact",
            title="Carers with a named contact",
            description="Percentage of current carers who have a named member of staff, by team. "
            "The table below gives the numbers.",
            groups=names,
            series=[
                Series(
                    "With a named contact",
                    [f.named_contact_percent for f in figures],
                    [_share(f.with_named_contact, f.carers) for f in figures],
                )
            ],
            maximum=100,
        ),
        BarChart(
            key="agreements",
            title="Information-sharing agreements",
            description="Agreements in force today and how many are due for review, by team. "
            "The table below gives the numbers.",
            groups=names,
            series=[
                Series("In force", [f.agreements_in_force for f in figures]),
                Series("Due for review", [f.agreements_due_for_review for f in figures]),
            ],
        ),
        BarChart(
            key="assessments",
            title="Carer's assessments",
            description=f"Carer's assessments offered and completed from {period}, by team. "
            "The table below gives the numbers.",
            groups=names,
            series=[
                Series("Offered", [f.assessments_offered for f in figures]),
                Series("Completed", [f.assessments_completed for f in figures]),
            ],
        ),
        BarChart(
            key="contacts",
            title="Contacts with carers",
            description=f"Contacts with carers from {period}, by team. "
            "The table below gives the numbers.",
            groups=names,
            series=[Series("Contacts", [f.contacts for f in figures])],
        ),
    ]
    return TriangleOfCareReport(
        start=start,
        end=end,
        teams=figures,
        service=service,
        charts=[(c, render_bar_chart(c)) for c in charts],
    )
