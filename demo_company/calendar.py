"""Calendar effects on demand: weekly pattern, yearly season and Chinese shopping holidays."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

SPRING_FESTIVAL: dict[int, date] = {
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
}
"""Lunar New Year's day (Spring Festival) by Gregorian year."""

MONTH_SEASON = np.array([1.00, 0.88, 1.00, 0.98, 1.02, 1.08, 0.96, 0.97, 1.04, 1.06, 1.12, 1.10])
"""Company-wide yearly seasonality by calendar month (before holiday effects)."""

WEEKDAY_B2B = np.array([1.20, 1.15, 1.10, 1.05, 1.00, 0.35, 0.15])
WEEKDAY_ONLINE = np.array([0.95, 0.95, 0.95, 1.00, 1.05, 1.10, 1.00])


def daily_index(start: date, end_exclusive: date) -> pd.DatetimeIndex:
    """All days from ``start`` up to, not including, ``end_exclusive``."""
    return pd.date_range(start, end_exclusive, freq="D", inclusive="left")


def spring_festival_offsets(days: pd.DatetimeIndex) -> np.ndarray:
    """Days relative to the nearest Spring Festival (negative before it)."""
    years = np.unique(np.concatenate([days.year - 1, days.year, days.year + 1]))
    sf = np.array([np.datetime64(SPRING_FESTIVAL[y], "D") for y in years if y in SPRING_FESTIVAL])
    if sf.size == 0:
        return np.full(len(days), 999)
    d = days.values.astype("datetime64[D]")
    diffs = (d[:, None] - sf[None, :]).astype(int)
    nearest = np.abs(diffs).argmin(axis=1)
    offsets: np.ndarray = diffs[np.arange(len(d)), nearest]
    return offsets


def spring_festival_factor(days: pd.DatetimeIndex) -> np.ndarray:
    """Demand multiplier around Spring Festival: pre-holiday stocking, then a deep dip."""
    off = spring_festival_offsets(days)
    f = np.ones(len(days))
    f[(off >= -24) & (off <= -11)] = 1.15
    f[(off >= -10) & (off <= -1)] = 0.70
    f[(off >= 0) & (off <= 7)] = 0.20
    f[(off >= 8) & (off <= 15)] = 0.60
    return f


def shopping_festival_factor(days: pd.DatetimeIndex, channel: str) -> np.ndarray:
    """Multiplier for the 618 (June) and Double 11 (November) shopping festivals.

    The peaks are strongest online; distributors stock up ahead of Double 11.
    """
    m, d = days.month.values, days.day.values
    f = np.ones(len(days))
    if channel == "online":
        f[(m == 6) & (d >= 1) & (d <= 17)] = 1.5
        f[(m == 6) & (d == 18)] = 3.5
        f[(m == 11) & (d >= 1) & (d <= 10)] = 1.9
        f[(m == 11) & (d == 11)] = 5.0
        f[(m == 11) & (d >= 12) & (d <= 20)] = 0.8
    elif channel == "retail":
        f[(m == 6) & (d >= 10) & (d <= 18)] = 1.15
        f[(m == 11) & (d >= 1) & (d <= 11)] = 1.25
    else:
        f[(m == 10) & (d >= 10)] = 1.15
        f[(m == 5) & (d >= 15)] = 1.10
    return f


def channel_day_factors(days: pd.DatetimeIndex, channels: tuple[str, ...]) -> np.ndarray:
    """Order-rate multiplier per day and channel: weekday x season x holidays.

    Returns an array of shape (n_days, n_channels).
    """
    season = MONTH_SEASON[days.month.values - 1]
    sf = spring_festival_factor(days)
    wd = days.weekday.values
    cols = []
    for ch in channels:
        weekly = WEEKDAY_ONLINE[wd] if ch == "online" else WEEKDAY_B2B[wd]
        cols.append(weekly * season * sf * shopping_festival_factor(days, ch))
    return np.column_stack(cols)


def working_day_mask(days: pd.DatetimeIndex) -> np.ndarray:
    """Days the plants run: Monday to Saturday, closed in Spring Festival week."""
    off = spring_festival_offsets(days)
    return (days.weekday.values < 6) & ~((off >= 0) & (off <= 6))


def month_starts(start: date, end_inclusive: date) -> pd.DatetimeIndex:
    """First days of every month from ``start``'s month to ``end_inclusive``'s month."""
    return pd.date_range(
        pd.Timestamp(start).to_period("M").to_timestamp(),
        pd.Timestamp(end_inclusive).to_period("M").to_timestamp(),
        freq="MS",
    )
