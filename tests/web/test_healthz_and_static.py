"""Pages under the production static storage, and a health check that sees what breaks them."""

import json
import os

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.db import DatabaseError
from django.test import override_settings
from django.urls import reverse

from tests.factories import TeamFactory, staff

pytestmark = pytest.mark.django_db


class FilesOnlyStaticStorage(StaticFilesStorage):
    """A hashed manifest (production) knows files only: ask for a folder and it fails."""

    def url(self, name):
        found = finders.find(name)
        if not found or not os.path.isfile(found):
            raise ValueError(f"Missing staticfiles manifest entry for '{name}'")
        return super().url(name)


FILES_ONLY = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": f"{__name__}.FilesOnlyStaticStorage"},
}


@override_settings(STORAGES=FILES_ONLY)
def test_pages_ask_the_static_storage_for_files_never_folders(client, signed_in):
    assert client.get(reverse("accounts:login")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    signed_in(staff(team=TeamFactory()))
    assert client.get(reverse("web:home")).status_code == 200
    assert client.get("/no-such-page/").status_code == 404


def test_healthz_is_200_when_the_database_and_pages_are_fine(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "pages": "ok"}


def test_healthz_is_503_when_a_page_cannot_render(client, tmp_path):
    # Production's hashed storage with a manifest that lacks the layout's files: every page
    # would be a 500, so the health check must not be green.
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": {}, "version": "1.1"}))
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=str(tmp_path)):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "pages": "unavailable"}


def test_healthz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"] == "unavailable"
