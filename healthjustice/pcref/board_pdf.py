"""The quarterly PCREF board report as PDF: the same sections and tables as the page, drawn
with the project's document helpers (`core/pdf.py`). Aggregates only: no one is named."""

from __future__ import annotations

from datetime import datetime

from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from healthjustice.core.pdf import PALE_BLUE, SECONDARY, TEXT, DocumentPDF, latin1

from .selectors import BoardContent, BoardTable
from .services import NARRATIVE_FIELDS

MARKING = "OFFICIAL"
SERVICE = "Health and Justice Service"


def _table(pdf: DocumentPDF, table: BoardTable) -> None:
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.set_font("helvetica", "B", 10)
    pdf.set_text_color(*TEXT)
    pdf.multi_cell(0, 5, latin1(table.caption), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    if not table.rows:
        pdf.set_font("helvetica", "", 9)
        pdf.multi_cell(0, 5, "None.", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
        return
    pdf.set_font("helvetica", "", 8)
    # The first column (the group or the competency) and any long text columns get more room.
    widths = [1.4 if i == 0 else 1.0 for i in range(len(table.columns))]
    with pdf.table(
        col_widths=widths,
        line_height=4,
        text_align=["RIGHT" if i in table.numeric else "LEFT" for i in range(len(table.columns))],
        headings_style=FontFace(emphasis="BOLD", fill_color=PALE_BLUE),
        padding=1,
        repeat_headings=1,
    ) as drawn:
        header = drawn.row()
        for column in table.columns:
            header.cell(latin1(column))
        for values in table.rows:
            row = drawn.row()
            for value in values:
                row.cell(latin1(value))
    pdf.ln(3)


def board_pdf(content: BoardContent, *, compress: bool = True) -> bytes:
    """The board report as PDF bytes. `compress=False` leaves the text readable in tests."""
    quarter = content.quarter
    title = f"PCREF board report: {quarter.label}"
    pdf = DocumentPDF(
        {
            "service": SERVICE,
            "organisation": content.organisation.name,
            "reference": f"PCREF {quarter.key}",
            "marking": MARKING,
        }
    )
    pdf.set_compression(compress)
    pdf.set_title(latin1(title))
    pdf.set_creator(SERVICE)
    pdf.set_creation_date(datetime.now().astimezone())
    pdf.add_page()
    pdf.set_font("helvetica", "B", 18)
    pdf.set_text_color(*TEXT)
    pdf.multi_cell(0, 8, latin1(title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("helvetica", "", 10)
    pdf.set_text_color(*SECONDARY)
    pdf.multi_cell(
        0,
        5,
        latin1(
            "The Patient and Carer Race Equality Framework: key measures by ethnic group, what "
            "patients and carers told us, involvement, and the plan's actions. Figures only: "
            f"counts from 1 to {content.limit - 1} are shown as 'fewer than {content.limit}', and "
            "other counts are hidden where a small one could be worked out from the totals."
        ),
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )

    narrative = content.narrative
    for name, label in NARRATIVE_FIELDS:
        pdf.heading(label)
        text = getattr(narrative, name, "") if narrative is not None else ""
        pdf.paragraph(text or "Not written yet.")

    pdf.heading("Key measures for the quarter", size=15)
    pdf.paragraph(
        "For each pathway, the people counted by broad ethnic group, each group's share of "
        "everyone counted (Wilson 95% interval), and the rate per head compared with the "
        "reference group (rate ratio, score 95% interval).",
        size=10,
    )
    for section in content.sections:
        if section is content.feedback:
            pdf.heading("What patients and carers told us, who took part, what we did", size=15)
        pdf.heading(section.heading)
        if section.intro:
            pdf.paragraph(section.intro, size=9)
        for table in section.tables:
            _table(pdf, table)
        for note in section.notes:
            pdf.paragraph(note, size=9)
    return bytes(pdf.output())
