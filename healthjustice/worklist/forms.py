"""The worklist's filters."""

from __future__ import annotations

from typing import Any

from django import forms

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import set_choices
from healthjustice.journeys.choices import EpisodeSetting
from healthjustice.journeys.stages import LD, MACHINES
from healthjustice.organisations.choices import Pathway

MINE = "mine"
UNALLOCATED = "unallocated"


def _blank(choices, text: str) -> list[tuple[str, str]]:
    return [("", text), *choices]


class WorklistFilterForm(Form):
    """The worklist's filters, read from the query string (invalid values are ignored)."""

    team = forms.ChoiceField(label="Worklist", required=False)
    setting = forms.ChoiceField(
        label="Setting", required=False, choices=_blank(EpisodeSetting.choices, "Any setting")
    )
    pathway = forms.ChoiceField(label="Pathway", required=False)
    site = forms.ChoiceField(label="Site", required=False)
    stage = forms.ChoiceField(label="Stage", required=False)
    worker = forms.ChoiceField(label="Worker", required=False)

    def __init__(self, *args: Any, teams=(), sites=(), workers=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {str(t.public_id): t for t in teams}
        pathways = {t.pathway for t in teams} & set(MACHINES) or {LD}
        # Offered when the user's teams work on more than one pathway ("Allocated to me").
        self.pathways = [p for p in Pathway.values if p in {t.pathway for t in teams}]
        set_choices(
            self,
            "pathway",
            _blank([(p, Pathway(p).label) for p in self.pathways], "Any pathway"),
        )
        stages = dict.fromkeys(
            s for m in MACHINES.values() if m.pathway in pathways for s in m.order
        )
        set_choices(self, "stage", _blank([(str(s), s.label) for s in stages], "Any open stage"))
        set_choices(
            self,
            "team",
            [
                *[(k, t.name) for k, t in self.teams.items()],
                (MINE, "Allocated to me"),
            ],
        )
        self.sites = {str(s.public_id): s for s in sites}
        set_choices(self, "site", _blank([(k, s.name) for k, s in self.sites.items()], "Any site"))
        self.workers = {str(w.public_id): w for w in workers}
        set_choices(
            self,
            "worker",
            _blank(
                [
                    (UNALLOCATED, "Unallocated"),
                    *[(k, w.display_name) for k, w in self.workers.items()],
                ],
                "Anyone",
            ),
        )

    def value(self, name: str) -> str:
        """The cleaned value of a field, or '' when it was missing or not one of the choices."""
        if not self.is_bound or name in self.errors:
            return ""
        return self.cleaned_data.get(name) or ""
