import pytest

from healthjustice.demo import registry


@pytest.fixture
def base_only(monkeypatch):
    """Run seed_demo without other apps' seeders, so base-data counts are exact."""
    # Apps' demo modules register into the real registry before it is swapped out.
    registry.load_app_demo_modules()
    monkeypatch.setattr(registry, "_seeders", registry._seeders.copy(empty=True))
    monkeypatch.setattr(registry, "_resets", registry._resets.copy(empty=True))
