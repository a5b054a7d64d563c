"""The test suite: fast hashing, no lockouts carried between tests."""

import os
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Background tasks run at once, inside the test.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Files the tests save (exports, attachments) go to a throwaway folder, not the project's media/.
MEDIA_ROOT = os.path.join(tempfile.gettempdir(), "hj-test-media")
if DATABASES["default"]["ENGINE"] == "healthjustice.core.sqlite":  # noqa: F405
    # In memory, one database per test process: pytest-xdist gives each worker its own.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ":memory:"  # noqa: F405

# One audit chain, as on SQLite, so a test's rows are numbered from 1 on either database
# (PostgreSQL's sequence does not roll back with a test's transaction). tests/audit/test_chains.py
# runs several chains explicitly, and the production smoke test runs the PostgreSQL default.
HJ_AUDIT_CHAINS = 1

# Every table and summary list the tests render is checked against the design system's
# macro, byte for byte.
HJ_CHECK_KEPT_TABLES = True
HJ_CHECK_KEPT_SUMMARY_LISTS = True
