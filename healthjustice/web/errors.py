"""Error pages in the NHS style. The 500 page renders without the database or the user."""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/errors/403.html", {"title": "You cannot see this page"}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/errors/404.html", {"title": "Page not found"}, status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "web/errors/400.html",
        {"title": "Something was wrong with the request"},
        status=400,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    template = loader.get_template("web/errors/500.html")
    return HttpResponseServerError(template.render({}))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request, "web/csrf_failure.html", {"title": "Your form could not be sent"}, status=403
    )
