"""Holiday calendars: monthly event features the driver model learns from.

A company names its calendar in config (``company.holiday_calendar``); each
name maps to a function from month indices (see :func:`models_ml.panel.month_index`)
to a frame of features, always starting with ``month_of_year``. Add a calendar
by writing such a function and registering it in ``HOLIDAY_CALENDARS``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

# Month in which the Lunar New Year (Spring Festival) falls, 2015-2035.
SPRING_FESTIVAL = {
    2015: 2,
    2016: 2,
    2017: 1,
    2018: 2,
    2019: 2,
    2020: 1,
    2021: 2,
    2022: 2,
    2023: 1,
    2024: 2,
    2025: 1,
    2026: 2,
    2027: 2,
    2028: 1,
    2029: 2,
    2030: 2,
    2031: 1,
    2032: 2,
    2033: 1,
    2034: 2,
    2035: 2,
}


def _month_of_year(month_idx: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    idx = np.asarray(month_idx, dtype=np.int64)
    return idx, idx % 12 + 1


def no_holidays(month_idx: ArrayLike) -> pd.DataFrame:
    """Only the month of year: for a company whose demand follows no named events."""
    _, month = _month_of_year(month_idx)
    return pd.DataFrame({"month_of_year": month})


def chinese_holidays(month_idx: ArrayLike) -> pd.DataFrame:
    """Month of year and the events Chinese planners name.

    Spring Festival (the Lunar New Year month and the month before it, when
    distributors stock up), 618 (June) and Double 11 (November).
    """
    idx, month = _month_of_year(month_idx)
    sf_month = np.array([SPRING_FESTIVAL.get(int(y), 2) for y in idx // 12])
    next_idx = idx + 1
    next_sf = np.array([SPRING_FESTIVAL.get(int(y), 2) for y in next_idx // 12])
    return pd.DataFrame(
        {
            "month_of_year": month,
            "is_spring_festival": (month == sf_month).astype(np.int8),
            "is_pre_spring_festival": ((next_idx % 12 + 1) == next_sf).astype(np.int8),
            "is_618": (month == 6).astype(np.int8),
            "is_double11": (month == 11).astype(np.int8),
        }
    )


HOLIDAY_CALENDARS: dict[str, Callable[[ArrayLike], pd.DataFrame]] = {
    "chinese": chinese_holidays,
    "none": no_holidays,
}
"""Calendar name (as written in config) -> function producing its monthly features."""


def check_calendar(name: str) -> str:
    """Return ``name`` if it is a registered calendar, else raise a ValueError listing them."""
    if name not in HOLIDAY_CALENDARS:
        raise ValueError(f"unknown holiday calendar {name!r}; allowed: {sorted(HOLIDAY_CALENDARS)}")
    return name


def holiday_features(month_idx: ArrayLike, name: str) -> pd.DataFrame:
    """The features of calendar ``name`` for each month index (one row per month)."""
    return HOLIDAY_CALENDARS[check_calendar(name)](month_idx)
