"""The PDF copy of an issued report (the drawing helpers are in `core/pdf.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fpdf.enums import XPos, YPos

from healthjustice.assessments.report_content import disclosure_rows
from healthjustice.core.pdf import PALE_BLUE, SECONDARY, TEXT, DocumentPDF, latin1

__all__ = ["latin1", "report_pdf"]


def report_pdf(content: dict[str, Any], *, compress: bool = True) -> bytes:
    """The issued report as PDF bytes. `compress=False` leaves the text readable in tests."""
    pdf = DocumentPDF(content)
    pdf.set_compression(compress)
    pdf.set_title(latin1(content.get("title", "")))
    pdf.set_author(latin1(content.get("author", {}).get("name", "")))
    pdf.set_creator(latin1(content.get("service", "")))
    pdf.set_creation_date(datetime.now().astimezone())
    pdf.add_page()

    pdf.set_font("helvetica", "B", 20)
    pdf.set_text_color(*TEXT)
    pdf.multi_cell(
        0, 9, latin1(content.get("title", "")), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_font("helvetica", "", 10)
    pdf.set_text_color(*SECONDARY)
    pdf.cell(
        0,
        6,
        latin1(f"Reference {content.get('reference', '')}, issued {content.get('issued_at', '')}"),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(3)

    supersedes = content.get("supersedes")
    if supersedes:
        pdf.set_fill_color(*PALE_BLUE)
        pdf.set_font("helvetica", "B", 10)
        pdf.set_text_color(*TEXT)
        pdf.multi_cell(
            0,
            5.5,
            latin1(
                f"This report corrects and replaces report {supersedes['reference']} issued "
                f"{supersedes['issued_at']}. What was corrected: {supersedes['reason']}"
            ),
            fill=True,
            padding=2,
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.ln(3)

    rows = disclosure_rows(content)
    pdf.rows(rows)

    cj = content.get("criminal_justice") or []
    if cj:
        pdf.heading("Criminal-justice details")
        pdf.rows([(r["label"], r["value"]) for r in cj])

    for section in content.get("sections", []):
        pdf.heading(section["heading"])
        pdf.paragraph(section["text"])

    pdf.ln(4)
    pdf.set_font("helvetica", "I", 9)
    pdf.set_text_color(*SECONDARY)
    pdf.multi_cell(
        0,
        4.5,
        "Shared in confidence for the purpose stated. Do not pass it on without the author's "
        "agreement. If you received it in error, tell the sender and delete it.",
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    return bytes(pdf.output())
