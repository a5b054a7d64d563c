"""Documents as PDF (issued reports, subject access exports): fpdf2 with its built-in Helvetica.

The built-in fonts hold Latin-1 only, so other characters are written as their nearest
Latin-1 form (dashes and quotes as ASCII, accents kept where Latin-1 has them).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

NHS_BLUE = (0, 94, 184)
TEXT = (33, 43, 50)
SECONDARY = (76, 98, 114)
BORDER = (216, 221, 224)
PALE_BLUE = (232, 240, 249)
MARKING = "OFFICIAL-SENSITIVE: PERSONAL"

_REPLACEMENTS = {
    "\u2013": "-",
    "\u2014": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u2022": "-",
    "\u00a0": " ",
    "\u2009": " ",
    "\u0141": "L",
    "\u0142": "l",
    "\u0110": "D",
    "\u0111": "d",
    "\u0131": "i",
    "\u0152": "OE",
    "\u0153": "oe",
}


def latin1(text: Any) -> str:
    """Text the built-in PDF fonts can draw."""
    out = []
    for char in str(text or ""):
        if char in _REPLACEMENTS:
            out.append(_REPLACEMENTS[char])
            continue
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            try:
                base.encode("latin-1")
                out.append(base or "?")
            except UnicodeEncodeError:
                out.append("?")
    return "".join(out)


class DocumentPDF(FPDF):
    """An A4 document with the NHS-blue header, a protective marking and numbered pages.

    `content` gives the header ("service", "team", "organisation") and the footer ("reference"),
    and may change the protective marking ("marking"; aggregate figures are OFFICIAL, not
    personal).
    """

    def __init__(self, content: dict[str, Any]) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.content = content
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=20)
        self.alias_nb_pages()

    @property
    def marking(self) -> str:
        return latin1(self.content.get("marking") or MARKING)

    def header(self) -> None:
        self.set_fill_color(*NHS_BLUE)
        self.rect(0, 0, self.w, 22, style="F")
        self.set_xy(18, 6)
        self.set_text_color(255, 255, 255)
        self.set_font("helvetica", "B", 13)
        self.cell(
            0, 6, latin1(self.content.get("service", "")), new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.set_font("helvetica", "", 10)
        team = ", ".join(
            x for x in (self.content.get("team"), self.content.get("organisation")) if x
        )
        self.cell(0, 5, latin1(team), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_xy(18, 26)
        self.set_text_color(*SECONDARY)
        self.set_font("helvetica", "B", 8)
        self.cell(0, 4, self.marking, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*TEXT)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_draw_color(*BORDER)
        self.line(18, self.get_y(), self.w - 18, self.get_y())
        self.ln(1.5)
        self.set_font("helvetica", "", 8)
        self.set_text_color(*SECONDARY)
        self.cell(
            0,
            4,
            latin1(f"{self.marking}   Reference {self.content.get('reference', '')}"),
            new_x=XPos.LMARGIN,
            new_y=YPos.TOP,
        )
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")

    def heading(self, text: str, size: int = 13) -> None:
        self.ln(3)
        self.set_font("helvetica", "B", size)
        self.set_text_color(*TEXT)
        self.multi_cell(0, size * 0.5, latin1(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def paragraph(self, text: str, size: int = 11) -> None:
        self.set_font("helvetica", "", size)
        self.set_text_color(*TEXT)
        self.multi_cell(0, 5.5, latin1(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def rows(self, rows: list[tuple[str, str]]) -> None:
        """Label and value pairs, like the NHS summary list."""
        label_w = 52
        value_w = self.w - self.l_margin - self.r_margin - label_w
        self.set_draw_color(*BORDER)
        for label, value in rows:
            if self.will_page_break(11):
                self.add_page()
            y = self.get_y()
            self.set_font("helvetica", "B", 10)
            self.multi_cell(
                label_w, 5.5, latin1(label), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            label_bottom = self.get_y()
            self.set_xy(self.l_margin + label_w, y)
            self.set_font("helvetica", "", 10)
            self.multi_cell(
                value_w, 5.5, latin1(value or "-"), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            # A long label can wrap further than its value: rule off below whichever is lower.
            bottom = max(self.get_y(), label_bottom) + 1
            self.line(self.l_margin, bottom, self.w - self.r_margin, bottom)
            self.set_y(bottom + 1.5)
