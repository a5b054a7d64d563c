import os
import random
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import factory.random
import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# Synthetic test data is random but repeatable: each test draws from a seed made of this run's seed
# and the test's name, so a failure reproduces with the same HJ_TEST_SEED, and another seed
# tries other names, dates and numbers.
RUN_SEED = int(os.environ.get("HJ_TEST_SEED", "20261124"))


def pytest_report_header() -> str:
    return f"synthetic data seed: HJ_TEST_SEED={RUN_SEED}"


def _reseed(name: str) -> None:
    seed = RUN_SEED ^ zlib.crc32(name.encode())
    factory.random.reseed_random(seed)
    random.seed(seed)


@contextmanager
def seeded(name: str) -> Iterator[None]:
    """Draw synthetic data from this run's seed and `name` (for a world shared by a module's
    tests, built before any of them reseeds), then go back to the state before."""
    state, factory_state = random.getstate(), factory.random.get_random_state()
    _reseed(name)
    try:
        yield
    finally:
        random.setstate(state)
        factory.random.set_random_state(factory_state)


@pytest.fixture(autouse=True)
def _repeatable_synthetic_data(request):
    _reseed(request.node.nodeid)


@pytest.fixture
def signed_in(client):
    """Return a function that signs a user in on the test client."""

    def _sign_in(user):
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return _sign_in
