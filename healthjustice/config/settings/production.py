"""Production: every secret comes from the environment and HTTPS is assumed."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_int

if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters in "
        "production. Generate one with:\n"
        "  python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )

DEBUG = False
SECURE_SSL_REDIRECT = True
# Trusted only because the reverse proxy in front (docs/deployment.md) always sets or
# overwrites X-Forwarded-Proto; never expose gunicorn to clients directly.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer's health probe may speak plain HTTP to the app; it gets an answer, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("HJ_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# `manage.py collectstatic` writes here; WhiteNoise serves the hashed, compressed copies.
STATIC_ROOT = Path(os.environ.get("HJ_STATIC_ROOT", STATIC_ROOT))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
