"""The hook through which other apps add demo data."""

import importlib.machinery
import sys
import types
from io import StringIO

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


def test_app_demo_modules_are_found_and_imported(base_only, monkeypatch):
    # An app without a demo module of its own, so only the stand-in can be found.
    name = "healthjustice.audit.demo"
    module = types.ModuleType(name)
    module.__spec__ = importlib.machinery.ModuleSpec(name, None)
    monkeypatch.setitem(sys.modules, name, module)
    assert name in registry.load_app_demo_modules()
