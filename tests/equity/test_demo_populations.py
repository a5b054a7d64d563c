"""The demo's approximate populations: loaded, labelled approximate, gaps said in words."""

from types import SimpleNamespace

import pytest

from healthjustice.demo.reference import BLACK_COUNTRY, STAFFS
from healthjustice.demo.seeders.equity import seed_equity
from healthjustice.equity.models import LocalAuthority
from healthjustice.equity.selectors import region_population
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def test_demo_figures_are_approximate_and_partial():
    regions = {STAFFS: RegionFactory(name="Staffs"), BLACK_COUNTRY: RegionFactory(name="BC")}
    ctx = SimpleNamespace(regions=regions, log=lambda _: None)
    seed_equity(ctx)
    seed_equity(ctx)  # again: the same figures, not twice
    assert LocalAuthority.objects.count() == 6
    staffs = region_population(regions[STAFFS])
    assert staffs.approximate
    assert staffs.by_group == {
        "white": 215_699 + 820_304,
        "asian": 25_597 + 28_909,
        "black": 6_884 + 6_895,
    }
    assert staffs.by_code == {}
    black_country = region_population(regions[BLACK_COUNTRY])
    assert black_country.missing == ["Dudley", "Wolverhampton"]
    assert not black_country.known
