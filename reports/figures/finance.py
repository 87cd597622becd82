"""Money figures: price/volume/mix of the largest deviations, budget waterfall, cash."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from reports.figures.style import COLORS, base_layout, empty_figure, money_ticks
from reports.formatting import money
from reports.i18n import Labels


def deviation_labels(top: pd.DataFrame, labels: Labels) -> list[str]:
    """Row labels for the deviations: rank, subject and level, unique even if subjects repeat."""
    return [
        f"{rank}. {subject} ({labels.get('level_' + str(level), str(level))})"
        for rank, subject, level in zip(
            range(1, len(top) + 1), top["subject"], top["level"], strict=True
        )
    ]


def deviations_figure(top: pd.DataFrame, labels: Labels) -> go.Figure:
    """Price, volume and mix effects of the largest revenue deviations, stacked per subject.

    Parameters
    ----------
    top : DataFrame
        The month's top deviations, largest first (``deviations`` contract columns).
    """
    title = labels("fig_deviations")
    if top.empty:
        return empty_figure(title, labels("no_data"))
    names = deviation_labels(top, labels)
    fig = go.Figure()
    for column, label, color in (
        ("price_effect", "col_price_effect", COLORS["price"]),
        ("volume_effect", "col_volume_effect", COLORS["volume"]),
        ("mix_effect", "col_mix_effect", COLORS["mix"]),
    ):
        fig.add_trace(
            go.Bar(
                y=names,
                x=top[column],
                name=labels(label),
                orientation="h",
                marker_color=color,
                customdata=[money(v, labels, signed=True) for v in top[column]],
                hovertemplate="%{customdata}",
            )
        )
    variance = top["revenue_variance"]
    fig.add_trace(
        go.Scatter(
            y=names,
            x=variance,
            name=labels("col_variance"),
            mode="markers",
            marker={"symbol": "diamond", "size": 11, "color": COLORS["actual"]},
            customdata=[money(v, labels, signed=True) for v in variance],
            hovertemplate="%{customdata}",
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    effects = top[["price_effect", "volume_effect", "mix_effect"]]
    low = min(effects.clip(upper=0).sum(axis=1).min(), variance.min())
    high = max(effects.clip(lower=0).sum(axis=1).max(), variance.max())
    fig.update_xaxes(
        title_text=labels.in_currency("axis_variance"),
        zeroline=True,
        **money_ticks(low, high, labels),
    )
    base_layout(fig, title, height=140 + 34 * len(top))
    fig.update_layout(barmode="relative", hovermode="y unified")
    return fig


def budget_waterfall_figure(summary: pd.DataFrame, labels: Labels) -> go.Figure:
    """Waterfall from budget to actual operating profit, for the month and the year to date.

    Parameters
    ----------
    summary : DataFrame
        Indexed by measure (revenue, cogs, opex, operating_profit) with columns
        ``budget, actual, variance`` and the same with ``_ytd``.
    """
    title = labels("fig_budget_waterfall")
    if summary.empty:
        return empty_figure(title, labels("no_data"))
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=[labels("this_month"), labels("ytd")],
        horizontal_spacing=0.1,
    )
    steps = [
        labels("wf_budget_profit"),
        labels("wf_revenue"),
        labels("wf_cogs"),
        labels("wf_opex"),
        labels("wf_actual_profit"),
    ]
    for col, period in enumerate(("", "_ytd"), start=1):
        budget, actual = summary[f"budget{period}"], summary[f"actual{period}"]
        variance = summary[f"variance{period}"]
        values = [
            budget["operating_profit"],
            variance["revenue"],
            -variance["cogs"],
            -variance["opex"],
            actual["operating_profit"],
        ]
        fig.add_trace(
            go.Waterfall(
                x=steps,
                y=values,
                measure=["absolute", "relative", "relative", "relative", "total"],
                text=[money(v, labels, signed=0 < i < 4) for i, v in enumerate(values)],
                textposition="outside",
                cliponaxis=False,
                increasing={"marker": {"color": COLORS["increase"]}},
                decreasing={"marker": {"color": COLORS["decrease"]}},
                totals={"marker": {"color": COLORS["total"]}},
                connector={"line": {"color": "#94a3b8", "width": 1}},
                showlegend=False,
                hoverinfo="skip",
            ),
            row=1,
            col=col,
        )
        running = [sum(values[: i + 1]) for i in range(4)] + [values[4]]
        fig.update_yaxes(money_ticks(min(running), max(running), labels), row=1, col=col)
    fig.update_yaxes(rangemode="tozero")
    fig.update_yaxes(title_text=labels.in_currency("axis_amount"), row=1, col=1)
    base_layout(fig, title, height=420)
    fig.update_layout(hovermode=False, margin={"t": 90})
    return fig


def cash_figure(window: pd.DataFrame, labels: Labels) -> go.Figure:
    """Monthly net revenue vs cash collected (bars) with DSO on a second axis.

    Parameters
    ----------
    window : DataFrame
        ``cash`` rows of the months to show (``month`` as Timestamp), sorted.
    """
    title = labels("fig_cash")
    if window.empty:
        return empty_figure(title, labels("no_data"))
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    for column, label, color in (
        ("net_revenue", "series_revenue", COLORS["revenue"]),
        ("cash_collected", "series_collections", COLORS["collections"]),
    ):
        fig.add_trace(
            go.Bar(
                x=window["month"],
                y=window[column],
                name=labels(label),
                marker_color=color,
                customdata=[money(v, labels) for v in window[column]],
                hovertemplate="%{customdata}",
            ),
            secondary_y=False,
        )
    fig.add_trace(
        go.Scatter(
            x=window["month"],
            y=window["dso"],
            name=labels("series_dso"),
            mode="lines+markers",
            line={"color": COLORS["dso"], "width": 2},
            hovertemplate="%{y:.1f}",
        ),
        secondary_y=True,
    )
    high = window[["net_revenue", "cash_collected"]].max().max()
    fig.update_yaxes(
        title_text=labels.in_currency("axis_amount"),
        secondary_y=False,
        **money_ticks(0.0, high, labels),
    )
    fig.update_yaxes(
        title_text=labels("axis_days"),
        range=[0, float(window["dso"].max()) * 1.15],
        tickmode="auto",
        tickformat=".0f",
        showgrid=False,
        secondary_y=True,
    )
    fig.update_xaxes(tickformat="%Y-%m", dtick="M1", tickangle=-45)
    base_layout(fig, title, height=380)
    fig.update_layout(barmode="group")
    return fig
