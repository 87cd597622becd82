"""Holiday calendars: the chinese events, the empty calendar, unknown names."""

import pytest

from models_ml.calendars import HOLIDAY_CALENDARS, holiday_features
from models_ml.config import CycleConfig
from models_ml.panel import month_index

MONTHS = month_index(["2024-02-01", "2025-01-01", "2024-12-01", "2025-06-01", "2025-11-01"])


def test_chinese_holidays():
    cal = holiday_features(MONTHS, "chinese")
    assert cal["month_of_year"].tolist() == [2, 1, 12, 6, 11]
    assert cal["is_spring_festival"].tolist() == [1, 1, 0, 0, 0]
    assert cal["is_pre_spring_festival"].tolist() == [0, 0, 1, 0, 0]
    assert cal["is_618"].tolist() == [0, 0, 0, 1, 0]
    assert cal["is_double11"].tolist() == [0, 0, 0, 0, 1]


def test_none_gives_only_month_of_year():
    cal = holiday_features(MONTHS, "none")
    assert list(cal.columns) == ["month_of_year"]
    assert cal["month_of_year"].tolist() == [2, 1, 12, 6, 11]


def test_every_calendar_starts_with_month_of_year_one_row_per_month():
    for name in HOLIDAY_CALENDARS:
        cal = holiday_features(MONTHS, name)
        assert cal.columns[0] == "month_of_year", name
        assert len(cal) == len(MONTHS), name


def test_unknown_calendar_names_the_allowed_values():
    with pytest.raises(ValueError, match=r"'islamic'.*allowed: \['chinese', 'none'\]"):
        holiday_features(MONTHS, "islamic")
    with pytest.raises(ValueError, match=r"unknown holiday calendar 'US'.*'chinese', 'none'"):
        CycleConfig(holiday_calendar="US")
