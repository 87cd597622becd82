"""The daily build tests the rows it rebuilt, the first run of each month every row."""

from orchestration.checks import AS_OF_TAG
from orchestration.dbt_test_scope import dbt_test_scope


def test_a_daily_run_tests_what_it_rebuilt() -> None:
    assert dbt_test_scope({AS_OF_TAG: "2026-11-05"}) == {"test_scope": "increment"}


def test_the_first_of_the_month_and_an_undated_run_test_everything() -> None:
    assert dbt_test_scope({AS_OF_TAG: "2026-11-01"}) == {"test_scope": "full"}
    assert dbt_test_scope({}) == {"test_scope": "full"}
