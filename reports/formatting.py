"""Number formatting for the report, in the way each language's readers expect.

Chinese finance readers count money in 万 (10⁴) and 亿 (10⁸); English readers
in thousands and millions. Ratios are shown in percent and their changes in
percentage points, so "+3 pts" never reads as "+3 %".
"""

from __future__ import annotations

import math

from reports.i18n import Labels

RATIO_KPIS = frozenset(
    {"forecast_accuracy", "forecast_bias", "fill_rate", "otif", "stockout_rate"}
)
MONEY_KPIS = frozenset({"inventory_value", "cash_collected", "net_revenue"})
DAY_KPIS = frozenset({"days_of_supply", "dso"})
TURN_KPIS = frozenset({"inventory_turns"})

DASH = "—"


def is_missing(value) -> bool:
    """True for None and NaN (pandas NA included)."""
    if value is None:
        return True
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        return False


def money(value, labels: Labels, signed: bool = False) -> str:
    """Format CNY: ¥1,234.5万 / ¥1.23亿 in Chinese, ¥1.23M / ¥45.6K in English."""
    if is_missing(value):
        return DASH
    value = float(value)
    sign = "+" if signed and value > 0 else ("−" if value < 0 else "")
    size = abs(value)
    if labels.lang == "zh":
        if size >= 1e8:
            body = f"{size / 1e8:,.2f}亿"
        elif size >= 1e4:
            body = f"{size / 1e4:,.1f}万"
        else:
            body = f"{size:,.0f}"
    elif size >= 1e9:
        body = f"{size / 1e9:,.2f}B"
    elif size >= 1e6:
        body = f"{size / 1e6:,.2f}M"
    elif size >= 1e3:
        body = f"{size / 1e3:,.1f}K"
    else:
        body = f"{size:,.0f}"
    return f"{sign}¥{body}"


def money_short(value, labels: Labels) -> str:
    """Compact CNY for axis ticks: ¥800万, ¥1.2亿 / ¥8M, ¥250K (no trailing zeros)."""
    value = float(value)
    sign, size = ("−" if value < 0 else ""), abs(value)
    scales = ((1e8, "亿"), (1e4, "万")) if labels.lang == "zh" else ((1e9, "B"), (1e6, "M"), (1e3, "K"))
    for factor, suffix in scales:
        if size >= factor:
            return f"{sign}¥{size / factor:.4g}{suffix}"
    return f"{sign}¥{size:.4g}"


def percent(value, digits: int = 1, signed: bool = False) -> str:
    """Format a fraction as percent (0.842 -> 84.2%)."""
    if is_missing(value):
        return DASH
    text = f"{float(value) * 100:+.{digits}f}%" if signed else f"{float(value) * 100:.{digits}f}%"
    return text.replace("-", "−")


def points(value, labels: Labels, digits: int = 1) -> str:
    """Format a difference of two fractions as percentage points (+3.0 pts / +3.0个百分点)."""
    if is_missing(value):
        return DASH
    return f"{float(value) * 100:+.{digits}f} {labels('pts')}".replace("-", "−").replace(
        " 个", "个"
    )


def number(value, digits: int = 0, signed: bool = False) -> str:
    """Format a plain number with thousands separators."""
    if is_missing(value):
        return DASH
    text = f"{float(value):+,.{digits}f}" if signed else f"{float(value):,.{digits}f}"
    return text.replace("-", "−")


def kpi_value(kpi: str, value, labels: Labels) -> str:
    """Format a KPI value in its unit."""
    if kpi in RATIO_KPIS:
        return percent(value, signed=kpi == "forecast_bias")
    if kpi in MONEY_KPIS:
        return money(value, labels)
    if kpi in DAY_KPIS:
        return f"{number(value, 1)} {labels('days_unit')}" if not is_missing(value) else DASH
    if kpi in TURN_KPIS:
        return f"{number(value, 1)} {labels('turns_unit')}" if not is_missing(value) else DASH
    return number(value, 2)


def kpi_change(kpi: str, change, labels: Labels) -> str:
    """Format a change of a KPI: points for ratios, relative % for money, units otherwise."""
    if is_missing(change):
        return DASH
    if kpi in RATIO_KPIS:
        return points(change, labels)
    if kpi in MONEY_KPIS:
        return money(change, labels, signed=True)
    if kpi in DAY_KPIS:
        return f"{number(change, 1, signed=True)} {labels('days_unit')}"
    return number(change, 2, signed=True)
