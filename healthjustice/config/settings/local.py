"""`make run`: a developer's machine. Never use in production."""

from .base import *  # noqa: F403
from .base import env_bool

# The service's own error pages, as users see them; DJANGO_DEBUG=1 brings Django's debug pages.
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = "local-development-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# The server (gunicorn) serves no static files; WhiteNoise serves them from the app folders and
# node_modules either way, and picks up changes without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
