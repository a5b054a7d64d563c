"""A subject access export as a readable PDF: the same document as the JSON, laid out in words.

Each section of the document becomes a heading; records become label-and-value rows. Coded
values show their label, people their name, dates the NHS way. The audit events are one line
each, named in words by `audit.labels`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.conf import settings

from healthjustice.core.dates import format_date, format_datetime
from healthjustice.core.pdf import SECONDARY, TEXT, DocumentPDF, latin1

SECTION_TITLES = {
    "person": "Their record",
    "aliases": "Other names",
    "care_relationships": "Teams that work with them",
    "record_changes": "Changes to their record",
    "restriction": "Restriction of the record",
    "break_glass": "Break-glass access to the record",
    "audit_events": "Everyone who accessed or changed their information",
}


def _words(key: str) -> str:
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _value(value: Any) -> str:
    """One value in words."""
    if value is None or value == "" or value == []:
        return "None"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        if "label" in value and set(value) <= {"code", "label", "code_list"}:
            return str(value["label"])
        if "name" in value and set(value) <= {"name", "username"}:
            return str(value["name"] or value.get("username", ""))
        return "; ".join(f"{_words(k)}: {_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    return str(value)


def _rows(record: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for key, value in record.items():
        label = f"{prefix}{_words(key)}"
        if isinstance(value, dict) and not (
            {"label"} <= set(value) <= {"code", "label", "code_list"}
            or {"name"} <= set(value) <= {"name", "username"}
        ):
            rows.extend(_rows(value, f"{label}: "))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for number, item in enumerate(value, start=1):
                rows.extend(_rows(item, f"{label} {number}: "))
        else:
            rows.append((label, _value(value)))
    return rows


def _audit_lines(pdf: DocumentPDF, events: list[dict[str, Any]]) -> None:
    if not events:
        pdf.paragraph("No events recorded.")
        return
    for event in events:
        who = (event.get("by") or {}).get("name") or (event.get("by") or {}).get("username")
        line = f"{_value(event.get('at'))}: {event.get('event', '')}"
        line += f", by {who}" if who else ""
        if event.get("under_break_glass"):
            line += " (break-glass)"
        pdf.paragraph(line, size=9)


def subject_access_pdf(document: dict[str, Any], *, compress: bool = True) -> bytes:
    """The export as PDF bytes. `compress=False` leaves the text readable in tests."""
    meta = document.get("subject_access_request", {})
    person = document.get("person") or {}
    name = " ".join(str(person.get(k) or "") for k in ("given_name", "family_name")).strip()
    pdf = DocumentPDF(
        {
            "service": settings.SERVICE_NAME,
            "team": "Subject access request",
            "reference": f"generated {_value(meta.get('generated_at'))}",
        }
    )
    pdf.set_compression(compress)
    pdf.set_title(latin1(f"Subject access request: {name}"))
    pdf.set_creator(latin1(settings.SERVICE_NAME))
    pdf.add_page()
    pdf.heading(f"Everything we hold about {name or 'this person'}", size=18)
    pdf.set_text_color(*SECONDARY)
    exported_by = _value(meta.get("exported_by"))
    pdf.paragraph(
        f"Produced {_value(meta.get('generated_at'))} by {exported_by} for a subject access "
        "request under UK GDPR Article 15. The same information is in the JSON export.",
        size=10,
    )
    pdf.set_text_color(*TEXT)
    for section in meta.get("sections", []):
        data = document.get(section)
        pdf.heading(SECTION_TITLES.get(section, _words(section)))
        if section == "audit_events":
            _audit_lines(pdf, data or [])
        elif isinstance(data, dict):
            pdf.rows(_rows(data))
        elif isinstance(data, list) and data:
            for number, item in enumerate(data, start=1):
                if isinstance(item, dict):
                    if len(data) > 1:
                        pdf.heading(f"{number} of {len(data)}", size=10)
                    pdf.rows(_rows(item))
                else:
                    pdf.paragraph(_value(item))
        else:
            pdf.paragraph("None held." if not data else _value(data))
    return bytes(pdf.output())
