import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def signed_in(client):
    """Return a function that signs a user in on the test client."""

    def _sign_in(user):
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return _sign_in
