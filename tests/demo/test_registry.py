"""The hook through which other apps add demo data."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from healthjustice.demo import registry
from healthjustice.demo.registry import DemoContext, register_demo_seeder
from healthjustice.people.models import RecordRestriction

pytestmark = pytest.mark.django_db


def seed(*args: str) -> None:
    call_command("seed_demo", *args, people=12, stdout=StringIO())


def test_registered_seeder_runs_once_with_the_demo_context(base_only):
    calls: list[DemoContext] = []
    register_demo_seeder(calls.append)
    seed()
    seed()
    assert len(calls) == 1
    ctx = calls[0]
    assert set(ctx.regions) == {"staffs", "blackcountry"}
    assert {"staffs.custody", "staffs.carers", "blackcountry.reconnect"} <= set(ctx.teams)
    assert "practitioner.staffs" in ctx.users
    assert len(ctx.people) == 12
    restricted = {p.pk for p in ctx.restricted_people}
    assert restricted == set(RecordRestriction.objects.values_list("person_id", flat=True))
    assert restricted
    assert not restricted & {p.pk for group in ctx.people_by_team.values() for p in group}


def test_seeder_failure_leaves_no_demo_data(base_only):
    from healthjustice.accounts.models import User
    from healthjustice.people.models import Person

    def broken(ctx: DemoContext) -> None:
        raise RuntimeError("seeder failed")

    register_demo_seeder(broken)
    with pytest.raises(RuntimeError):
        seed()
    assert not User.objects.exists()
    assert not Person.objects.exists()


def test_reset_calls_registered_resets_before_deleting(base_only):
    calls = []
    registry.register_demo_reset(lambda: calls.append("reset"))
    seed()
    seed("--reset")
    assert calls == ["reset"]


def test_each_domains_seeders_are_imported_in_their_fixed_order():
    assert registry.load_app_demo_modules() == [
        "healthjustice.demo.seeders.people",
        "healthjustice.demo.seeders.journeys",
        "healthjustice.demo.seeders.mhtr",
        "healthjustice.demo.seeders.reconnect",
        "healthjustice.demo.seeders.screening",
        "healthjustice.demo.seeders.carers",
        "healthjustice.demo.seeders.equity",
        "healthjustice.demo.seeders.feedback",
        "healthjustice.demo.seeders.pcref",
        "healthjustice.demo.seeders.imports",
    ]


DEMO_IMPORT = re.compile(r"^\s*(from|import) healthjustice\.demo\b", re.MULTILINE)


def test_no_domain_app_holds_or_imports_demo_code():
    package = Path(registry.__file__).resolve().parents[1]
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.parts[len(package.parts)] != "demo"
        and (path.stem in {"demo", "synthetic"} or DEMO_IMPORT.search(path.read_text()))
    ]
    assert not offenders
