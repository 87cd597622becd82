"""Inventory figures: stock against safety stock and target, inventory value trend."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from reports.figures.style import (
    COLORS,
    SERIES_PALETTE,
    base_layout,
    empty_figure,
    money_ticks,
)
from reports.formatting import money
from reports.i18n import Labels


def inventory_position_figure(month_rows: pd.DataFrame, labels: Labels) -> go.Figure:
    """On-hand units per product line as bars, safety stock and target stock as markers.

    Parameters
    ----------
    month_rows : DataFrame
        ``inventory`` rows of the reviewed month, one per product line.
    """
    title = labels("fig_inventory_position")
    if month_rows.empty:
        return empty_figure(title, labels("no_data"))
    rows = month_rows.sort_values("product_line")
    lines = rows["product_line"].astype(str)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=lines,
            y=rows["on_hand_units"],
            name=labels("series_on_hand"),
            marker_color=COLORS["on_hand"],
            hovertemplate="%{y:,.0f}",
        )
    )
    for column, label, color, symbol in (
        ("safety_stock_units", "series_safety_stock", COLORS["safety"], "line-ew"),
        ("target_stock_units", "series_target_stock", COLORS["target"], "line-ew"),
    ):
        fig.add_trace(
            go.Scatter(
                x=lines,
                y=rows[column],
                name=labels(label),
                mode="markers",
                marker={
                    "symbol": symbol,
                    "size": 44,
                    "line": {"width": 4, "color": color},
                    "color": color,
                },
                hovertemplate="%{y:,.0f}",
            )
        )
    fig.update_yaxes(title_text=labels("axis_units"), tickformat="~s", rangemode="tozero")
    return base_layout(fig, title, height=360)


def inventory_value_figure(window: pd.DataFrame, labels: Labels) -> go.Figure:
    """Month-end inventory value by product line, stacked, over the months shown."""
    title = labels("fig_inventory_value")
    if window.empty:
        return empty_figure(title, labels("no_data"))
    fig = go.Figure()
    lines = sorted(window["product_line"].astype(str).unique())
    for i, line in enumerate(lines):
        series = window[window["product_line"].astype(str) == line].sort_values("month")
        color = SERIES_PALETTE[i % len(SERIES_PALETTE)]
        fig.add_trace(
            go.Scatter(
                x=series["month"],
                y=series["inventory_value"],
                name=line,
                stackgroup="value",
                mode="lines",
                line={"color": color, "width": 1},
                customdata=[money(v, labels) for v in series["inventory_value"]],
                hovertemplate="%{customdata}",
            )
        )
    high = window.groupby("month")["inventory_value"].sum().max()
    fig.update_yaxes(title_text=labels.in_currency("axis_amount"), **money_ticks(0.0, high, labels))
    fig.update_xaxes(tickformat="%Y-%m", dtick="M1", tickangle=-45)
    return base_layout(fig, title, height=360)
