"""Views and the API never reach person-scoped models directly: only selectors and services do,
through the access chokepoint (people.access and the scoped selectors built on it)."""

import inspect
import re
from pathlib import Path
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

PACKAGE = Path(__file__).resolve().parents[2] / "healthjustice"
PERSON_DATA_APPS = {
    "people",
    "journeys",
    "screening",
    "assessments",
    "interventions",
    "carers",
    "mhtr",
    "reconnect",
    "imports",
}
# Reference data in those apps that carries no one's personal data.
REFERENCE_MODELS = {"EthnicCodeList", "EthnicCategory", "CarerInformationPage"}


def _scoped_model_names() -> set[str]:
    return {
        model.__name__
        for model in apps.get_models()
        if model._meta.app_label in PERSON_DATA_APPS and model.__name__ not in REFERENCE_MODELS
    }


def _view_callables(resolver: URLResolver | None = None) -> list[Any]:
    found: list[Any] = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            found += _view_callables(pattern)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "view_class", pattern.callback)
            while hasattr(view, "__wrapped__"):
                view = view.__wrapped__
            found.append(view)
    return found


def _view_modules() -> list[Path]:
    """Every module of ours that the URL configuration reaches, whatever it is called."""
    modules = {inspect.getmodule(view) for view in _view_callables()}
    paths = {Path(m.__file__) for m in modules if m and m.__name__.startswith("healthjustice.")}
    return sorted(paths)


def test_views_never_query_person_scoped_models_directly():
    names = _scoped_model_names()
    assert "Person" in names and "Episode" in names
    pattern = re.compile(r"\b(" + "|".join(sorted(names)) + r")\.(objects|_default_manager)\b")
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{n}: {line.strip()}"
        for path in _view_modules()
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert not offenders, "Use a selector behind the access chokepoint:\n" + "\n".join(offenders)


def test_every_view_module_is_read_whatever_its_name():
    names = {f"{path.parent.name}/{path.name}" for path in _view_modules()}
    assert {"people/views.py", "staff_views/messages.py", "carers/portal_views.py"} <= names


def test_the_check_would_catch_a_bypass(tmp_path):
    names = _scoped_model_names()
    pattern = re.compile(r"\b(" + "|".join(sorted(names)) + r")\.(objects|_default_manager)\b")
    assert pattern.search("person = Person.objects.get(pk=1)")
    assert not pattern.search("teams = Team.objects.all()")


# Reading a person-scoped record for a page records the view by construction: the fetchers a
# page uses take the request and record a GET's view themselves (audit.reading.record_view,
# docs/adr/0005-audit-on-read.md). A page may not opt out: it passes no `audit=` flag, no
# `request=None`, and calls none of the `*_unrecorded` fetchers that services use.
OPTING_OUT = re.compile(r"\baudit\s*=|\brequest\s*=\s*None\b|\w+_unrecorded\b")
SELECTOR_MODULES = [f"healthjustice.{app}.selectors" for app in sorted(PERSON_DATA_APPS)]
# Searches record a search (with its criteria), not a view of a record; a service's duplicate
# check and the IG search record their own, so these keep their `audit` flag.
SEARCHES = {"person_search"}


def test_pages_cannot_opt_out_of_recording_a_read():
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{n}: {line.strip()}"
        for path in _view_modules()
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if OPTING_OUT.search(line)
    ]
    assert not offenders, (
        "A page reads a record through a fetcher that takes the request and records the view"
        " itself; do not pass audit=, request=None or call an *_unrecorded fetcher:\n"
        + "\n".join(offenders)
    )


def _fetchers():
    import importlib

    for name in SELECTOR_MODULES:
        module = importlib.import_module(name)
        for attr, fn in vars(module).items():
            if inspect.isfunction(fn) and fn.__module__ == name:
                yield f"{name}.{attr}", fn


def test_fetchers_take_the_request_and_no_audit_flag():
    with_flag = [
        name
        for name, fn in _fetchers()
        if "audit" in inspect.signature(fn).parameters and fn.__name__ not in SEARCHES
    ]
    assert not with_flag, f"Fetchers that let the caller skip the view record: {with_flag}"
    optional = [
        name
        for name, fn in _fetchers()
        if name.endswith("_for_user")
        and "request" in (params := inspect.signature(fn).parameters)
        and params["request"].default is not inspect.Parameter.empty
    ]
    assert not optional, f"Fetchers whose request may be left out: {optional}"


def test_the_opt_out_check_would_catch_one():
    assert OPTING_OUT.search("episode_for_user(u, pk, request=request, audit=False)")
    assert OPTING_OUT.search("cj_context_for_user(u, episode, request=None)")
    assert OPTING_OUT.search("context = cj_context_unrecorded(u, episode)")
    assert not OPTING_OUT.search("episode_for_user(u, pk, request=request)")
    assert not OPTING_OUT.search("audit_record(actor=u, request=request, action=Action.VIEW)")
