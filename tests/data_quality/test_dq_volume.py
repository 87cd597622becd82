"""The volume rule on per-load counts (pure) ."""

from __future__ import annotations

from data_quality.volume import LoadVolume, volume_floor


def test_no_previous_load_means_no_volume_check():
    assert volume_floor([LoadVolume("a.csv", 100, 1)]) is None
    assert volume_floor([]) is None


def test_floor_is_ratio_of_median_rows_per_event_date():
    loads = [LoadVolume(f"d{i}.csv", rows, 1) for i, rows in enumerate([100, 120, 80, 1000])]
    loads.append(LoadVolume("new.csv", 2, 2))
    floor = volume_floor(loads, min_ratio=0.5)
    # median of 100, 120, 80, 1000 rows per date is 110; the newest load covers 2 dates
    assert floor.min_rows == 110
    assert floor.source_file == "new.csv"
    assert "median 110" in floor.rule


def test_monthly_history_file_compares_fairly_with_a_daily_file():
    loads = [LoadVolume("2024-02.csv", 2900, 29), LoadVolume("2024-03-01.csv", 100, 1)]
    assert volume_floor(loads, min_ratio=0.3).min_rows == 30


def test_lookback_limits_the_baseline_to_recent_loads():
    loads = [LoadVolume(f"old{i}.csv", 10_000, 1) for i in range(5)]
    loads += [LoadVolume(f"new{i}.csv", 100, 1) for i in range(3)]
    assert volume_floor(loads, min_ratio=0.5, lookback=2).min_rows == 50


def test_previous_count_passed_in_wins():
    floor = volume_floor([LoadVolume("snap.csv", 10, 1)], previous_row_count=40, min_ratio=0.5)
    assert floor.min_rows == 20
