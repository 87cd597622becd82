"""Planning cycles derived from the data, the as-of date from the data, the dbt calendar span."""

from datetime import date

import pytest

from orchestration.calendar_vars import calendar_vars
from orchestration.cycles import (
    CycleNotPlannableError,
    OrderHistory,
    cycle_window,
    data_as_of,
    home_order_history,
    landing_order_history,
    month_of,
)
from tests.own_company import OwnCompany, write_own_company


def test_cycles_of_a_company_from_2019_follow_its_data(tmp_path):
    write_own_company(tmp_path / "landing")
    history = home_order_history(tmp_path)
    assert history.first.replace(day=1) == OwnCompany.first_month == date(2019, 1, 1)
    assert history.newest == OwnCompany.last_day == date(2021, 6, 14)
    as_of = data_as_of(history)
    assert as_of == date(2021, 6, 15), "the data's own date, not the machine's clock"
    window = cycle_window(history, as_of, min_history_months=13)
    assert (window.first, window.last) == (date(2020, 1, 1), date(2021, 5, 1))
    assert len(window.months) == 17
    assert cycle_window(history, as_of, min_history_months=6).first == date(2019, 6, 1)


def test_a_month_ending_extract_closes_its_month():
    history = OrderHistory(date(2019, 1, 3), date(2021, 6, 30))
    assert cycle_window(history, data_as_of(history), 13).last == date(2021, 6, 1)


@pytest.mark.parametrize(
    ("month", "reason"),
    [
        (
            "2019-12",
            "needs 13 months of order history .* the first cycle with enough history is 2020-01",
        ),
        ("2021-06", "only closed months before the as-of date .* the latest is 2021-05"),
    ],
)
def test_a_cycle_outside_the_data_is_refused_in_one_line(month, reason):
    window = cycle_window(OrderHistory(date(2019, 1, 2), date(2021, 6, 14)), date(2021, 6, 15), 13)
    with pytest.raises(CycleNotPlannableError, match=reason) as refused:
        window.check(month_of(month))
    assert "\n" not in str(refused.value)


def test_no_data_or_too_little_history_says_so():
    with pytest.raises(CycleNotPlannableError, match="no order lines are loaded yet"):
        cycle_window(OrderHistory(), date(2024, 1, 1), 13)
    with pytest.raises(CycleNotPlannableError, match="no cycle can be planned as of 2024-03-02"):
        cycle_window(OrderHistory(date(2023, 9, 1), date(2024, 3, 1)), date(2024, 3, 2), 13)
    with pytest.raises(CycleNotPlannableError, match="not a month"):
        month_of("March")


def test_landing_history_ignores_values_that_are_not_dates(tmp_path):
    folder = tmp_path / "sales" / "order_lines"
    folder.mkdir(parents=True)
    (folder / "order_lines_a.csv").write_text("order_id,Order_Date\nA,2019-03-04\nB,bad\n")
    (folder / "order_lines_b.csv").write_text("order_id,order_date\nC, 2020-02-01\n")
    (folder / "order_lines_c.csv").write_text("")
    assert landing_order_history(tmp_path) == OrderHistory(date(2019, 3, 4), date(2020, 2, 1))


def test_calendar_spans_the_first_order_year_and_the_horizon():
    # the horizon after June 2021 ends in December 2022; one month of margin reaches 2023
    history = OrderHistory(date(2019, 1, 2), date(2021, 6, 14))
    assert calendar_vars(history, 18) == {
        "calendar_start_date": "2019-01-01",
        "calendar_end_date": "2024-01-01",
    }
    assert (
        calendar_vars(OrderHistory(date(2019, 5, 1), date(2021, 5, 31)), 18)["calendar_end_date"]
        == "2023-01-01"
    )
    assert calendar_vars(OrderHistory(), 18) == {}
