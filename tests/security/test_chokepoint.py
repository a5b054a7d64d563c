"""Views and the API never reach person-scoped models directly: only selectors and services do,
through the access chokepoint (people.access and the scoped selectors built on it)."""

import re
from pathlib import Path

from django.apps import apps

PACKAGE = Path(__file__).resolve().parents[2] / "healthjustice"
PERSON_DATA_APPS = {"people", "journeys", "screening", "assessments", "interventions", "carers"}
# Reference data in those apps that carries no one's personal data.
REFERENCE_MODELS = {"EthnicCodeList", "EthnicCategory", "CarerInformationPage"}


def _scoped_model_names() -> set[str]:
    return {
        model.__name__
        for model in apps.get_models()
        if model._meta.app_label in PERSON_DATA_APPS and model.__name__ not in REFERENCE_MODELS
    }


def _view_modules() -> list[Path]:
    return [
        p
        for p in PACKAGE.rglob("*.py")
        if p.name in {"views.py", "api.py"} or p.parent.name in {"views", "api"}
    ]


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


def test_the_check_would_catch_a_bypass(tmp_path):
    names = _scoped_model_names()
    pattern = re.compile(r"\b(" + "|".join(sorted(names)) + r")\.(objects|_default_manager)\b")
    assert pattern.search("person = Person.objects.get(pk=1)")
    assert not pattern.search("teams = Team.objects.all()")
