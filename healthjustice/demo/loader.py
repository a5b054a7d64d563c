"""Loading and removing the demo data as a whole; the commands and tests call these."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from faker import Faker

from healthjustice.accounts.models import User
from healthjustice.core.append_only import allow_purge
from healthjustice.people.models import CareRelationship, RecordRestriction

from .accounts import demo_accounts_exist, demo_password, seed_accounts
from .people import DemoPeople, demo_people, seed_people
from .reference import seed_reference
from .registry import DemoContext, run_resets, run_seeders

DEFAULT_PEOPLE = 300
DEFAULT_SEED = 2026


def demo_loaded() -> bool:
    return demo_accounts_exist()


def _existing_people(teams: dict[str, Any]) -> DemoPeople:
    people = list(demo_people().select_related("ethnic_category").order_by("pk"))
    key_for = {team.id: key for key, team in teams.items()}
    by_id = {p.pk: p for p in people}
    restricted = set(
        RecordRestriction.objects.filter(person__in=people).values_list("person_id", flat=True)
    )
    by_team: dict[str, list] = {key: [] for key in teams}
    rows = CareRelationship.objects.filter(person__in=people).values_list("team_id", "person_id")
    for team_id, person_id in rows.order_by("pk"):
        if team_id in key_for and person_id not in restricted:
            by_team[key_for[team_id]].append(by_id[person_id])
    return DemoPeople(people, by_team, [by_id[pk] for pk in sorted(restricted)])


@transaction.atomic
def load_demo(
    *,
    people: int = DEFAULT_PEOPLE,
    seed: int = DEFAULT_SEED,
    password: str | None = None,
    log: Callable[[str], Any] = print,
    app_seeders: bool = True,
) -> tuple[DemoContext, bool]:
    """Make sure the demo data is there. Returns the context and whether people were added.

    Reference data and accounts are created when missing; people (and other apps' demo data,
    through the registered seeders) only when no demo person exists yet. Without `app_seeders`
    only the base data is loaded, for a test that runs one app's seeder itself.
    """
    rng = random.Random(seed)
    faker = Faker("en_GB")
    faker.seed_instance(seed)
    password = password or demo_password()
    reference = seed_reference()
    users = seed_accounts(teams=reference.teams, faker=faker, password=password)
    fresh = not demo_people().exists()
    if fresh:
        loaded = seed_people(teams=reference.teams, users=users, count=people, rng=rng, faker=faker)
    else:
        loaded = _existing_people(reference.teams)
    ctx = DemoContext(
        regions=reference.regions,
        teams=reference.teams,
        users=users,
        people=loaded.people,
        people_by_team=loaded.by_team,
        restricted_people=loaded.restricted,
        rng=rng,
        faker=faker,
        password=password,
        log=log,
    )
    if fresh and app_seeders:
        run_seeders(ctx)
    return ctx, fresh


@transaction.atomic
def reset_demo() -> tuple[int, int]:
    """Remove demo people and demo accounts (reference data stays). Returns both counts."""
    allow_purge()
    run_resets()
    people = demo_people().count()
    demo_people().delete()
    users = User.objects.filter(is_demo=True)
    user_count = users.count()
    users.delete()
    return people, user_count
