from __future__ import annotations

from django import forms

from healthjustice.core.error_messages import Form
from healthjustice.core.fields import set_choices
from healthjustice.journeys.choices import EpisodeSetting
from healthjustice.organisations.models import Region, Site

from .periods import Month, recent_months
from .scope import Scope

MONTHS_OFFERED = 24
DEFAULT_MONTHS_SHOWN = 6


def _month_choices() -> list[tuple[str, str]]:
    return [(m.key, m.label) for m in recent_months(MONTHS_OFFERED)]


class DashboardFilterForm(Form):
    scope = forms.ChoiceField(label="Team or region")
    first_month = forms.ChoiceField(label="From")
    last_month = forms.ChoiceField(label="To")
    site = forms.ChoiceField(label="Site", required=False)
    setting = forms.ChoiceField(
        label="Setting",
        required=False,
        choices=[("", "All settings"), *EpisodeSetting.choices],
    )

    def __init__(self, data=None, *, scopes: list[Scope]):
        self.scopes = {s.key: s for s in scopes}
        this_month = Month.current()
        first = recent_months(DEFAULT_MONTHS_SHOWN)[-1]
        initial = {
            "scope": scopes[0].key if scopes else "",
            "first_month": first.key,
            "last_month": this_month.key,
            "site": "",
            "setting": "",
        }
        # Filters come from the query string; any left out take their defaults.
        merged = {**initial, **{k: v for k, v in (data or {}).items() if k in initial}}
        super().__init__(merged)
        set_choices(self, "scope", [(s.key, s.label) for s in scopes])
        months = _month_choices()
        set_choices(self, "first_month", months)
        set_choices(self, "last_month", months)
        region_ids = {r for s in scopes for r in s.region_ids}
        sites = Site.objects.filter(region_id__in=region_ids, is_active=True).order_by("name")
        self.sites = {str(site.public_id): site for site in sites}
        set_choices(
            self,
            "site",
            [("", "All sites")] + [(key, site.name) for key, site in self.sites.items()],
        )

    def clean(self):
        data = super().clean()
        first, last = data.get("first_month"), data.get("last_month")
        if first and last and Month.parse(first) > Month.parse(last):
            self.add_error("last_month", "The last month must be the same as or after the first")
        return data

    @property
    def chosen_scope(self) -> Scope:
        return self.scopes[self.cleaned_data["scope"]]

    @property
    def chosen_site(self) -> Site | None:
        return self.sites.get(self.cleaned_data.get("site") or "")


class MhtrDashboardFilterForm(Form):
    """A pathway dashboard's team or region and months (no site or setting): the MHTR and
    RECONNECT dashboards'."""

    scope = forms.ChoiceField(label="Team or region")
    first_month = forms.ChoiceField(label="From")
    last_month = forms.ChoiceField(label="To")

    def __init__(self, data=None, *, scopes: list[Scope]):
        self.scopes = {s.key: s for s in scopes}
        initial = {
            "scope": scopes[0].key if scopes else "",
            "first_month": recent_months(DEFAULT_MONTHS_SHOWN)[-1].key,
            "last_month": Month.current().key,
        }
        merged = {**initial, **{k: v for k, v in (data or {}).items() if k in initial}}
        super().__init__(merged)
        set_choices(self, "scope", [(s.key, s.label) for s in scopes])
        months = _month_choices()
        set_choices(self, "first_month", months)
        set_choices(self, "last_month", months)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_month"), data.get("last_month")
        if first and last and Month.parse(first) > Month.parse(last):
            self.add_error("last_month", "The last month must be the same as or after the first")
        return data

    @property
    def chosen_scope(self) -> Scope:
        return self.scopes[self.cleaned_data["scope"]]


class ExportRequestForm(Form):
    region = forms.ChoiceField(label="Region")
    month = forms.ChoiceField(label="Month")

    def __init__(self, *args, regions: list[Region], **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {str(r.public_id): r for r in regions}
        set_choices(self, "region", [(k, r.name) for k, r in self.regions.items()])
        set_choices(self, "month", _month_choices())
        self.fields["month"].initial = Month.current().previous().key

    @property
    def chosen_region(self) -> Region:
        return self.regions[self.cleaned_data["region"]]

    @property
    def chosen_month(self) -> Month:
        return Month.parse(self.cleaned_data["month"])
