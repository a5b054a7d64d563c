"""The IG landing page says when the audit trail was last verified, and warns when it matters."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape

from healthjustice.audit.chain import ChainProblem
from healthjustice.audit.models import Action, AuditEvent
from healthjustice.audit.services import audit_record, record_verification
from healthjustice.core.dates import format_datetime
from healthjustice.governance.selectors import last_verification
from tests.audit.factories import ig_auditor

pytestmark = pytest.mark.django_db

HOME = reverse("audit:home")
WARNING = "nhsuk-card--warning"
NO_ANCHOR = "No anchor was checked"


def verified(
    days_ago: float = 0,
    *,
    problem: ChainProblem | None = None,
    rows: int = 1843211,
    anchors: int = 3,
) -> AuditEvent:
    at = timezone.now() - timedelta(days=days_ago)
    with mock.patch("django.utils.timezone.now", return_value=at):
        return record_verification(rows_checked=rows, anchors_checked=anchors, problem=problem)


def page(signed_in) -> str:
    response = signed_in(ig_auditor()).get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_home_says_the_trail_has_never_been_verified(signed_in):
    html = page(signed_in)
    assert "The audit trail has not been verified yet" in html
    assert "<code>python manage.py audit_verify</code>" in html
    assert WARNING in html
    assert "Last verified" not in html


def test_home_shows_a_recent_intact_verification_without_a_warning(signed_in):
    event = verified(days_ago=1)
    html = page(signed_in)
    assert f"Last verified: {format_datetime(event.occurred_at)}, intact." in html
    assert "1,843,211 rows checked against 3 anchors." in html
    assert WARNING not in html
    assert "not been verified" not in html
    assert NO_ANCHOR not in html


def test_home_says_when_no_anchor_was_checked(signed_in):
    verified(anchors=0, rows=1)
    html = page(signed_in)
    assert "1 row checked." in html
    assert NO_ANCHOR in html
    assert WARNING not in html


def test_home_warns_when_the_last_verification_found_the_trail_broken(signed_in):
    event = verified(problem=ChainProblem(3, "row 3 was altered after it was written"))
    html = page(signed_in)
    assert "The last check found the audit trail broken" in html
    assert f"Last verified: {format_datetime(event.occurred_at)}, broken at row 3." in html
    assert "What was found: row 3 was altered after it was written." in html
    assert WARNING in html
    assert NO_ANCHOR not in html


def test_home_escapes_what_was_found(signed_in):
    verified(problem=ChainProblem(5, "the anchor on line 1 of <b>x</b>.json does not match"))
    html = page(signed_in)
    assert str(escape("<b>x</b>.json")) in html
    assert "<b>x</b>" not in html


def test_home_shows_only_the_latest_verification(signed_in):
    verified(days_ago=2, problem=ChainProblem(3, "row 3 was altered after it was written"))
    latest = verified(days_ago=1)
    html = page(signed_in)
    assert f"Last verified: {format_datetime(latest.occurred_at)}, intact." in html
    assert "broken" not in html
    assert WARNING not in html


def test_home_warns_when_the_last_verification_is_older_than_the_limit(signed_in):
    event = verified(days_ago=8.5)
    html = page(signed_in)
    assert "The audit trail has not been verified for 8 days" in html
    assert f"Last verified: {format_datetime(event.occurred_at)}, intact." in html
    assert "at least every 7 days" in html
    assert "<code>python manage.py audit_verify</code>" in html
    assert WARNING in html


def test_home_does_not_warn_just_inside_the_limit(signed_in):
    verified(days_ago=6.9)
    assert WARNING not in page(signed_in)


def test_the_age_limit_is_a_setting(signed_in, settings):
    settings.HJ_AUDIT_VERIFY_MAX_AGE_DAYS = 2
    verified(days_ago=3)
    html = page(signed_in)
    assert "The audit trail has not been verified for 3 days" in html
    assert "at least every 2 days" in html


def test_other_events_are_not_taken_for_a_verification(signed_in):
    audit_record(actor=None, action=Action.VIEW, object_type="audit_trail")
    assert last_verification() is None
    assert "The audit trail has not been verified yet" in page(signed_in)


def test_home_reports_a_run_of_the_command(signed_in, tmp_path):
    audit_record(actor=None, action=Action.VIEW, object_type="page")
    anchor = tmp_path / "anchor.json"
    call_command("audit_anchor", "--out", str(anchor), stderr=StringIO())
    call_command("audit_verify", "--anchor", str(anchor), stdout=StringIO())
    html = page(signed_in)
    assert "intact." in html
    assert "1 row checked against 1 anchor." in html
    assert WARNING not in html
