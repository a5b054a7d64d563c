"""The quarterly PCREF board report: financial-year quarters, the key measures by ethnic group
suppressed as the equity page suppresses them, feedback and involvement in the quarter, the
plan's actions done, overdue and due next, the narrative saved with a version check, the page
and the PDF, each audited and naming no one."""

from __future__ import annotations

import datetime
import re
from datetime import date
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from healthjustice.audit.models import Action, AuditEvent
from healthjustice.core.concurrency import StaleEditError
from healthjustice.equity import stats
from healthjustice.equity.selectors import region_population
from healthjustice.feedback.models import Experience, Feedback, TreatedFairly
from healthjustice.organisations.roles import Role
from healthjustice.pcref import quarters, selectors, services
from healthjustice.pcref.board_pdf import board_pdf
from healthjustice.pcref.models import (
    ActionStatus,
    BoardReport,
    Competency,
    InvolvementKind,
    PlanAction,
    Recognition,
)
from healthjustice.pcref.quarters import Quarter
from tests.equity.known import _category, build_known
from tests.factories import TeamFactory, staff

pytestmark = pytest.mark.django_db


# Quarters.


@pytest.mark.parametrize(
    ("day", "key", "first", "last"),
    [
        (date(2026, 4, 1), "2026-Q1", date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 9, 30), "2026-Q2", date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 12, 31), "2026-Q3", date(2026, 10, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), "2026-Q4", date(2027, 1, 1), date(2027, 3, 31)),
        (date(2027, 3, 31), "2026-Q4", date(2027, 1, 1), date(2027, 3, 31)),
    ],
)
def test_financial_year_quarters(day, key, first, last):
    quarter = Quarter.of(day)
    assert quarter.key == key
    assert (quarter.first_day, quarter.last_day) == (first, last)
    assert quarter.starts == timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    assert quarter.ends == quarter.next().starts
    assert Quarter.from_key(key) == quarter


def test_quarter_words_and_the_default():
    assert Quarter(2026, 2).label == "2026/27 Q2 (July to September 2026)"
    assert Quarter(2026, 4).label == "2026/27 Q4 (January to March 2027)"
    assert Quarter(2026, 4).next() == Quarter(2027, 1)
    assert Quarter(2027, 1).previous() == Quarter(2026, 4)
    # The last complete quarter: on 6 December 2026, July to September.
    assert quarters.last_complete(date(2026, 12, 6)) == Quarter(2026, 2)
    assert quarters.last_complete(date(2026, 4, 1)) == Quarter(2025, 4)
    offered = quarters.offered(date(2026, 12, 6))
    assert offered[0] == Quarter(2026, 3) and offered[1] == Quarter(2026, 2)
    assert len(offered) == quarters.QUARTERS_OFFERED + 1
    assert Quarter.from_key("2026-Q5") is None and Quarter.from_key("x") is None


# The key measures.


@pytest.fixture
def known():
    found = build_known()
    # Both teams of the region belong to one trust, so its population is the trust's.
    found.team_b.organisation = found.team_a.organisation
    found.team_b.save()
    return found


def _quarter(known) -> Quarter:
    year, month = (int(p) for p in known.month.split("-"))
    return Quarter.of(date(year, month, 1))


def _rows(table) -> dict[str, list[str]]:
    return {row[0]: row for row in table.rows}


