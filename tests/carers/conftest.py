import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Attachments go to a temporary folder, never the working tree."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
