"""The base demo data (regions, teams, accounts, people) as a context for one app's seeder."""

from healthjustice.demo.loader import load_demo
from healthjustice.demo.registry import DemoContext


def base_demo_context(*, people: int, seed: int = 2026) -> DemoContext:
    """The base demo data without any app's seeder: a test runs the one it is about."""
    ctx, _fresh = load_demo(people=people, seed=seed, log=lambda _line: None, app_seeders=False)
    return ctx
