import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

SESSION_STARTED_KEY = "hj_signed_in_at"
SESSION_REFRESHED_KEY = "hj_refreshed_at"


class SessionLifetimeMiddleware:
    """End a session after the absolute lifetime, however active it has been, and keep an
    active session from reaching its idle expiry.

    The session row expires SESSION_COOKIE_AGE after it was last saved. Rather than save it on
    every request, a signed-in request marks it changed when it was last refreshed at least
    SESSION_REFRESH_SECONDS ago, so a session ends after at most SESSION_COOKIE_AGE without a
    request (and not before SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, "Your session has ended. Sign in again to continue.")
                return redirect(settings.LOGIN_URL)
            refreshed = request.session.get(SESSION_REFRESHED_KEY)
            if refreshed is None or now - refreshed >= settings.SESSION_REFRESH_SECONDS:
                request.session[SESSION_REFRESHED_KEY] = now
        return self.get_response(request)
