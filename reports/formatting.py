"""Number formatting for the report, in the way each language's readers expect.

Money is shown in the company's currency (``Labels.currency``, an ISO 4217
code) with Babel's CLDR symbols and compact forms: Chinese readers count in
万 (10⁴) and 亿 (10⁸) whatever the currency, English readers in K, M and B.
Ratios are shown in percent and their changes in percentage points, so
"+3 pts" never reads as "+3 %". Numbers, percents and dates are CLDR patterns
(Babel) in the report's locale, with a typographic minus (−).
"""

from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd
from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_decimal,
    format_percent,
)

from reports.i18n import Labels

RATIO_KPIS = frozenset({"forecast_accuracy", "forecast_bias", "fill_rate", "otif", "stockout_rate"})
MONEY_KPIS = frozenset({"inventory_value", "cash_collected", "net_revenue"})
DAY_KPIS = frozenset({"days_of_supply", "dso"})
TURN_KPIS = frozenset({"inventory_turns"})

DASH = "—"


def is_missing(value) -> bool:
    """True for None and NaN (pandas NA included)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        return False


@lru_cache(maxsize=8)
def _compact_units(locale: str) -> tuple[int, ...]:
    """Magnitudes where the locale's short compact form starts a new unit (zh: 万, 亿, 万亿)."""
    patterns = Locale.parse(locale).compact_decimal_formats["short"]["other"]
    return tuple(
        sorted(
            int(m) for m, p in patterns.items() if p.pattern != "0" and p.pattern.count("0") == 1
        )
    )


def _unit_and_digits(size: float, units: tuple[int, ...], digits: tuple[int, int, int]):
    rank = sum(size >= u for u in units)
    return (units[rank - 1] if rank else 1), digits[min(rank, 2)]


def _compact(size: float, labels: Labels, digits: tuple[int, int, int]) -> str:
    """``size`` (>= 0) in the report's currency and compact form.

    ``digits`` are the decimals below the first unit, in the first unit (万 / K)
    and above it. The value is rounded before the unit is chosen, so 99,999,999
    reads 1亿, not 10000万.
    """
    units = _compact_units(labels.locale)
    unit, places = _unit_and_digits(size, units, digits)
    size = round(size / unit, places) * unit
    places = _unit_and_digits(size, units, digits)[1]
    if labels.currency is None:
        return format_compact_decimal(size, locale=labels.locale, fraction_digits=places)
    return format_compact_currency(
        size, labels.currency, locale=labels.locale, fraction_digits=places
    )


def money(value, labels: Labels, signed: bool = False) -> str:
    """Format an amount in the report's currency.

    zh: ¥1234.5万 / US$1.23亿; en: $1.23M / CN¥45.6K; below 万 / K whole units.
    Without a currency (``labels.currency`` None) the amount has no symbol.
    """
    if is_missing(value):
        return DASH
    value = float(value)
    sign = "+" if signed and value > 0 else ("−" if value < 0 else "")
    return sign + _compact(abs(value), labels, (0, 1, 2))


def money_short(value, labels: Labels) -> str:
    """Compact amount for axis ticks: ¥800万, US$1.2亿 / $8M, €250K (no trailing zeros)."""
    value = float(value)
    return ("−" if value < 0 else "") + _compact(abs(value), labels, (0, 3, 3))


def _pattern(digits: int, signed: bool, suffix: str = "") -> str:
    """A CLDR number pattern: grouped, ``digits`` decimals, a typographic minus, "+" if signed."""
    body = "#,##0" + ("." + "0" * digits if digits else "") + suffix
    return f"{'+' if signed else ''}{body};−{body}"


def percent(value, labels: Labels, digits: int = 1, signed: bool = False) -> str:
    """Format a fraction as percent (0.842 -> 84.2%) with the locale's symbols."""
    if is_missing(value):
        return DASH
    return format_percent(float(value), _pattern(digits, signed, "%"), locale=labels.locale)


def points(value, labels: Labels, digits: int = 1, unit: bool = True) -> str:
    """Format a difference of two fractions as percentage points (+3.0 pts / +3.0个百分点).

    ``unit=False`` leaves the unit out, for a column whose header names it (the FVA table).
    """
    if is_missing(value):
        return DASH
    text = format_decimal(float(value) * 100, _pattern(digits, True), locale=labels.locale)
    if not unit:
        return text
    return f"{text}{'' if labels.lang == 'zh' else ' '}{labels('pts')}"


def number(value, labels: Labels, digits: int = 0, signed: bool = False) -> str:
    """Format a plain number with the locale's thousands separators."""
    if is_missing(value):
        return DASH
    return format_decimal(float(value), _pattern(digits, signed), locale=labels.locale)


def month_code(value, labels: Labels) -> str:
    """A month as ``yyyy-MM`` (a planning cycle's code)."""
    return format_date(pd.Timestamp(value).date(), "yyyy-MM", locale=labels.locale)


def timestamp(value, labels: Labels) -> str:
    """A timestamp to the minute, ``yyyy-MM-dd HH:mm``."""
    return format_datetime(
        pd.Timestamp(value).to_pydatetime(), "yyyy-MM-dd HH:mm", locale=labels.locale
    )


def day(value, labels: Labels) -> str:
    """A date as ``yyyy-MM-dd``."""
    return format_date(pd.Timestamp(value).date(), "yyyy-MM-dd", locale=labels.locale)


def kpi_value(kpi: str, value, labels: Labels) -> str:
    """Format a KPI value in its unit."""
    if kpi in RATIO_KPIS:
        return percent(value, labels, signed=kpi == "forecast_bias")
    if kpi in MONEY_KPIS:
        return money(value, labels)
    if kpi in DAY_KPIS:
        return (
            f"{number(value, labels, 1)} {labels('days_unit')}" if not is_missing(value) else DASH
        )
    if kpi in TURN_KPIS:
        return (
            f"{number(value, labels, 1)} {labels('turns_unit')}" if not is_missing(value) else DASH
        )
    return number(value, labels, 2)


def kpi_change(kpi: str, change, labels: Labels) -> str:
    """Format a change of a KPI: points for ratios, relative % for money, units otherwise."""
    if is_missing(change):
        return DASH
    if kpi in RATIO_KPIS:
        return points(change, labels)
    if kpi in MONEY_KPIS:
        return money(change, labels, signed=True)
    if kpi in DAY_KPIS:
        return f"{number(change, labels, 1, signed=True)} {labels('days_unit')}"
    return number(change, labels, 2, signed=True)
