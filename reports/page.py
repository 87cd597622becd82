"""Assemble the report page: inline CSS, header, table of contents, sections, figures.

The page is one self-contained HTML file: plotly.js is inlined once in the
head, every figure is a div plus an inline ``Plotly.newPlot`` call with a
fixed div id (so the output is byte-for-byte deterministic), and nothing
is loaded from the network — no CDN, no web fonts, no MathJax.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from reports.figures.style import FONT_FAMILY, PLOTLY_CONFIG
from reports.i18n import Labels

CSS = """
* { box-sizing: border-box; }
body { margin: 0; background: #f1f5f9; color: #1f2937; font-family: FONT; font-size: 14px;
  line-height: 1.55; }
header.top { background: #0f2a4a; color: #fff; padding: 22px 32px 18px; }
header.top h1 { margin: 0 0 6px; font-size: 24px; font-weight: 600; }
header.top .meta { display: flex; flex-wrap: wrap; gap: 6px 28px; font-size: 14px; opacity: .92; }
header.top .meta b { font-weight: 600; margin-right: 6px; opacity: .75; }
.sample { background: #fef3c7; color: #92400e; padding: 8px 32px; font-weight: 600;
  border-bottom: 1px solid #fcd34d; }
main { max-width: 1240px; margin: 0 auto; padding: 20px 24px 40px; }
nav.toc { background: #fff; border-radius: 8px; padding: 10px 18px; margin-bottom: 18px;
  box-shadow: 0 1px 2px rgba(15,23,42,.08); font-size: 13px; }
nav.toc ol { margin: 4px 0; padding-left: 20px; columns: 3; column-gap: 28px; }
nav.toc a { color: #1d4ed8; text-decoration: none; }
section { background: #fff; border-radius: 8px; padding: 18px 22px 20px; margin-bottom: 18px;
  box-shadow: 0 1px 2px rgba(15,23,42,.08); }
section h2 { margin: 0 0 12px; font-size: 18px; color: #0f2a4a;
  border-left: 4px solid #2563eb; padding-left: 10px; }
section h3 { font-size: 15px; margin: 18px 0 8px; color: #334155; }
ul.summary { margin: 0; padding-left: 20px; font-size: 15px; }
ul.summary li { margin: 4px 0; }
p.note { color: #64748b; font-size: 12.5px; margin: 6px 0 0; }
.figure { margin: 6px 0 10px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
@media (max-width: 900px) { .grid2 { grid-template-columns: 1fr; } nav.toc ol { columns: 1; } }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 4px 0 6px; }
th, td { padding: 6px 9px; border-bottom: 1px solid #e2e8f0; text-align: left;
  vertical-align: top; }
th { background: #f8fafc; color: #475569; font-weight: 600; white-space: nowrap; }
tbody tr:hover { background: #f8fafc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.strong { font-weight: 600; }
.good { color: #15803d; }
.bad { color: #b91c1c; }
.muted { color: #64748b; }
td.cause { font-weight: 500; }
.badge { white-space: nowrap; }
td.badge.good { color: #15803d; font-weight: 600; }
td.badge.bad { color: #b91c1c; font-weight: 600; }
td.sev-critical { color: #fff; background: #b91c1c; font-weight: 600; text-align: center; }
td.sev-high { color: #b91c1c; font-weight: 600; }
td.sev-medium { color: #b45309; }
td.sev-low, td.sev-warning { color: #64748b; }
footer { color: #64748b; font-size: 12px; text-align: center; padding: 8px 0 24px; }
""".replace("FONT", FONT_FAMILY)


@dataclass
class Section:
    """One report section: an anchor id, a title and its body HTML parts in order."""

    anchor: str
    title: str
    parts: list[str] = field(default_factory=list)


def figure_html(fig: go.Figure, div_id: str) -> str:
    """Embed ``fig`` as a div with a fixed id; plotly.js itself is inlined once by ``page_html``."""
    body = pio.to_html(
        fig,
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        div_id=div_id,
        config=PLOTLY_CONFIG,
        validate=True,
    )
    return f'<div class="figure">{body}</div>'


def table_html(table: str) -> str:
    """Wrap a table so wide tables scroll sideways instead of breaking the layout."""
    return f'<div class="table-wrap">{table}</div>'


def note_html(text: str) -> str:
    """A small explanatory note under a chart or table."""
    return f'<p class="note">{escape(text)}</p>'


def page_html(
    *,
    title: str,
    labels: Labels,
    meta: list[tuple[str, str]],
    sections: list[Section],
    sample: bool = False,
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
    """
    html_lang = "zh-CN" if labels.lang == "zh" else "en"
    meta_html = "".join(
        f"<span><b>{escape(name)}</b>{escape(value)}</span>" for name, value in meta
    )
    toc = "".join(
        f'<li><a href="#{section.anchor}">{escape(section.title)}</a></li>' for section in sections
    )
    body = "\n".join(
        f'<section id="{s.anchor}">\n<h2>{escape(s.title)}</h2>\n'
        + "\n".join(s.parts)
        + "\n</section>"
        for s in sections
    )
    banner = f'<div class="sample">{escape(labels("sample_banner"))}</div>' if sample else ""
    return f"""<!DOCTYPE html>
<html lang="{html_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{CSS}</style>
<script type="text/javascript">window.PlotlyConfig = {{MathJaxConfig: 'local'}};</script>
<script type="text/javascript" id="plotly-js">{get_plotlyjs()}</script>
</head>
<body>
<header class="top">
<h1>{escape(title)}</h1>
<div class="meta">{meta_html}</div>
</header>
{banner}
<main>
<nav class="toc"><b>{escape(labels("contents"))}</b><ol>{toc}</ol></nav>
{body}
<footer>{escape(labels("footer"))}</footer>
</main>
</body>
</html>
"""
