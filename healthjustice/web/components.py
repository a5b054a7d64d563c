"""Render Django form fields with the NHS.UK frontend macros, errors the NHS way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.conf import settings
from jinja2 import Environment
from markupsafe import Markup

from healthjustice.core.fields import DateInputWidget

from .summary_lists import KeptSummaryList
from .tables import KeptTable, params_key

_MACROS = {
    "input": ("nhsuk/components/input/macro.jinja", "input"),
    "textarea": ("nhsuk/components/textarea/macro.jinja", "textarea"),
    "select": ("nhsuk/components/select/macro.jinja", "select"),
    "radios": ("nhsuk/components/radios/macro.jinja", "radios"),
    "checkboxes": ("nhsuk/components/checkboxes/macro.jinja", "checkboxes"),
    "date": ("nhsuk/components/date-input/macro.jinja", "dateInput"),
    "error_summary": ("nhsuk/components/error-summary/macro.jinja", "errorSummary"),
    "table": ("nhsuk/components/tables/macro.jinja", "table"),
    "summary_list": ("nhsuk/components/summary-list/macro.jinja", "summaryList"),
}


def _macro(env: Environment, key: str):
    path, name = _MACROS[key]
    return getattr(env.get_template(path).module, name)


def error_text(bf: forms.BoundField, error: object) -> str:
    """The message as the form gave it: every form names its fields in its messages
    (healthjustice.core.error_messages)."""
    return str(error)


def _error(bf: forms.BoundField) -> dict[str, str] | None:
    return {"text": " ".join(error_text(bf, e) for e in bf.errors)} if bf.errors else None


def _choices(bf: forms.BoundField) -> list[tuple[str, str]]:
    field = bf.field
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{bf.name} has no choices")
    # A form field keeps its choices normalised to (value, label) pairs.
    pairs = cast(Iterable[tuple[Any, Any]], field.choices)
    return [(str(v), str(label)) for v, label in pairs]


def _selected(bf: forms.BoundField) -> set[str]:
    value = bf.value()
    if value is None:
        return set()
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return {str(value)}


def _length_attributes(widget: forms.Widget) -> dict[str, str]:
    """The browser stops typing at the field's limit: Django puts a CharField's max_length
    (and minlength) on its widget; the design system's macros take them as attributes."""
    return {k: str(widget.attrs[k]) for k in ("maxlength", "minlength") if k in widget.attrs}


def render_field(env: Environment, bf: forms.BoundField, **overrides: Any) -> Markup:
    widget = bf.field.widget
    label_text = str(bf.label)
    hint = overrides.pop("hint", bf.help_text or None)
    common: dict[str, Any] = {
        "id": bf.auto_id,
        "name": bf.html_name,
        "hint": {"text": str(hint)} if hint else None,
        "errorMessage": _error(bf),
    }
    classes = overrides.pop("classes", None)
    if isinstance(widget, DateInputWidget):
        values = bf.value() or [None, None, None]
        if not isinstance(values, list | tuple):
            values = widget.decompress(values)
        names = ["day", "month", "year"]
        params = {
            **common,
            "id": bf.auto_id,
            "namePrefix": bf.html_name,
            "fieldset": {"legend": {"text": label_text, "size": "s"}},
            "items": [
                {
                    "id": f"{bf.auto_id}_{i}",
                    "name": str(i),
                    "label": names[i].capitalize(),
                    "value": values[i] or "",
                    "classes": ("nhsuk-input--width-4" if i == 2 else "nhsuk-input--width-2")
                    + (" nhsuk-input--error" if bf.errors else ""),
                    "inputmode": "numeric",
                }
                for i in range(3)
            ],
        }
        params.pop("name")
        # MultiWidget field names are <prefix>_<index>; the macro joins prefix and name with '-'.
        for item in params["items"]:
            item["name"] = f"{bf.html_name}_{item['name']}"
        params.pop("namePrefix")
        params.update(overrides)
        return _macro(env, "date")(params)
    # CheckboxSelectMultiple subclasses RadioSelect in Django: it must not become radios.
    if isinstance(widget, forms.RadioSelect) and not isinstance(
        widget, forms.CheckboxSelectMultiple
    ):
        chosen = _selected(bf)
        params = {
            **common,
            "fieldset": {"legend": {"text": label_text, "size": "s"}},
            "items": [
                {"value": v, "text": t, "checked": v in chosen} for v, t in _choices(bf) if v != ""
            ],
        }
        params.update(overrides)
        return _macro(env, "radios")(params)
    if isinstance(widget, forms.CheckboxSelectMultiple):
        chosen = _selected(bf)
        params = {
            **common,
            "fieldset": {"legend": {"text": label_text, "size": "s"}},
            "items": [{"value": v, "text": t, "checked": v in chosen} for v, t in _choices(bf)],
        }
        params.update(overrides)
        return _macro(env, "checkboxes")(params)
    if isinstance(widget, forms.CheckboxInput):
        params = {
            **common,
            "items": [{"value": "on", "text": label_text, "checked": bool(bf.value())}],
        }
        params.update(overrides)
        return _macro(env, "checkboxes")(params)
    if isinstance(widget, forms.Select):
        chosen = _selected(bf)
        params = {
            **common,
            "label": {"text": label_text},
            "items": [{"value": v, "text": t, "selected": v in chosen} for v, t in _choices(bf)],
        }
        params.update(overrides)
        return _macro(env, "select")(params)
    if isinstance(widget, forms.Textarea):
        params = {**common, "label": {"text": label_text}, "value": bf.value() or ""}
        if "rows" in widget.attrs:
            params["rows"] = widget.attrs["rows"]
        params["attributes"] = _length_attributes(widget)
        params.update(overrides)
        return _macro(env, "textarea")(params)
    input_type = getattr(widget, "input_type", "text")
    params = {
        **common,
        "label": {"text": label_text},
        "value": "" if input_type == "password" else (bf.value() or ""),
        "type": input_type,
    }
    if classes:
        params["classes"] = classes
    if "autocomplete" in widget.attrs:
        params["autocomplete"] = widget.attrs["autocomplete"]
    params["attributes"] = _length_attributes(widget)
    params.update(overrides)
    return _macro(env, "input")(params)


