"""`make run` (local settings) shows the service's own error pages unless DJANGO_DEBUG=1."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Runs under the local settings in a fresh interpreter, against a throwaway database.
PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(raise_request_exception=False)
page = client.get("/no-such-page/")
css = client.get("/static/nhsuk/nhsuk-frontend.min.css")
print(settings.DEBUG, page.status_code, "Page not found" in page.content.decode(),
      "technical_404" in page.content.decode() or "Django tried these URL patterns"
      in page.content.decode(), css.status_code)
"""


def _probe(tmp_path, **env_extra) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    env.update(
        DJANGO_SETTINGS_MODULE="healthjustice.config.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'local.sqlite3'}",
        **env_extra,
    )
    result = subprocess.run(  # noqa: S603 - our own probe, run by this interpreter
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_local_settings_show_the_service_404_page_and_still_serve_static_files(tmp_path):
    debug, status, own_page, debug_page, css = _probe(tmp_path)
    assert debug == "False"
    assert status == "404"
    assert own_page == "True"
    assert debug_page == "False"
    assert css == "200"


def test_local_settings_show_django_debug_pages_only_when_asked(tmp_path):
    debug, status, _own, debug_page, _css = _probe(tmp_path, DJANGO_DEBUG="1")
    assert debug == "True"
    assert status == "404"
    assert debug_page == "True"
