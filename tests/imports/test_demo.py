"""The demo's custody list shows every state a row can be in."""

import pytest

from healthjustice.demo.seeders.imports import seed_custody_list
from healthjustice.imports.choices import MatchState
from healthjustice.imports.models import ImportedList
from healthjustice.imports.selectors import row_match
from tests.demo.support import base_demo_context

pytestmark = pytest.mark.django_db


def test_the_demo_custody_list_has_known_hidden_and_new_rows_and_a_mistake():
    ctx = base_demo_context(people=120, seed=5)
    seed_custody_list(ctx)
    imported = ImportedList.objects.get()
    assert imported.rows_refused == 1 and "Line 8" in imported.errors[0]["message"]
    user = ctx.users["practitioner.staffs"]
    states = [row_match(user, row).state for row in imported.rows.order_by("line")]
    assert states[:2] == [MatchState.KNOWN, MatchState.KNOWN]
    assert states[2] == MatchState.HIDDEN
    assert MatchState.NEW in states[3:]
