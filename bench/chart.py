"""The cost-vs-scale chart: seconds against series, log-log, one line per stage, limits dashed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from bench.results import LIMIT_OF, STAGES

LIMIT_NAMES = {
    "raw_read": "limit: DuckDB read_csv/read_parquet (vs ingest)",
    "forecast_native": "limit: statsforecast native (vs forecast)",
    "forecast_spark": "forecast on the Spark engine (local[2])",
}


def cost_figure(results: dict[str, Any]) -> go.Figure:
    """One trace per stage (and the full cycle) over the scales of a results document."""
    fig = go.Figure()
    scales = sorted(results["scales"], key=lambda e: e["scale"]["target_series"])
    limits = set(LIMIT_OF.values())
    for stage in (*STAGES, "full_cycle"):
        xs, ys, text = [], [], []
        for entry in scales:
            series = entry["summary"]["series"] or entry["scale"]["target_series"]
            if stage == "full_cycle":
                seconds, peak = (
                    entry["summary"]["full_cycle_seconds"],
                    entry["summary"]["full_cycle_peak_rss_mib"],
                )
            else:
                measured = entry["stages"].get(stage) or {}
                if measured.get("status") != "ok":
                    continue
                seconds, peak = measured["seconds"], measured["peak_rss_mib"]
            if seconds is None:
                continue
            xs.append(series)
            ys.append(seconds)
            text.append(f"peak {peak:,.0f} MiB" if peak is not None else "")
        if not xs:
            continue
        slope = results.get("slopes", {}).get(stage)
        name = LIMIT_NAMES.get(stage, stage.replace("_", " "))
        if slope is not None:
            name += f" (slope {slope:.2f})"
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                name=name,
                text=text,
                hovertemplate="%{x:,} series<br>%{y:.1f} s<br>%{text}<extra>" + stage + "</extra>",
                line={
                    "dash": "dash" if stage in limits else "solid",
                    "width": 4 if stage == "full_cycle" else 2,
                },
            )
        )
    machine = results.get("machine", {})
    fig.update_layout(
        title=(
            f"Cost vs scale ({results.get('mode', '')} bench, {machine.get('logical_cores')} cores, "
            f"{machine.get('ram_gib')} GiB; load avg at start "
            f"{(machine.get('load_avg_at_start') or [0])[0]:.1f})"
        ),
        xaxis={"type": "log", "title": "sku x region x channel series"},
        yaxis={"type": "log", "title": "wall seconds"},
        template="plotly_white",
        legend={"font": {"size": 11}},
    )
    return fig


def write_chart(results: dict[str, Any], path: Path) -> Path:
    """Write the chart as one self-contained HTML file (plotly.js embedded, opens offline)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cost_figure(results).write_html(path, include_plotlyjs=True, full_html=True)
    return path
