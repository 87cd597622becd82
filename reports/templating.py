"""The report's Jinja2 environment: templates shipped in ``reports/templates``, HTML autoescaped.

Templates see the report's labels as ``t`` (``t("code")``, ``t.get``, ``t.month``) and
format values with the filters below, which read the language and currency from ``t``;
every filter is a function of ``reports.formatting`` (Babel / CLDR).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from reports import formatting
from reports.evidence import alert_evidence
from reports.i18n import Labels


def _with_labels(function: Callable[..., str]) -> Callable[..., str]:
    """A filter calling ``function(value, labels, ...)`` with the template's labels ``t``."""

    @pass_context
    def bound(context: Context, value: Any, *args: Any, **kwargs: Any) -> str:
        return function(value, context["t"], *args, **kwargs)

    return bound


def tone(value: Any, good_when_positive: Any) -> str:
    """CSS class colouring a change: good (green), bad (red) or neutral ("")."""
    if formatting.is_missing(value) or formatting.is_missing(good_when_positive) or value == 0:
        return ""
    return "good" if (value > 0) == bool(good_when_positive) else "bad"


def flag(value: Any) -> bool | None:
    """A nullable boolean column's value: True, False or None (missing)."""
    return None if formatting.is_missing(value) else bool(value)


def exact(value: Any) -> str:
    """An amount to the cent, for ``data-value`` attributes ("" when missing)."""
    return "" if formatting.is_missing(value) else f"{float(value):.2f}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one environment of the report (templates are compiled once per process)."""
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        money=_with_labels(formatting.money),
        percent=_with_labels(formatting.percent),
        points=_with_labels(formatting.points),
        number=_with_labels(formatting.number),
        cycle=_with_labels(formatting.month_code),
        timestamp=_with_labels(formatting.timestamp),
        kpi_value=_with_labels(lambda value, labels, kpi: formatting.kpi_value(kpi, value, labels)),
        kpi_change=_with_labels(
            lambda value, labels, kpi: formatting.kpi_change(kpi, value, labels)
        ),
        evidence=_with_labels(alert_evidence),
        exact=exact,
        flag=flag,
    )
    env.globals.update(tone=tone, missing=formatting.is_missing, DASH=formatting.DASH)
    return env


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as dicts, for templates to loop over."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def render(template: str, labels: Labels, context: Mapping[str, Any]) -> Markup:
    """Render ``template`` with ``context`` and the labels as ``t``."""
    return Markup(environment().get_template(template).render(context, t=labels))
