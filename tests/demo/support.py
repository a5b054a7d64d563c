"""The base demo data (regions, teams, accounts, people) as a context for one app's seeder."""

import random

from faker import Faker

from healthjustice.demo.accounts import demo_password, seed_accounts
from healthjustice.demo.people import seed_people
from healthjustice.demo.reference import seed_reference
from healthjustice.demo.registry import DemoContext


def base_demo_context(*, people: int, seed: int = 2026) -> DemoContext:
    """The base demo data without any app's seeder: a test runs the one it is about."""
    rng = random.Random(seed)
    faker = Faker("en_GB")
    faker.seed_instance(seed)
    password = demo_password()
    reference = seed_reference()
    users = seed_accounts(teams=reference.teams, faker=faker, password=password)
    loaded = seed_people(teams=reference.teams, users=users, count=people, rng=rng, faker=faker)
    return DemoContext(
        regions=reference.regions,
        teams=reference.teams,
        users=users,
        people=loaded.people,
        people_by_team=loaded.by_team,
        restricted_people=loaded.restricted,
        rng=rng,
        faker=faker,
        password=password,
        log=lambda _line: None,
    )