def test_people_seen_by_group_with_share_ratio_and_suppression(known):
    content = selectors.board_content(known.team_a.organisation, _quarter(known))
    ld = content.measures[0]
    assert ld.heading == "Liaison and Diversion"
    rows = _rows(ld.tables[0])
    # 21 White, 8 Black, 3 Asian (hidden), 2 not stated, 5 not known: 39 people.
    white = rows["White"]
    assert white[1] == "21"
    share = stats.wilson(21, 39)
    assert (
        white[2] == f"{100 * share.value:.0f}% ({100 * share.low:.0f}% to {100 * share.high:.0f}%)"
    )
    assert white[3] == "reference group"
    black = rows["Black or Black British"]
    population = region_population(known.region).by_group
    ratio = stats.rate_ratio(8, population["black"], 21, population["white"])
    assert black[3] == f"{ratio.value:.2f} ({ratio.low:.2f} to {ratio.high:.2f})"
    assert black[4] == "statistically clear: higher than the reference group"
    asian = rows["Asian or Asian British"]
    assert asian[1] == "fewer than 5" and asian[2] == "not shown" and asian[3] == "not shown"
    assert rows["Not stated"][1] == "fewer than 5"
    assert rows["All people"][1] == "39" and rows["All people"][2] == "100%"
    # MHTR, RECONNECT and carers: the trust has no such teams, and says so.
    assert [s.notes for s in content.measures[1:]] == [
        ["The trust has no Mental Health Treatment Requirement teams."],
        ["The trust has no RECONNECT teams."],
        ["The trust has no Carers' support teams."],
    ]


def test_the_reference_group_follows_the_setting(known, settings):
    settings.HJ_EQUITY_REFERENCE_CODE = "N"  # African: the reference is the Black group.
    content = selectors.board_content(known.team_a.organisation, _quarter(known))
    assert _rows(content.measures[0].tables[0])["Black or Black British"][3] == "reference group"


def test_a_quarter_with_no_one_seen(known):
    quarter = _quarter(known).previous().previous()
    content = selectors.board_content(known.team_a.organisation, quarter)
    assert content.feedback.notes == ["No feedback was received in the quarter."]
    table = content.measures[0].tables[0]
    rows = _rows(table)
    assert rows["White"][1] == "0"
    assert rows["White"][2] == "none seen"
    assert rows["Black or Black British"][3] == "not estimable: the reference group has no events"


def test_part_of_a_region_has_no_ratio_and_says_why(known):
    known.team_b.organisation = TeamFactory().organisation
    known.team_b.save()
    section = selectors.board_content(known.team_a.organisation, _quarter(known)).measures[0]
    assert "the trust’s teams serve part of the region" in " ".join(section.notes)
    assert _rows(section.tables[0])["Black or Black British"][3] == "shown for a whole region"


def test_feedback_in_the_quarter_by_group_is_suppressed(known):
    quarter = _quarter(known)
    at = quarter.starts + datetime.timedelta(days=3)
    for _ in range(6):
        Feedback.objects.create(
            team=known.team_a,
            received_at=at,
            experience=Experience.VERY_GOOD,
            treated_fairly=TreatedFairly.YES,
            ethnic_category=_category("A"),
        )
    for _ in range(2):
        Feedback.objects.create(
            team=known.team_a,
            received_at=at,
            experience=Experience.POOR,
            treated_fairly=TreatedFairly.NO,
            ethnic_category=_category("N"),
        )
    # The quarter's bounds: its last second counts; before it and the next quarter do not.
    for received_at in (
        quarter.ends - datetime.timedelta(seconds=1),
        quarter.ends,
        quarter.starts - datetime.timedelta(seconds=1),
    ):
        Feedback.objects.create(
            team=known.team_a,
            received_at=received_at,
            experience=Experience.GOOD,
            treated_fairly=TreatedFairly.YES,
            ethnic_category=_category("A"),
        )
    table = selectors.board_content(known.team_a.organisation, quarter).feedback.tables[0]
    rows = _rows(table)
    assert table.columns[1] == "Responses"
    assert rows["Black or Black British"][1] == "fewer than 5"
    assert rows["White"][1] == "not shown (protects a small number)"
    assert rows["All responses"][1] == "9"


# Involvement and the plan's actions.


@pytest.fixture
def team():
    return TeamFactory(name="Stoke custody L&D")


@pytest.fixture
def lead(team):
    return staff(Role.EQUALITY_LEAD, team=team)


def _involve(lead, team, name, kind=InvolvementKind.LIVED_EXPERIENCE, **extra):
    answers = {
        "kind": kind,
        "name": name,
        "activity": "Co-designing the custody leaflet",
        "took_part_on": date(2026, 8, 3),
        "role": "Panel member",
        "recognition": Recognition.NONE,
        "amount": None,
        "consent_to_contact": False,
        "contact": "",
        "ethnic_category": None,
        **extra,
    }
    return services.save_involvement(actor=lead, organisation=team.organisation, answers=answers)


