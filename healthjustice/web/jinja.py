"""The Jinja2 environment: NHS.UK frontend macros, our helpers and filters."""

from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from healthjustice.core.dates import age_on, format_date, format_datetime
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from .components import (
    kept_components,
    render_error_summary,
    render_field,
    render_summary_list,
    render_table,
)
from .navigation import navigation, primary_team


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def csp_nonce(request: Any) -> str:
    """This request's CSP nonce as a string ("" outside a request), so the header names it."""
    nonce = getattr(request, "csp_nonce", None)
    return str(nonce) if nonce is not None else ""


def environment(**options: Any) -> Environment:
    loader = options.pop("loader", None)
    loaders = [loader] if loader else []
    options["loader"] = ChoiceLoader([*loaders, PackageLoader("nhsuk_frontend_jinja")])
    options["undefined"] = ChainableUndefined
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    options.setdefault("autoescape", True)
    # {% do rows.append(...) %}: templates build a table's rows for the one table helper.
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.do"]
    env = Environment(**options)  # noqa: S701 - autoescape is on
    env.globals.update(
        url=url,
        static=static,
        csp_nonce=csp_nonce,
        get_messages=get_messages,
        has_permission=has_permission,
        Permission=Permission,
        navigation=navigation,
        primary_team=primary_team,
        service_name=settings.SERVICE_NAME,
        demo_mode=getattr(settings, "DEMO_MODE", False),
        field=lambda bf, **kw: render_field(env, bf, **kw),
        error_summary=lambda form: render_error_summary(env, form),
        table=lambda **kw: render_table(env, **kw),
        summaryList=lambda params=None: render_summary_list(env, params),
        kept=kept_components(env),
    )
    env.filters.update(date=format_date, datetime=format_datetime, age=age_on)
    return env
