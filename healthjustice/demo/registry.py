"""How each domain adds its demo data, kept out of the domain apps themselves.

A domain's demo data lives in a module of `healthjustice/demo/seeders/` (for example
`seeders/carers.py`), named in `seeders.SEEDER_MODULES`, with a decorated function::

    from healthjustice.demo.registry import DemoContext, register_demo_seeder

    @register_demo_seeder
    def seed_carers(ctx: DemoContext) -> None:
        team = ctx.teams["staffs.carers"]
        ...

`seed_demo` imports those modules (`load_app_demo_modules`) in the order the list gives, and
then calls every registered seeder, in registration order, after the base data (organisations,
teams, sites, accounts and people). Demo code is imported only by the demo commands, never when
the site starts, and no domain app imports it.

Seeders run once: when `seed_demo` creates the demo people (a first load, or after `--reset`).
A second `seed_demo` on loaded data calls no seeder, so a seeder need not be idempotent. Every
seeder runs inside the same transaction as the base data: one that raises leaves nothing behind.

Demo rows of other apps that would stop demo accounts or people being deleted (a PROTECT foreign
key to a demo user, say) are removed by a function registered with `register_demo_reset`, which
`seed_demo --reset` calls before it deletes demo people and accounts.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from healthjustice.core.registry import Registry

if TYPE_CHECKING:
    from faker import Faker

    from healthjustice.accounts.models import User
    from healthjustice.organisations.models import Region, Team
    from healthjustice.people.models import Person


@dataclass
class DemoContext:
    """What a seeder may build on. Keys: regions "staffs" and "blackcountry"; teams
    "<region>.<kind>" with kind custody, court, mhtr, reconnect (and "staffs.carers");
    users by username ("practitioner.staffs").

    `people` is every demo person; `people_by_team` lists, per team key, the people the team
    works with, leaving out `restricted_people`: records only their named staff (the
    Staffordshire team leader) may open, so any other actor is refused on them.
    """

    regions: dict[str, Region]
    teams: dict[str, Team]
    users: dict[str, User]
    people: list[Person]
    people_by_team: dict[str, list[Person]]
    restricted_people: list[Person]
    rng: random.Random
    faker: Faker
    password: str
    log: Callable[[str], Any] = print
    extra: dict[str, Any] = field(default_factory=dict)


DemoSeeder = Callable[[DemoContext], None]
DemoReset = Callable[[], None]

_seeders: Registry[DemoSeeder] = Registry("demo seeders")
_resets: Registry[DemoReset] = Registry("demo resets")


def register_demo_seeder(fn: DemoSeeder) -> DemoSeeder:
    """Add a function `fn(ctx: DemoContext)` that `seed_demo` calls after the base data."""
    return _seeders.add(fn)


def register_demo_reset(fn: DemoReset) -> DemoReset:
    """Add a function `seed_demo --reset` calls before deleting demo people and accounts."""
    return _resets.add(fn)


def registered_seeders() -> list[DemoSeeder]:
    return list(_seeders)


def registered_resets() -> list[DemoReset]:
    return list(_resets)


def load_app_demo_modules() -> list[str]:
    """Import each domain's seeder module (healthjustice.demo.seeders), in their fixed order."""
    from .seeders import SEEDER_MODULES

    return [
        importlib.import_module(f"{__package__}.seeders.{name}").__name__ for name in SEEDER_MODULES
    ]


def run_seeders(ctx: DemoContext) -> None:
    load_app_demo_modules()
    for seeder in registered_seeders():
        seeder(ctx)


def run_resets() -> None:
    load_app_demo_modules()
    for reset in registered_resets():
        reset()
