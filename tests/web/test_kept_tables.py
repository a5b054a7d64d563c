"""Tables from kept pieces are the design system macro's HTML, byte for byte."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import engines
from markupsafe import Markup

from healthjustice.web.components import _cell, _macro, render_table
from healthjustice.web.tables import KeptTable

ODD_TEXT = [
    "plain",
    "<script>alert('x')</script> & \"quoted\"",
    "  padded  ",
    "two\nlines",
    "blank\n\nline between",
    "  \n  spaces on their own line  \n",
    "carriage\r\nreturn and\u2028separator",
    "",
    None,
    0,
    42,
    " ",
]
ODD_HTML = [
    Markup('<a class="nhsuk-link" href="/people/1">Jo &amp; Sam</a>'),
    Markup('\n  <strong class="nhsuk-tag">Open</strong>\n  <p>Second line</p>\n'),
    Markup("   "),
    Markup(""),
    {"html": Markup("<em>in a mapping</em>")},
    {"text": "text in a mapping <b>"},
    {"text": ""},
]


@pytest.fixture
def env():
    return engines["jinja2"].env


def _both(env, **kw: Any) -> tuple[str, str]:

    params: dict[str, Any] = {
        "responsive": kw.pop("responsive", True),
        "firstCellIsHeader": kw.pop("first_cell_is_header", False),
        "head": kw.pop("head"),
        "rows": kw.pop("rows"),
        **kw,
    }
    params["head"] = [_cell(h) for h in params["head"]]
    params["rows"] = [[_cell(c) for c in row] for row in params["rows"]]
    kept = KeptTable(_macro(env, "table"))
    fast = str(kept(params))
    # The kept pieces were used, not the macro, whenever there were rows to put in them.
    assert bool(params["rows"]) == any(v is not None for v in kept.kept.values())
    return fast, str(_macro(env, "table")(params))


@pytest.mark.parametrize("responsive", [True, False])
@pytest.mark.parametrize("first_cell_is_header", [True, False])
def test_every_kind_of_cell_comes_out_as_the_macro_writes_it(env, responsive, first_cell_is_header):
    cells = ODD_TEXT + ODD_HTML
    rows = [[cells[(i + j) % len(cells)] for j in range(4)] for i in range(len(cells))]
    fast, slow = _both(
        env,
        head=[
            "Name",
            Markup("Date <abbr>of</abbr> birth"),
            {"text": "Amount", "format": "numeric"},
            "",
        ],
        rows=rows,
        responsive=responsive,
        first_cell_is_header=first_cell_is_header,
        caption={"text": "People found", "classes": "nhsuk-u-visually-hidden"},
    )
    assert fast == slow


def test_one_column_and_one_row(env):
    fast, slow = _both(env, head=["Only"], rows=[["one"]])
    assert fast == slow


def test_markup_and_text_that_read_the_same_are_kept_apart(env):
    kept = KeptTable(_macro(env, "table"))
    as_text = {"head": ["A &amp; B"], "rows": [["x"]], "responsive": True}
    as_html = {"head": [Markup("A &amp; B")], "rows": [["x"]], "responsive": True}
    assert str(kept(as_text)) == str(_macro(env, "table")(as_text))
    assert str(kept(as_html)) == str(_macro(env, "table")(as_html))
    assert str(kept(as_text)) != str(kept(as_html))


def test_cells_with_classes_or_a_format_come_out_as_the_macro_writes_them(env):
    rows = [
        [
            {"html": Markup("<a href='/1'>Jo</a>")},
            {"text": "1 May 1990", "classes": "hj-nowrap"},
            3,
        ],
        [
            {"html": Markup("<b>Sam</b>")},
            {"text": "", "classes": "hj-nowrap"},
            {"text": "4", "format": "numeric"},
        ],
        [
            "Kim",
            {"html": Markup("Not known"), "classes": "hj-nowrap"},
            {"text": "5", "align": "right"},
        ],
    ]
    fast, slow = _both(
        env, head=["Name", "Born", {"text": "Count", "format": "numeric"}], rows=rows
    )
    assert fast == slow


def test_cells_it_does_not_model_are_left_to_the_macro(env):
    kept = KeptTable(_macro(env, "table"))
    params = {
        "head": ["Name", "Link"],
        "rows": [
            ["Jo", {"text": "Open", "href": "/people/1"}],
            ["Sam", {"text": "Open", "href": "/2"}],
        ],
        "responsive": True,
    }
    assert str(kept(params)) == str(_macro(env, "table")(params))
    assert kept.kept == {}  # nothing was cut up for it


def test_an_empty_table_is_the_macro_s(env):
    fast, slow = _both(env, head=["Name"], rows=[])
    assert fast == slow


def test_the_check_fails_when_the_pieces_are_wrong(env):
    kept = KeptTable(_macro(env, "table"))
    params = {"head": ["Name"], "rows": [["Jo"]], "responsive": True}
    kept(params)
    (pieces,) = kept.kept.values()
    assert pieces is not None
    object.__setattr__(pieces, "prefix", pieces.prefix + "<!-- changed -->")
    with pytest.raises(AssertionError):
        kept(params, check=True)


def test_render_table_uses_the_kept_pieces(env):
    html = render_table(env, head=["Name"], rows=[["Jo <b>"]], caption="Found")
    assert "Jo &lt;b&gt;" in html
    assert html == str(
        _macro(env, "table")(
            {
                "responsive": True,
                "firstCellIsHeader": False,
                "head": ["Name"],
                "rows": [["Jo <b>"]],
                "caption": {"text": "Found"},
            }
        )
    )


def test_a_caption_naming_the_person_reuses_the_pieces_of_the_same_table(env):
    kept = KeptTable(_macro(env, "table"))
    captions = [
        "Episodes of Jo Bloggs",
        "Episodes of Sam O'Neil & <Co>",
        Markup("Episodes of Kim <b>Lee</b>"),
        Markup("Episodes of Ann &amp; Bo"),
    ]
    for caption in captions:
        params = {
            "head": ["Pathway"],
            "rows": [["Liaison and diversion"]],
            "responsive": True,
            "caption": {"text": caption, "classes": "nhsuk-u-visually-hidden"},
        }
        assert str(kept(params)) == str(_macro(env, "table")(params))
    assert len(kept.kept) == 2  # one for text captions, one for HTML captions
