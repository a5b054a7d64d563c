"""Every audit event is named in words, by one mapping, on every IG page and in the export."""

import ast
import json
import pathlib

import pytest
from django.urls import reverse

from healthjustice.audit.models import Action
from healthjustice.audit.services import VERIFIED_OBJECT_TYPE, audit_record
from healthjustice.governance.labels import ACTION_VERBS, OBJECT_LABELS, event_label
from tests.audit.factories import audited_team, ig_auditor
from tests.factories import PersonFactory

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "healthjustice"


def _recorded_object_types() -> set[str]:
    """Every object type written as a literal where the code records an audit event.

    Functions with an `object_type` parameter are found first, so a helper that passes its
    argument on to `audit_record` (`_viewed(user, request, "assessment", ...)`) is followed.
    """
    trees = [
        ast.parse(p.read_text())
        for p in PACKAGE.rglob("*.py")
        if "migrations" not in p.parts and "tests" not in p.parts
    ]
    positions: dict[str, int] = {"audit": 3, "audit_kwargs": 3}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                names = [a.arg for a in node.args.posonlyargs + node.args.args]
                if "object_type" in names:
                    positions[node.name] = names.index("object_type")
    found: set[str] = {VERIFIED_OBJECT_TYPE}
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            for kw in node.keywords:
                if kw.arg == "object_type" and isinstance(kw.value, ast.Constant):
                    found.add(kw.value.value)
            index = positions.get(name)
            if index is not None and len(node.args) > index:
                arg = node.args[index]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
    return found


def test_every_audit_action_has_a_human_label():
    missing = [a for a in Action.values if a not in ACTION_VERBS]
    assert not missing, f"Add words for these audit actions to governance/labels.py: {missing}"


def test_every_recorded_object_type_has_a_human_label():
    found = _recorded_object_types()
    assert "cj_context" in found and "sharing_agreement" in found  # the scan sees helpers
    missing = sorted(found - set(OBJECT_LABELS))
    assert not missing, f"Add words for these audit object types to governance/labels.py: {missing}"


@pytest.mark.parametrize("action", Action.values)
def test_every_action_reads_as_words_for_every_object(action):
    for object_type in OBJECT_LABELS:
        label = event_label(action, object_type)
        assert "_" not in label and label[0].isupper()


def test_criminal_justice_view_is_named_in_words():
    assert event_label(Action.VIEW, "cj_context") == "Criminal-justice details viewed"


@pytest.mark.django_db
def test_person_events_page_and_export_name_events_in_words(signed_in):
    person = PersonFactory(team=audited_team())
    audit_record(
        actor=None,
        action=Action.VIEW,
        object_type="cj_context",
        object_id="x",
        detail={"person": str(person.public_id)},
    )
    client = signed_in(ig_auditor())
    page = client.get(reverse("audit:person_events", kwargs={"public_id": person.public_id}))
    html = page.content.decode()
    assert "Criminal-justice details viewed" in html
    assert "Cj context" not in html
    export = client.post(
        reverse("audit:subject_access_export", kwargs={"public_id": person.public_id})
    )
    document = json.loads(export.content)
    events = [e["event"] for e in document["audit_events"]]
    assert "Criminal-justice details viewed" in events