def render_error_summary(env: Environment, form: forms.Form) -> Markup:
    if not form.is_bound or not form.errors:
        return Markup("")
    items = [{"text": str(e), "href": "#"} for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        bf = form[name]
        anchor = f"{bf.auto_id}_0" if isinstance(bf.field.widget, DateInputWidget) else bf.auto_id
        if isinstance(bf.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            anchor = f"{bf.auto_id}"
        items.extend({"text": error_text(bf, e), "href": f"#{anchor}"} for e in errors)
    return _macro(env, "error_summary")({"titleText": "There is a problem", "errorList": items})


def _cell(value: Any) -> Any:
    """A table cell as the macro reads it: text is escaped, Markup (a `{% set %}` block or a
    macro's output) is HTML, a mapping passes through; anything else (a number, None) as text."""
    if isinstance(value, dict):
        return {**value, **({"text": _text(value["text"])} if "text" in value else {})}
    return value if isinstance(value, str) else _text(value)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def render_table(
    env: Environment,
    *,
    head: list[Any],
    rows: list[list[Any]],
    caption: str | None = None,
    caption_hidden: bool = False,
    caption_size: str | None = None,
    first_cell_is_header: bool = False,
    classes: str | None = None,
    **overrides: Any,
) -> Markup:
    """Every table of the service, through the design system's table macro, always responsive:
    on a phone each row becomes a card of "heading value" lines, so no page scrolls sideways."""
    params: dict[str, Any] = {
        "responsive": True,
        "firstCellIsHeader": first_cell_is_header,
        "head": [_cell(h) for h in head],
        "rows": [[_cell(c) for c in row] for row in rows],
        **({"classes": classes} if classes else {}),
        **overrides,
    }
    if caption:
        params["caption"] = {
            "text": caption,
            **({"classes": "nhsuk-u-visually-hidden"} if caption_hidden else {}),
            **({"size": caption_size} if caption_size else {}),
        }
    return _kept_table(env)(params, check=settings.HJ_CHECK_KEPT_TABLES)


_KEPT_TABLE_ATTR = "_hj_kept_table"


def _kept_table(env: Environment) -> KeptTable:
    """The environment's table renderer, made once (web.tables)."""
    kept = getattr(env, _KEPT_TABLE_ATTR, None)
    if not isinstance(kept, KeptTable):
        kept = KeptTable(_macro(env, "table"))
        setattr(env, _KEPT_TABLE_ATTR, kept)
    return kept


def render_summary_list(env: Environment, params: dict[str, Any] | None = None) -> Markup:
    """The design system's summary list (the template global `summaryList`), from pieces the
    macro rendered once for lists of the same shape (web.summary_lists)."""
    kept = getattr(env, _KEPT_SUMMARY_LIST_ATTR, None)
    if not isinstance(kept, KeptSummaryList):
        kept = KeptSummaryList(_macro(env, "summary_list"))
        setattr(env, _KEPT_SUMMARY_LIST_ATTR, kept)
    return kept(params or {}, check=settings.HJ_CHECK_KEPT_SUMMARY_LISTS)


_KEPT_SUMMARY_LIST_ATTR = "_hj_kept_summary_list"


class KeptRendering:
    """A design-system component whose HTML depends only on its parameters (the NHS.UK header
    and footer macros read nothing else), rendered once for each distinct set of parameters
    and kept for the life of the process: the layout gives every page the same header for a
    user, so rendering it again on every request is wasted work.

    Anything that differs on every request (the sign-out form's CSRF token) stays out of the
    parameters: the layout passes a placeholder and `fill` puts the request's HTML in its
    place after the kept HTML is found. At most `size` renderings are kept; when full, all
    are forgotten and kept again as they are asked for.
    """

    def __init__(self, env: Environment, template: str, macro: str, size: int = 512) -> None:
        self.env, self.template, self.macro, self.size = env, template, macro, size
        self.kept: dict[str, str] = {}

    def __call__(self, params: dict[str, Any], fill: dict[str, Any] | None = None) -> Markup:
        key = params_key(params)
        html = self.kept.get(key)
        if html is None:
            html = str(getattr(self.env.get_template(self.template).module, self.macro)(params))
            if len(self.kept) >= self.size:
                self.kept.clear()
            self.kept[key] = html
        for placeholder, value in (fill or {}).items():
            html = html.replace(placeholder, str(value))
        return Markup(html)  # noqa: S704 - the design system's macro output, escaped by it


def kept_components(env: Environment) -> dict[str, KeptRendering]:
    """The layout's header, footer, skip link and breadcrumbs, each rendered once for each
    distinct set of inputs."""
    return {
        "header": KeptRendering(env, "nhsuk/components/header/macro.jinja", "header"),
        "footer": KeptRendering(env, "nhsuk/components/footer/macro.jinja", "footer"),
        "skipLink": KeptRendering(env, "nhsuk/components/skip-link/macro.jinja", "skipLink"),
        "breadcrumb": KeptRendering(env, "nhsuk/components/breadcrumb/macro.jinja", "breadcrumb"),
    }
