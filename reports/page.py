"""Assemble the report page from its templates: sections, figures, header and contents.

The page is one self-contained HTML file: plotly.js is inlined once in the
head, every figure is a div plus an inline ``Plotly.newPlot`` call with a
fixed div id (so the output is byte-for-byte deterministic), and nothing
is loaded from the network — no CDN, no web fonts, no MathJax. The markup
is in ``reports/templates`` (``page.html``, one ``sections/<anchor>.html`` per
section, ``tables/*.html``); values are escaped by the templates' autoescape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from reports.figures.style import FONT_FAMILY, PLOTLY_CONFIG
from reports.i18n import Labels
from reports.templating import render


@dataclass(frozen=True)
class Section:
    """One report section: its anchor, its title and the values its template shows.

    The template is ``reports/templates/sections/<anchor>.html``; ``context`` is what it
    reads (frames as ``templating.records``, figures as ``figure_html``), besides the
    labels ``t`` every template has.
    """

    anchor: str
    title: str
    context: Mapping[str, Any] = field(default_factory=dict)

    @property
    def template(self) -> str:
        """The section's template, named after its anchor."""
        return f"sections/{self.anchor}.html"


def figure_html(fig: go.Figure, div_id: str) -> Markup:
    """``fig`` as a div with a fixed id; plotly.js itself is inlined once by ``page_html``."""
    return Markup(
        pio.to_html(
            fig,
            full_html=False,
            include_plotlyjs=False,
            include_mathjax=False,
            div_id=div_id,
            config=PLOTLY_CONFIG,
            validate=True,
        )
    )


def _html_lang(labels: Labels) -> str:
    return "zh-CN" if labels.lang == "zh" else "en"


def section_body(
    section: Section,
    labels: Labels,
    missing: tuple[str, ...] | None = None,
    partial: bool = False,
) -> Markup:
    """The section's body; with ``missing`` sources, the sentence naming them instead (or,
    for a ``partial`` section, before what it can still show)."""
    if not missing:
        return render(section.template, labels, section.context)
    body = render(section.template, labels, section.context) if partial else Markup()
    return render(
        "missing_sources.html",
        labels,
        {"sources": ", ".join(missing), "partial": partial, "body": body},
    )


def page_html(
    *,
    title: str,
    labels: Labels,
    meta: list[tuple[str, str]],
    sections: list[Section],
    sample: bool = False,
    missing_sources: Mapping[str, tuple[str, ...]] | None = None,
    partial_sections: tuple[str, ...] = (),
) -> str:
    """Return the whole HTML document.

    Parameters
    ----------
    title : str
        Page and header title.
    meta : list of (label, value)
        Header facts: company, cycle, month.
    sections : list of Section
        In display order; each becomes a ``<section>`` with an anchor in the contents.
    sample : bool
        Show a banner saying the figures are synthetic sample data.
    missing_sources : mapping, optional
        Section anchor -> the sources it needs that the company does not send.
    partial_sections : tuple of str
        Anchors of the sections that keep what they can show when a source is missing.
    """
    missing_sources = missing_sources or {}
    bodies = [
        {
            "anchor": s.anchor,
            "title": s.title,
            "body": section_body(
                s, labels, missing_sources.get(s.anchor), s.anchor in partial_sections
            ),
        }
        for s in sections
    ]
    return render(
        "page.html",
        labels,
        {
            "html_lang": _html_lang(labels),
            "title": title,
            "meta": meta,
            "sections": bodies,
            "sample": sample,
            "font_family": FONT_FAMILY,
            "plotly_js": Markup(get_plotlyjs()),
        },
    )


def index_html(labels: Labels, reports: list[tuple[Any, str]]) -> str:
    """The reports folder's index: (month, file name) pairs, in the order given."""
    return render(
        "index.html",
        labels,
        {"html_lang": _html_lang(labels), "reports": reports, "font_family": FONT_FAMILY},
    )
