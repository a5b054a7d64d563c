"""The list pages through the web: upload, errors, the list with its matches, taking on."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from healthjustice.audit.models import AuditEvent
from healthjustice.imports.models import ImportedList, ListRow
from tests.factories import PersonFactory
from tests.imports.lists import CUSTODY_HEADER, csv_file, custody_row

pytestmark = pytest.mark.django_db


def _upload(client, lw, data: bytes, kind="custody", team=None):
    return client.post(
        reverse("imports:upload"),
        {
            "team": str((team or lw.team).public_id),
            "kind": kind,
            "file": SimpleUploadedFile("custody.csv", data, content_type="text/csv"),
        },
    )


def test_upload_then_the_list_shows_errors_and_who_is_known(client, lw):
    known = PersonFactory(
        team=lw.team, given_name="Daniel", family_name="Fletcher", date_of_birth=date(1988, 3, 14)
    )
    PersonFactory(
        team=lw.other_team, given_name="Aisha", family_name="Begum", date_of_birth=date(1996, 11, 2)
    )
    client.force_login(lw.practitioner)
    response = _upload(
        client,
        lw,
        csv_file(
            CUSTODY_HEADER,
            custody_row("NAC/1", pnc_id=""),
            custody_row("NAC/2", name="Aisha Begum", dob="02/11/1996", pnc_id=""),
            custody_row("NAC/3", name="Priya Sharma", dob="1990-01-01", pnc_id=""),
            custody_row("NAC/4", dob="1990-13-01"),
        ),
    )
    imported = ImportedList.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:list", args=[imported.public_id])
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "3 rows added, 1 refused" in html
    assert "Line 5: the date of birth &#39;1990-13-01&#39; is not a date" in html
    assert "Known to your team" in html
    assert reverse("people:detail", args=[known.public_id]) in html
    assert "1 record held by another team, not visible to you" in html
    # The hidden record is counted, never named: its name appears only as the list gave it.
    assert html.count("Begum") == 1
    assert "Register and open an episode" in html
    assert "Violence against the person" in html
    assert reverse("imports:home") in html  # in the header's navigation
    assert AuditEvent.objects.filter(
        object_type="imported_list", action="view", object_id=str(imported.public_id)
    ).exists()


def test_a_file_with_wrong_headers_is_refused_on_the_form(client, lw):
    client.force_login(lw.practitioner)
    response = _upload(client, lw, csv_file("a,b,c", "1,2,3"))
    assert response.status_code == 200
    assert "The first line of the file is missing the columns" in response.content.decode()
    assert not ImportedList.objects.exists()


@override_settings(HJ_LIST_MAX_BYTES=100)
def test_a_file_too_big_is_stopped_while_it_is_uploaded(client, lw):
    client.force_login(lw.practitioner)
    rows = [custody_row(f"NAC/{n}") for n in range(20)]
    response = _upload(client, lw, csv_file(CUSTODY_HEADER, *rows))
    assert response.status_code == 200
    assert "The file must be smaller than" in response.content.decode()
    assert not ListRow.objects.exists()


def test_a_team_the_user_is_not_in_cannot_be_chosen(client, lw):
    client.force_login(lw.other)
    response = _upload(client, lw, csv_file(CUSTODY_HEADER, custody_row()))
    assert response.status_code == 200
    assert "Select team from the list" in response.content.decode()
    assert not ImportedList.objects.exists()


def test_taking_on_a_new_row_opens_the_episode(client, lw):
    client.force_login(lw.practitioner)
    _upload(client, lw, csv_file(CUSTODY_HEADER, custody_row()))
    row = ListRow.objects.get()
    response = client.post(reverse("imports:take_on", args=[row.public_id]))
    row.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("journeys:detail", args=[row.episode.public_id])
    page = client.get(reverse("imports:list", args=[row.imported_list.public_id]))
    assert "Taken on" in page.content.decode()


def test_taking_on_refused_is_said_on_the_list(client, lw):
    hidden = PersonFactory(team=lw.other_team, pnc_id="19/0123456E")
    client.force_login(lw.practitioner)
    _upload(client, lw, csv_file(CUSTODY_HEADER, custody_row()))
    row = ListRow.objects.get()
    response = client.post(
        reverse("imports:take_on", args=[row.public_id]), {"person": str(hidden.public_id)}
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Choose one of the records" in page.content.decode()
    assert ListRow.objects.get().taken_on_at is None


def test_a_long_list_is_shown_a_page_at_a_time(client, lw):
    client.force_login(lw.practitioner)
    rows = [
        custody_row(f"NAC/{n}", name=f"Person Number{chr(65 + n % 26)}", pnc_id="")
        for n in range(55)
    ]
    _upload(client, lw, csv_file(CUSTODY_HEADER, *rows))
    imported = ImportedList.objects.get()
    first = client.get(reverse("imports:list", args=[imported.public_id])).content.decode()
    second = client.get(reverse("imports:list", args=[imported.public_id]), {"page": 2})
    assert 'id="row-51"' in first and 'id="row-52"' not in first
    assert 'id="row-56"' in second.content.decode()


def test_a_possible_match_shows_the_record_and_still_offers_to_register(client, lw):
    undated = PersonFactory(
        team=lw.team, given_name="Daniel", family_name="Fletcher", date_of_birth=None
    )
    client.force_login(lw.practitioner)
    _upload(client, lw, csv_file(CUSTODY_HEADER, custody_row(pnc_id="")))
    row = ListRow.objects.get()
    html = client.get(reverse("imports:list", args=[row.imported_list.public_id])).content.decode()
    assert "Possible match" in html
    assert "Known to your team" not in html
    assert reverse("people:detail", args=[undated.public_id]) in html
    assert "date of birth not known" in html
    assert "Register as new and open an episode" in html

    response = client.post(reverse("imports:take_on", args=[row.public_id]))
    row.refresh_from_db()
    assert response.status_code == 302
    assert row.episode is not None and row.episode.person != undated