def test_involvement_in_the_quarter_counts_people_and_names_no_one(lead, team):
    _involve(lead, team, "Jordan Example")
    _involve(lead, team, "Sam Example", took_part_on=date(2026, 9, 10))
    _involve(lead, team, "Faith Forum (fictional)", kind=InvolvementKind.FAITH)
    _involve(lead, team, "Ali Example", activity="Interview panel", took_part_on=date(2026, 6, 30))
    section = selectors.board_content(team.organisation, Quarter(2026, 2)).involvement
    activities, groups = section.tables
    assert activities.rows == [
        ["Co-designing the custody leaflet", "3 August to 10 September 2026", "2", "1"]
    ]
    assert _rows(groups)["Not recorded"][1] == "fewer than 5"
    text = repr(section)
    assert "Jordan" not in text and "Faith Forum" not in text and "Ali Example" not in text


def _act(lead, team, due_on, status=ActionStatus.IN_PROGRESS, text="An action", **extra):
    return services.save_action(
        actor=lead,
        organisation=team.organisation,
        competency=Competency.WORKFORCE,
        action_text=text,
        owner="Jo Bloggs",
        due_on=due_on,
        status=status,
        evidence="Board minutes" if status == ActionStatus.DONE else "",
        **extra,
    )


def _done_at(action, when):
    PlanAction.objects.filter(pk=action.pk).update(completed_at=when)


def test_actions_done_overdue_and_due_next(lead, team):
    q2 = Quarter(2026, 2)
    done_in = _act(lead, team, date(2026, 8, 31), ActionStatus.DONE, "Done in the quarter")
    _done_at(done_in, q2.starts + datetime.timedelta(days=10))
    done_before = _act(lead, team, date(2026, 5, 31), ActionStatus.DONE, "Done before")
    _done_at(done_before, q2.starts - datetime.timedelta(days=10))
    done_late = _act(lead, team, date(2026, 9, 1), ActionStatus.DONE, "Done after its quarter")
    _done_at(done_late, q2.ends + datetime.timedelta(days=10))
    _act(lead, team, date(2026, 9, 30), text="Due on the last day, not done")
    _act(lead, team, date(2026, 10, 1), ActionStatus.NOT_STARTED, "Due next quarter")
    _act(lead, team, date(2027, 1, 1), text="Due later")
    done, overdue, upcoming = selectors.board_content(team.organisation, q2).actions.tables
    assert [r[1] for r in done.rows] == ["Done in the quarter"]
    assert done.rows[0][2] == "Board minutes"
    assert [r[1] for r in overdue.rows] == [
        "Done after its quarter",
        "Due on the last day, not done",
    ]
    assert [r[1] for r in upcoming.rows] == ["Due next quarter"]
    assert done.caption == "Done in the quarter (1)"
    # Who is responsible may be a name: the board report leaves it out.
    assert "Jo Bloggs" not in repr((done, overdue, upcoming))


def test_marking_an_action_done_records_when_and_reopening_clears_it(lead, team):
    action = _act(lead, team, date(2026, 9, 30))
    assert action.completed_at is None
    action = _act(
        lead, team, date(2026, 9, 30), ActionStatus.DONE, action=action, expected_version=1
    )
    when = action.completed_at
    assert when is not None
    action = _act(
        lead, team, date(2026, 9, 30), ActionStatus.DONE, action=action, expected_version=2
    )
    assert action.completed_at == when  # saved again while done: still done when it was
    action = _act(lead, team, date(2026, 9, 30), action=action, expected_version=3)
    assert action.completed_at is None


# The narrative.


def _write(lead, team, version, **answers):
    return services.save_board_report(
        actor=lead,
        organisation=team.organisation,
        quarter=Quarter(2026, 2),
        answers={"summary": "", "heard": "", "changed": "", **answers},
        expected_version=version,
    )


