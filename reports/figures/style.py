"""Shared look of the report's figures: fonts, colours, margins.

Fonts are system CJK-capable families only (no web fonts), so the report
renders offline on Windows, macOS and Linux desktops alike.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from reports.formatting import money_short
from reports.i18n import Labels

FONT_FAMILY = (
    '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", '
    '"WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif'
)

COLORS = {
    "actual": "#1f2937",
    "naive": "#9ca3af",
    "statistical": "#2563eb",
    "consensus": "#ea580c",
    "price": "#7c3aed",
    "volume": "#0891b2",
    "mix": "#ca8a04",
    "increase": "#16a34a",
    "decrease": "#dc2626",
    "total": "#475569",
    "on_hand": "#2563eb",
    "safety": "#dc2626",
    "target": "#16a34a",
    "revenue": "#94a3b8",
    "collections": "#2563eb",
    "dso": "#ea580c",
}

SERIES_PALETTE = ("#2563eb", "#ea580c", "#16a34a", "#7c3aed", "#0891b2", "#ca8a04", "#db2777")

PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}
"""Per-figure plotly.js config: no plotly.com logo link in the mode bar."""


def base_layout(
    fig: go.Figure, title: str, height: int = 380, subplot_titles: bool = False
) -> go.Figure:
    """Apply the report's common layout to ``fig`` and return it.

    The legend sits at the bottom of the figure, below the x axis (positioned
    in the figure's own coordinates, in the bottom margin), so it can never
    cover the title or the panel titles, however many lines it wraps to.
    """
    top, bottom = (88 if subplot_titles else 64), 104
    fig.update_layout(
        template="plotly_white",
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 15}},
        font={"family": FONT_FAMILY, "size": 12, "color": "#1f2937"},
        height=height + bottom - 48,
        margin={"l": 60, "r": 24, "t": top, "b": bottom},
        legend={
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0.0,
            "xanchor": "left",
            "x": 0.0,
        },
        hovermode="x unified",
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
    )
    return fig


def empty_figure(title: str, message: str, height: int = 220) -> go.Figure:
    """A figure that says there is nothing to plot, so every section keeps its chart slot."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return base_layout(fig, title, height)


def money_ticks(low: float, high: float, labels: Labels, count: int = 5) -> dict:
    """Axis settings putting about ``count`` round money ticks between ``low`` and ``high``.

    Plotly's SI suffixes (k, M) read oddly to Chinese finance readers, who
    count in 万 and 亿; this labels the ticks with ``money_short`` instead.
    """
    low, high = min(low, 0.0), max(high, 0.0)
    span = (high - low) or 1.0
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    values = [first + i * step for i in range(int((high - first) / step) + 2)]
    values = [v for v in values if v <= high + step * 0.999]
    return {"tickvals": values, "ticktext": [money_short(v, labels) for v in values]}
