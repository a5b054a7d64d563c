"""The lists a person was taken on from, in their subject access export: what each row said.

Rows of people never taken on are linked to nobody (and deleted after the retention period),
so only rows someone was taken on from appear."""

from __future__ import annotations

from typing import Any

from healthjustice.people.models import Person
from healthjustice.people.subject_access import coded, register_subject_access_section, user_summary

from .models import ListRow, TransferredRow


@register_subject_access_section("list_rows")
def list_rows(person: Person) -> list[dict[str, Any]]:
    rows = ListRow.objects.filter(person=person).select_related(
        "imported_list", "team", "site", "episode", "taken_on_by"
    )
    return [
        {
            "list": coded(row.kind, row.imported_list.get_kind_display()),
            "team": row.team.name,
            "uploaded_at": row.imported_list.created_at,
            "line": row.line,
            "site": row.site.name,
            "name_on_the_list": row.name,
            "date_of_birth": row.date_of_birth,
            "reference": row.reference,
            "courtroom": row.courtroom,
            "arrival_or_hearing_at": row.event_at,
            "expected_release_on": row.release_on,
            "pnc_id": row.pnc_id,
            "nhs_number": row.nhs_number,
            "prison_number": row.prison_number,
            "postcode": row.postcode,
            "no_fixed_abode": row.no_fixed_abode,
            "offence_category": coded(row.offence_category, row.offence_category_label),
            "offence": row.offence,
            "release_type": coded(row.release_type, row.release_type_label),
            "taken_on_at": row.taken_on_at,
            "taken_on_by": user_summary(row.taken_on_by),
            "episode": str(row.episode.public_id) if row.episode else None,
        }
        for row in rows
    ]


@register_subject_access_section("caseload_transfers")
def caseload_transfers(person: Person) -> list[dict[str, Any]]:
    """The rows of a previous provider's caseload the person's record or episode came from."""
    rows = TransferredRow.objects.filter(person=person).select_related(
        "team", "episode", "imported_by"
    )
    return [
        {
            "team": row.team.name,
            "previous_provider_reference": row.reference,
            "record_created_by_the_import": row.person_created,
            "episode": str(row.episode.public_id),
            "imported_at": row.imported_at,
            "imported_by": user_summary(row.imported_by),
        }
        for row in rows
    ]
