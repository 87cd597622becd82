"""Completeness of daily sources (missing business days) and the volume cap (spikes)."""

from __future__ import annotations

import datetime as dt

from dq_tables import insert_rows, order_line

from data_quality.completeness import expected_days, expected_weekdays, missing_days
from data_quality.runner import validate_table
from data_quality.volume import LoadVolume, volume_floor
from ingestion.contracts import CONTRACTS

ORDERS = CONTRACTS["order_lines"]
AS_OF = dt.date(2024, 3, 31)


def _days(start: dt.date, end: dt.date, weekdays=range(6), skip=()):
    n = (end - start).days
    return [
        d
        for d in (start + dt.timedelta(days=i) for i in range(n))
        if d.weekday() in weekdays and d not in skip
    ]


def test_business_days_are_learned_from_the_history():
    monday_to_friday = _days(dt.date(2023, 6, 1), AS_OF, weekdays=range(5))
    assert expected_weekdays(monday_to_friday, dt.date(2024, 2, 25)) == (0, 1, 2, 3, 4)
    # two closed weeks (a holiday) in 26 still leave every weekday at >= 90 %
    closed = _days(dt.date(2024, 2, 5), dt.date(2024, 2, 17))
    assert expected_weekdays(
        _days(dt.date(2023, 6, 1), AS_OF, skip=closed), dt.date(2024, 2, 25)
    ) == (0, 1, 2, 3, 4, 5)


def test_short_or_sparse_history_expects_nothing():
    assert expected_days(_days(dt.date(2024, 1, 20), AS_OF), AS_OF) is None
    every_third_day = [
        d for d in _days(dt.date(2023, 6, 1), AS_OF, weekdays=range(7)) if d.toordinal() % 3 == 0
    ]  # returns: some days, no weekday pattern
    assert expected_days(every_third_day, AS_OF) is None


def test_a_missing_day_inside_the_window_is_found():
    dates = _days(dt.date(2023, 6, 1), AS_OF, skip={dt.date(2024, 3, 13)})
    expected = expected_days(dates, AS_OF)
    assert missing_days(dates, expected) == [dt.date(2024, 3, 13)]
    assert "Mon, Tue, Wed, Thu, Fri, Sat" in expected.rule
    # days after the newest event are the freshness check's business, not a gap
    assert (
        missing_days(
            _days(dt.date(2023, 6, 1), dt.date(2024, 3, 25)),
            expected_days(_days(dt.date(2023, 6, 1), dt.date(2024, 3, 25)), AS_OF),
        )
        == []
    )


def test_volume_cap_is_ten_times_the_baseline():
    loads = [LoadVolume(f"d{i}.csv", 5000, 1) for i in range(7)]
    assert volume_floor([*loads, LoadVolume("new.csv", 5_000_000, 1)]).max_rows == 50_000
    assert (
        volume_floor([*loads, LoadVolume("new.csv", 5_000_000, 1)], max_ratio=None).max_rows is None
    )


def _daily(conn, days, rows_per_day=1, last_day_rows=None):
    number = 0
    for day in days:
        n = last_day_rows if last_day_rows and day == days[-1] else rows_per_day
        rows = [order_line(number + k, order_date=day, requested_date=day) for k in range(n)]
        number += n
        insert_rows(
            conn,
            ORDERS,
            rows,
            source_file=f"order_lines_{day}.csv",
            loaded_at=dt.datetime.combine(day, dt.time(23)),
        )


def test_a_missing_day_fails_the_completeness_check_naming_the_date(warehouse, dq):
    _daily(
        warehouse, _days(dt.date(2023, 8, 1), AS_OF, skip={dt.date(2024, 3, 13)}), rows_per_day=25
    )
    outcome = validate_table(warehouse, "raw.order_lines", "raw_order_lines", AS_OF, dq=dq)
    failures = {r.check: r for r in outcome.failures}
    assert set(failures) == {"completeness(order_date)"}
    check = failures["completeness(order_date)"]
    assert check.severity == "warning" and not outcome.is_blocking
    assert check.observed_value == {"missing_count": 1, "missing_dates": ["2024-03-13"]}
    assert "2024-03-13" in outcome.message


def test_complete_days_pass(warehouse, dq):
    _daily(warehouse, _days(dt.date(2023, 8, 1), AS_OF), rows_per_day=25)
    outcome = validate_table(warehouse, "raw.order_lines", "raw_order_lines", AS_OF, dq=dq)
    assert outcome.success, outcome.message
    assert "completeness" in {r.kind for r in outcome.results}


def test_a_100x_spike_fails_the_volume_check(warehouse, dq):
    days = [dt.date(2024, 3, d) for d in range(1, 9)]
    _daily(warehouse, days, rows_per_day=20, last_day_rows=2000)
    outcome = validate_table(
        warehouse, "raw.order_lines", "raw_order_lines", dt.date(2024, 3, 9), dq=dq
    )
    check = {r.check: r for r in outcome.failures}["volume(newest_load)"]
    assert check.observed_value == 2000
    assert "<= 200" in check.expected
    assert check.severity == "warning"


def test_a_quiet_weekday_of_a_small_company_is_not_expected():
    """A weekday with a couple of events a day is empty now and then: not a missing file."""
    days = _days(dt.date(2023, 6, 1), AS_OF)
    counts = {d: (8 if d.weekday() == 6 else 40) for d in days}
    assert 6 not in expected_weekdays(counts, dt.date(2024, 2, 25))
    assert expected_weekdays(counts, dt.date(2024, 2, 25)) == (0, 1, 2, 3, 4, 5)
