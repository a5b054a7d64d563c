"""Every table goes through the one `table` helper, which always draws the design system's
responsive table: on a phone each row becomes lines of "heading value", never a sideways scroll."""

from pathlib import Path

from django.conf import settings
from django.template import engines

APPS = Path(settings.BASE_DIR) / "healthjustice"


def test_each_app_keeps_its_own_templates():
    templates = list(APPS.glob("*/jinja2/**/*.html"))
    assert len(templates) > 100
    shared = {"layout.html", "web"}
    for path in templates:
        app, _, first, *_ = path.relative_to(APPS).parts
        if app == "web":
            assert first in shared, f"{path}: move it into its app's jinja2/ folder"


def _render(source: str) -> str:
    return engines["jinja2"].env.from_string(source).render()


def test_no_template_writes_a_table_by_hand():
    by_hand = [
        str(p.relative_to(APPS))
        for p in APPS.glob("*/jinja2/**/*.html")
        if "<table" in p.read_text()
    ]
    assert not by_hand, f"Use the table helper, not <table>, in: {by_hand}"


def test_the_table_helper_draws_a_responsive_table_with_a_heading_in_each_cell():
    html = _render(
        '{{ table(head=["Name", {"text": "Total", "format": "numeric"}],'
        ' rows=[["Ann <b>", 3], [none, {"html": "<a href=\'/x\'>Open</a>" | safe}]],'
        ' caption="People", caption_hidden=true) }}'
    )
    assert 'class="nhsuk-table nhsuk-table--responsive" role="table"' in html
    assert html.count('role="row"') == 3
    assert '<span class="nhsuk-table__heading" aria-hidden="true">Total </span>3' in html
    assert "Ann &lt;b&gt;" in html, "text is escaped"
    assert "<a href='/x'>Open</a>" in html, "Markup is HTML"
    assert "nhsuk-table__caption nhsuk-u-visually-hidden" in html


# Other components come from the design system's macros too, so an upgrade of it is a version
# bump: no template writes their markup by hand.
HAND_WRITTEN = {
    "warning callout": 'class="nhsuk-warning-callout',
    "tag": 'class="nhsuk-tag',
    "card": 'class="nhsuk-card',
    "inset text": 'class="nhsuk-inset-text',
}


def test_no_template_writes_a_design_system_component_by_hand():
    by_hand = [
        f"{p.relative_to(APPS)}: {component}"
        for p in APPS.glob("*/jinja2/**/*.html")
        for component, marker in HAND_WRITTEN.items()
        if marker in p.read_text()
    ]
    assert not by_hand, "Use the design system's macro for:\n" + "\n".join(by_hand)