def test_the_narrative_is_saved_per_quarter_and_audited(lead, team):
    report = _write(lead, team, 0, summary="A steady quarter.")
    assert (report.year, report.quarter, report.version) == (2026, 2, 1)
    report = _write(lead, team, 1, summary="A steady quarter.", heard="Waits felt long.")
    assert report.version == 2
    events = AuditEvent.objects.filter(object_type="pcref_board_report").order_by("seq")
    assert [e.action for e in events] == [Action.CREATE, Action.UPDATE]
    assert events.last().fields_changed == ["heard"]
    assert events.last().detail["quarter"] == "2026-Q2"


def test_a_stale_narrative_is_refused_and_nothing_is_lost(lead, team):
    other = staff(Role.SERVICE_MANAGER, team=team)
    _write(lead, team, 0, summary="The lead's first words.")
    _write(other, team, 1, summary="The manager's words.")
    with pytest.raises(StaleEditError, match="Someone else changed the board report"):
        _write(lead, team, 1, summary="The lead's second words.")
    # Two people writing the first words at once: the second is told too.
    with pytest.raises(StaleEditError):
        _write(lead, team, 0, summary="Also first.")
    report = BoardReport.objects.get()
    assert report.summary == "The manager's words." and report.version == 2


def test_an_empty_narrative_or_markup_is_refused(lead, team):
    with pytest.raises(ValidationError) as empty:
        _write(lead, team, 0)
    assert "summary" in empty.value.message_dict
    with pytest.raises(ValidationError) as markup:
        _write(lead, team, 0, changed='<a href="x">click</a>')
    assert "changed" in markup.value.message_dict
    assert not BoardReport.objects.exists()


# The pages and the PDF.


def _board_query(team, quarter="2026-Q2"):
    return {"trust": str(team.organisation.public_id), "quarter": quarter}


def test_the_page_shows_the_report_and_is_audited(lead, team, signed_in):
    _write(lead, team, 0, summary="A steady quarter.", heard="Waits felt long.")
    _act(lead, team, date(2026, 10, 15), text="Publish the plan in community languages")
    client = signed_in(lead)
    response = client.get(reverse("pcref:board"), _board_query(team))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "2026/27 Q2 (July to September 2026)" in html
    assert "A steady quarter." in html and "Waits felt long." in html
    assert "Publish the plan in community languages" in html
    assert "Liaison and Diversion" in html
    assert "Jo Bloggs" not in html
    event = AuditEvent.objects.get(object_type="pcref_board_report", action=Action.VIEW)
    assert event.detail == {"organisation": str(team.organisation.public_id), "quarter": "2026-Q2"}


def test_the_page_defaults_to_the_last_complete_quarter(lead, team, signed_in):
    html = signed_in(lead).get(reverse("pcref:board")).content.decode()
    assert quarters.last_complete().label in html


def test_a_quarter_not_offered_or_another_trust_is_refused(lead, team, signed_in):
    client = signed_in(lead)
    response = client.get(reverse("pcref:board"), _board_query(team, "1999-Q1"))
    assert response.status_code == 400
    assert "Select one of the quarters listed" in response.content.decode()
    other = TeamFactory()
    response = client.get(reverse("pcref:board"), _board_query(other))
    assert response.status_code == 400
    assert "Select one of your trusts" in response.content.decode()
    assert client.get(reverse("pcref:board_pdf"), _board_query(other)).status_code == 404
    assert client.get(reverse("pcref:board_narrative"), _board_query(other)).status_code == 404


def _narrative_url(team):
    return f"{reverse('pcref:board_narrative')}?trust={team.organisation.public_id}&quarter=2026-Q2"


def test_writing_the_narrative_on_the_page(lead, team, signed_in):
    client = signed_in(lead)
    url = _narrative_url(team)
    assert 'name="version" value="0"' in client.get(url).content.decode()
    response = client.post(url, {"summary": "Better access for Black men.", "version": "0"})
    assert response.status_code == 302
    assert BoardReport.objects.get().summary == "Better access for Black men."
    # A second person's page still shows version 0: refused, their words kept on the page.
    response = client.post(url, {"summary": "My words, not lost.", "version": "0"})
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Someone else changed the board report for 2026/27 Q2 while you were editing it" in html
    assert "My words, not lost." in html  # still in the box
    assert "Better access for Black men." in html  # what is saved now, to copy from
    assert BoardReport.objects.get().summary == "Better access for Black men."


