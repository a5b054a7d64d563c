"""Summary lists from kept pieces are the design system macro's HTML, byte for byte."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.template import engines
from markupsafe import Markup

import healthjustice
from healthjustice.web.components import _macro, render_summary_list
from healthjustice.web.summary_lists import KeptSummaryList
from tests.web.test_kept_tables import ODD_HTML, ODD_TEXT

# A bare number is not a key or value the macro shows (it is left to the macro): in a mapping.
ODD_CONTENT: list[Any] = [c for c in ODD_TEXT + ODD_HTML if not isinstance(c, int)] + [
    {"text": 0},
    {"text": 42},
    {"text": Markup("<b>text given as HTML</b>")},
    {"text": "1 May 1990", "classes": "hj-nowrap"},
    {"html": Markup("<b>wide</b>"), "width": "one-half"},
    {"text": "", "classes": "hj-empty"},
    {},
]


@pytest.fixture
def env():
    return engines["jinja2"].env


def _macro_html(env, params: dict[str, Any]) -> str:
    return str(_macro(env, "summary_list")(params))


def _rows(contents: list[Any]) -> list[dict[str, Any]]:
    n = len(contents)
    return [{"key": contents[i], "value": contents[(i * 7 + 3) % n]} for i in range(n)]


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"classes": "nhsuk-summary-list--no-border", "id": "details"},
        {"attributes": {"data-module": "x", "aria-label": "Jo & Sam"}},
        {"border": False},
        {"lastRowBorder": False},
        {"card": {"title": {"text": "About them"}}},
    ],
)
def test_every_kind_of_key_and_value_comes_out_as_the_macro_writes_it(env, extra):
    kept = KeptSummaryList(_macro(env, "summary_list"))
    params = {"rows": _rows(ODD_CONTENT), **extra}
    assert str(kept(params)) == _macro_html(env, params)
    assert [p for p in kept.kept.values() if p is not None]  # from the pieces, not the macro


def test_a_list_of_the_same_shape_is_not_rendered_by_the_macro_again(env):
    calls: list[dict[str, Any]] = []
    macro = _macro(env, "summary_list")

    def counted(params):
        calls.append(params)
        return macro(params)

    kept = KeptSummaryList(counted)
    for name in ("Jo Bloggs", "Sam O'Neil & <Co>", "Kim\nLee"):
        params = {"rows": [{"key": {"text": "Name"}, "value": {"text": name}}]}
        assert str(kept(params)) == _macro_html(env, params)
    assert len(calls) == 1  # the markers' list, once
    assert "Jo Bloggs" not in str(calls[0])


def test_markup_and_text_that_read_the_same_are_kept_apart(env):
    kept = KeptSummaryList(_macro(env, "summary_list"))
    as_text = {"rows": [{"key": "A &amp; B", "value": "x"}]}
    as_html = {"rows": [{"key": Markup("A &amp; B"), "value": "x"}]}
    assert str(kept(as_text)) == _macro_html(env, as_text)
    assert str(kept(as_html)) == _macro_html(env, as_html)
    assert str(kept(as_text)) != str(kept(as_html))


@pytest.mark.parametrize(
    "params",
    [
        {
            "rows": [
                {
                    "key": {"text": "Name"},
                    "value": {"text": "Jo"},
                    "actions": {"items": [{"href": "/change", "text": "Change"}]},
                }
            ]
        },
        {"rows": [{"key": {"text": "Name"}, "value": {"text": "Jo", "attributes": {"x": "1"}}}]},
        {"rows": [{"key": {"text": "Count"}, "value": 3}]},
        {"rows": []},
        {"html": Markup("<div>given whole</div>")},
    ],
)
def test_lists_it_does_not_model_are_left_to_the_macro(env, params):
    kept = KeptSummaryList(_macro(env, "summary_list"))
    assert str(kept(params)) == _macro_html(env, params)
    assert kept.kept == {}  # nothing was cut up for it


def test_the_check_fails_when_the_pieces_are_wrong(env):
    kept = KeptSummaryList(_macro(env, "summary_list"))
    params = {"rows": [{"key": {"text": "Name"}, "value": {"text": "Jo"}}]}
    kept(params)
    (pieces,) = kept.kept.values()
    assert pieces is not None
    object.__setattr__(pieces, "gaps", (pieces.gaps[0] + "<!-- changed -->", *pieces.gaps[1:]))
    with pytest.raises(AssertionError, match="differs from the macro"):
        kept(params, check=True)


def test_templates_use_the_kept_summary_list(env, settings):
    settings.HJ_CHECK_KEPT_SUMMARY_LISTS = True
    params = {"rows": [{"key": {"text": "Name"}, "value": {"text": "Jo <b>"}}]}
    html = env.from_string("{{ summaryList(params) }}").render(params=params)
    assert "Jo &lt;b&gt;" in html
    assert html == _macro_html(env, params) == str(render_summary_list(env, params))
    assert env._hj_kept_summary_list.kept  # the kept pieces were used


def test_no_template_imports_the_summary_list_macro_itself():
    """Every summary list goes through the kept pieces, and so through the tests' check."""
    root = Path(healthjustice.__file__).parent
    importing = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if "summary-list/macro.jinja" in path.read_text()
    ]
    assert importing == []
