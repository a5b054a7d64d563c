import pytest

from healthjustice.journeys import sections


@pytest.fixture(autouse=True)
def only_our_episode_sections(monkeypatch):
    """These tests are about the journeys pages: other apps' episode sections are left out
    (their own tests and the access matrix render them)."""
    monkeypatch.setattr(
        sections, "episode_section_registry", sections.episode_section_registry.copy(empty=True)
    )
