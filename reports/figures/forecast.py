"""Forecast figures: actual vs lag-1 forecasts, accuracy by lag, forecast value added."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from reports.figures.style import COLORS, base_layout, empty_figure
from reports.i18n import Labels

_SERIES = (
    ("actual_units", "series_actual", "actual", "solid"),
    ("statistical_units", "series_statistical", "statistical", "solid"),
    ("consensus_units", "series_consensus", "consensus", "dash"),
    ("naive_units", "series_naive", "naive", "dot"),
)


def _add_forecast_traces(
    fig: go.Figure, frame: pd.DataFrame, labels: Labels, show_legend: bool, **cell
) -> None:
    for column, label, color_key, dash in _SERIES:
        fig.add_trace(
            go.Scatter(
                x=frame["month"],
                y=frame[column],
                name=labels(label),
                legendgroup=column,
                showlegend=show_legend,
                mode="lines+markers" if column == "actual_units" else "lines",
                line={
                    "color": COLORS[color_key],
                    "dash": dash,
                    "width": 3 if column == "actual_units" else 2,
                },
                marker={"size": 5},
                hovertemplate="%{y:,.0f}",
            ),
            **cell,
        )


def forecast_total_figure(window: pd.DataFrame, labels: Labels) -> go.Figure:
    """Total actual demand against the lag-1 statistical, consensus and naive forecasts.

    Parameters
    ----------
    window : DataFrame
        ``forecast_vs_actual`` rows of the months to show (``month`` as Timestamp).
    """
    title = labels("fig_forecast_total")
    if window.empty:
        return empty_figure(title, labels("no_data"))
    total = window.groupby("month", as_index=False)[[s[0] for s in _SERIES]].sum()
    fig = go.Figure()
    _add_forecast_traces(fig, total, labels, show_legend=True)
    fig.update_yaxes(title_text=labels("axis_units"), rangemode="tozero", tickformat=",.0f")
    fig.update_xaxes(dtick="M1", tickformat="%Y-%m", tickangle=-45)
    return base_layout(fig, title, height=400)


def forecast_by_line_figure(window: pd.DataFrame, labels: Labels) -> go.Figure:
    """Small multiples: one panel per product line, actual vs the three lag-1 forecasts."""
    title = labels("fig_forecast_by_line")
    if window.empty:
        return empty_figure(title, labels("no_data"))
    lines = sorted(window["product_line"].astype(str).unique())
    cols = 2
    rows = math.ceil(len(lines) / cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=lines,
        shared_xaxes=True,
        vertical_spacing=0.16 / max(rows - 1, 1) + 0.06,
        horizontal_spacing=0.08,
    )
    for i, line in enumerate(lines):
        frame = window[window["product_line"].astype(str) == line].sort_values("month")
        _add_forecast_traces(
            fig, frame, labels, show_legend=i == 0, row=i // cols + 1, col=i % cols + 1
        )
    fig.update_yaxes(rangemode="tozero", tickformat="~s")
    fig.update_xaxes(tickformat="%Y-%m", dtick="M3")
    return base_layout(fig, title, height=200 + 230 * rows, subplot_titles=True)


def accuracy_by_lag_figure(window: pd.DataFrame, labels: Labels) -> go.Figure:
    """Accuracy (1 − WAPE) of each method over the months forecast, one panel per lag.

    Parameters
    ----------
    window : DataFrame
        ``forecast_accuracy`` rows to show (``target_month`` as Timestamp).
    """
    title = labels("fig_accuracy_by_lag")
    if window.empty:
        return empty_figure(title, labels("no_data"))
    lags = sorted(int(lag) for lag in window["lag_months"].unique())
    fig = make_subplots(
        rows=1,
        cols=len(lags),
        subplot_titles=[labels("lag_n", n=lag) for lag in lags],
        shared_yaxes=True,
        horizontal_spacing=0.04,
    )
    for col, lag in enumerate(lags, start=1):
        at_lag = window[window["lag_months"] == lag]
        for method in ("naive", "statistical", "consensus"):
            series = at_lag[at_lag["method"] == method].sort_values("target_month")
            fig.add_trace(
                go.Scatter(
                    x=series["target_month"],
                    y=series["forecast_accuracy"],
                    name=labels(f"method_{method}"),
                    legendgroup=method,
                    showlegend=col == 1,
                    mode="lines+markers",
                    line={
                        "color": COLORS[method],
                        "dash": "dot" if method == "naive" else "solid",
                    },
                    marker={"size": 4},
                    hovertemplate="%{y:.1%}",
                ),
                row=1,
                col=col,
            )
    fig.update_yaxes(tickformat=".0%")
    fig.update_yaxes(title_text=labels("axis_accuracy"), row=1, col=1)
    fig.update_xaxes(tickformat="%Y-%m", dtick="M3", tickangle=-45)
    return base_layout(fig, title, height=400, subplot_titles=True)


def fva_figure(summary: pd.DataFrame, labels: Labels) -> go.Figure:
    """Forecast value added per lag, in points of accuracy.

    Parameters
    ----------
    summary : DataFrame
        One row per lag (``lag_months``) with ``fva_stat_vs_naive`` and ``fva_consensus_vs_stat``
        (fractions; positive = the later step improved the forecast).
    """
    title = labels("fig_fva")
    if summary.empty:
        return empty_figure(title, labels("no_data"))
    x = [labels("lag_n", n=int(lag)) for lag in summary["lag_months"]]
    fig = go.Figure()
    for column, label, color in (
        ("fva_stat_vs_naive", "fva_stat_vs_naive", COLORS["statistical"]),
        ("fva_consensus_vs_stat", "fva_consensus_vs_stat", COLORS["consensus"]),
    ):
        values = summary[column] * 100.0
        fig.add_trace(
            go.Bar(
                x=x,
                y=values,
                name=labels(label),
                marker_color=color,
                text=[f"{v:+.1f}" for v in values],
                textposition="outside",
                hovertemplate="%{y:+.1f}",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=labels("axis_fva"), zeroline=True, zerolinecolor="#64748b")
    base_layout(fig, title, height=340)
    fig.update_layout(hovermode="closest")
    return fig
