"""The request type of pages behind sign-in."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class AuthenticatedRequest(HttpRequest):
    """A request that LoginRequiredMiddleware let through: its user is signed in.

    Only for annotating views that are not exempt from sign-in; Django still passes an
    HttpRequest.
    """

    user: User
