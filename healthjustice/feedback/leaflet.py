"""A team's feedback leaflet: the public feedback form's address for that team as a QR code,
drawn on the server as SVG (segno), for staff to print and hand out."""

from __future__ import annotations

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from markupsafe import Markup, escape

from healthjustice.organisations.models import Team


def feedback_address(request: HttpRequest, team: Team) -> str:
    """The public form with the team chosen. `HJ_PUBLIC_BASE_URL`, when set, is the address
    the public reach the service on (the page may be printed from an internal address)."""
    path = f"{reverse('feedback:give')}?team={team.public_id}"
    base = str(getattr(settings, "HJ_PUBLIC_BASE_URL", "") or "").rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def qr_code(address: str) -> Markup:
    """The address as a QR code (error correction M: it still reads with some damage), an
    image named for screen readers; only SVG presentation attributes, as the CSP allows."""
    svg = segno.make(address, error="m").svg_inline(scale=5, border=4, title=address)
    label = f"QR code for {address}"
    return Markup(  # noqa: S704 - segno writes only the escaped address into the SVG
        f'<div class="hj-qr" role="img" aria-label="{escape(label)}">{svg}</div>'
    )