def test_the_empty_form_says_what_is_wrong(lead, team, signed_in):
    url = _narrative_url(team)
    response = signed_in(lead).post(url, {"version": "0"})
    assert response.status_code == 400
    assert "Enter a summary, what we heard or what we changed" in response.content.decode()


def pdf_text(data: bytes) -> str:
    """The text the uncompressed PDF draws, line after line (wrapped lines joined by a space)."""
    lines = re.findall(rb"\((.*?)\) Tj", data.replace(b"\\(", b"\x01").replace(b"\\)", b"\x02"))
    text = b" ".join(lines).replace(b"\x01", b"(").replace(b"\x02", b")").decode("latin-1")
    return " ".join(text.split())


def test_the_pdf_has_the_same_content_names_no_one_and_is_audited(lead, team, signed_in):
    _write(lead, team, 0, summary="Siân’s team – a steady quarter.", changed="Leaflets.")
    _act(lead, team, date(2026, 10, 15), text="Publish the plan in community languages")
    _involve(lead, team, "Jordan Example")
    content = selectors.board_content(team.organisation, Quarter(2026, 2))
    data = board_pdf(content, compress=False)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for words in (
        "PCREF board report: 2026/27 Q2 (July to September 2026)",
        "Siân's team - a steady quarter.",
        "What we heard from patients and carers",
        "Liaison and Diversion",
        "Share of all (95% interval)",
        "Publish the plan in community languages",
        "Co-designing the custody leaflet",
        "Due next quarter (1)",
        "OFFICIAL",
    ):
        assert words in text, words
    assert "OFFICIAL-SENSITIVE" not in text
    assert "Jordan" not in text and "Jo Bloggs" not in text

    response = signed_in(lead).get(reverse("pcref:board_pdf"), _board_query(team))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert re.match(
        r'attachment; filename="pcref-board-report-.*-2026-q2\.pdf"',
        response["Content-Disposition"],
    )
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(object_type="pcref_board_report", action=Action.EXPORT)
    assert event.detail["format"] == "pdf" and event.detail["quarter"] == "2026-Q2"


def test_the_pdf_of_a_full_report_draws_every_table(known):
    content = selectors.board_content(known.team_a.organisation, _quarter(known))
    text = pdf_text(board_pdf(content, compress=False))
    tables = [t for s in content.sections for t in s.tables]
    assert len(tables) == 5  # L&D's people seen, feedback, and the plan's three
    for table in tables:
        assert table.caption.replace("’", "'") in text
        for row in table.rows:
            assert " ".join(row).replace("’", "'") in text, row


def test_the_links_to_the_report(lead, team, signed_in):
    client = signed_in(lead)
    board = reverse("pcref:board")
    assert f'href="{board}"' in client.get(reverse("pcref:plan")).content.decode()
    assert f'href="{board}"' in client.get(reverse("equity:home")).content.decode()
    # A team leader sees the equity page but keeps no plan: no link.
    leader = staff(Role.TEAM_LEADER, team=team)
    assert f'href="{board}"' not in signed_in(leader).get(reverse("equity:home")).content.decode()


def test_two_first_saves_at_the_same_moment_the_second_is_told(lead, team, monkeypatch):
    first = _write(lead, team, 0, summary="Saved first.")
    # The second writer's check ran before the first saved: the database refuses the second.
    monkeypatch.setattr(
        BoardReport.objects, "select_for_update", lambda: BoardReport.objects.filter(pk__in=[])
    )
    with pytest.raises(StaleEditError):
        _write(lead, team, 0, summary="Saved second.")
    first.refresh_from_db()
    assert first.summary == "Saved first." and BoardReport.objects.count() == 1
