"""Each check kind fails when it should and passes on clean data, on a real DuckDB.

Raw suites hold freshness, volume and completeness (every row rule is the
quarantine's: tests/ingestion); key, not-null and row checks run on the mart
suites (``fct_order_lines``, ``forecast``).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from dq_tables import AS_OF, create_raw_table, insert_rows, order_line

from data_quality.runner import validate_table
from ingestion.contracts import CONTRACTS

ORDERS = CONTRACTS["order_lines"]


def run(conn, dq, table="raw.order_lines", suite="raw_order_lines", as_of=AS_OF, **kwargs):
    return validate_table(conn, table, suite, as_of, dq=dq, **kwargs)


def run_mart(conn, dq, rows):
    """``marts.fct_order_lines`` holding ``rows``, validated by its suite."""
    conn.execute("create schema if not exists marts")
    conn.execute("create or replace table marts.fct_order_lines as select * from raw.order_lines")
    insert_rows(conn, ORDERS, rows, table="marts.fct_order_lines")
    return run(conn, dq, table="marts.fct_order_lines", suite="fct_order_lines")


def failed(outcome) -> dict:
    return {r.check: r for r in outcome.failures}


def test_clean_orders_pass_every_check(warehouse, dq):
    insert_rows(warehouse, ORDERS, [order_line(i, sku=f"S{1 + i % 2}") for i in range(20)])
    outcome = run(warehouse, dq)
    assert outcome.success, outcome.message
    assert not outcome.is_blocking
    assert outcome.severity == "critical"
    assert outcome.row_count == 20
    kinds = {r.kind for r in outcome.results}
    assert kinds == {"schema", "freshness"}  # one load: no volume to compare yet
    assert outcome.evaluated_at == dt.datetime(2024, 3, 31)
    assert "all" in outcome.message and "passed" in outcome.message


def test_duplicate_compound_key_blocks_and_message_names_check_table_rows_sample(warehouse, dq):
    rows = [order_line(i) for i in range(10)] + [order_line(3, ordered_qty=7)]
    outcome = run_mart(warehouse, dq, rows)
    check = failed(outcome)["unique_key(order_id, line_number)"]
    assert check.expectation_type == "expect_compound_columns_to_be_unique"
    assert check.unexpected_count == 2 and check.element_count == 11
    assert {"order_id": "O00003", "line_number": 1} in check.sample
    assert outcome.is_blocking
    message = outcome.message
    assert "BLOCKING" in message
    assert "fct_order_lines.unique_key(order_id, line_number) on marts.fct_order_lines" in message
    assert "2 of 11 rows failed" in message
    assert "O00003" in message


def test_null_required_field_fails(warehouse, dq):
    check = failed(run_mart(warehouse, dq, [order_line(0), order_line(1, customer_id=None)]))[
        "not_null(customer_id)"
    ]
    assert check.unexpected_count == 1
    assert check.sample == [{"customer_id": None, "order_id": "O00001", "line_number": 1}]


def forecast_row(i: int, **overrides) -> dict:
    """A valid ``ml.forecast`` row; ``overrides`` inject the fault under test."""
    row = {
        "cycle_month": dt.date(2024, 3, 1),
        "sku": f"S{i}",
        "region": "EAST",
        "channel": "retail",
        "target_month": dt.date(2024, 4, 1),
        "p10": 1.0,
        "p50": 2.0,
        "p90": 3.0,
    }
    return row | overrides


@pytest.mark.parametrize("month_type", ["date", "timestamp"])  # the asset writes timestamps
@pytest.mark.parametrize(
    ("fault", "check_name"),
    [
        ({"p10": -0.5}, "range:p10_non_negative"),
        ({"p50": 0.5}, "rule:p50_at_least_p10"),
        ({"p90": 1.5}, "rule:p90_at_least_p50"),
        ({"target_month": dt.date(2024, 3, 1)}, "rule:target_after_cycle"),
        (
            {"cycle_month": dt.date(2024, 3, 15), "target_month": dt.date(2024, 4, 15)},
            "rule:cycle_month_start",
        ),
    ],
)
def test_mart_row_checks_fail_on_the_bad_row_only(dq, fault, check_name, month_type):
    import duckdb

    conn = duckdb.connect()
    conn.execute("create schema ml")
    conn.execute(
        f"create table ml.forecast (cycle_month {month_type}, sku varchar, region varchar, "
        f"channel varchar, target_month {month_type}, p10 double, p50 double, p90 double)"
    )
    rows = [forecast_row(0), forecast_row(1, **fault)]
    conn.executemany(
        "insert into ml.forecast values (?, ?, ?, ?, ?, ?, ?, ?)", [list(r.values()) for r in rows]
    )
    outcome = validate_table(conn, "ml.forecast", "forecast", dt.date(2024, 3, 31), dq=dq)
    assert set(failed(outcome)) == {check_name}, outcome.message
    assert failed(outcome)[check_name].unexpected_count == 1
    assert failed(outcome)[check_name].sample[0]["sku"] == "S1"
    assert outcome.is_blocking


def test_stale_source_fails_freshness_against_as_of(warehouse, dq):
    insert_rows(
        warehouse,
        ORDERS,
        [order_line(0, order_date=dt.date(2024, 3, 27), requested_date=dt.date(2024, 3, 28))],
    )
    assert run(warehouse, dq, as_of=dt.date(2024, 3, 30)).success
    stale = run(warehouse, dq, as_of=dt.date(2024, 3, 31))
    check = failed(stale)["freshness(order_date, max_age_days=3)"]
    assert check.severity == "critical" and stale.is_blocking
    assert check.observed_value == "2024-03-27T00:00:00"
    assert "2024-03-28" in check.expected
    assert "observed" in stale.message and "raw.order_lines" in stale.message


def daily_loads(conn, counts):
    """One file per day in March 2024, ``counts[i]`` order lines on day i + 1."""
    number = 0
    for day, count in enumerate(counts, start=1):
        date = dt.date(2024, 3, day)
        rows = []
        for _ in range(count):
            rows.append(order_line(number, order_date=date, requested_date=date))
            number += 1
        insert_rows(
            conn,
            ORDERS,
            rows,
            source_file=f"order_lines_{date}.csv",
            loaded_at=dt.datetime.combine(date, dt.time(23)),
        )


def test_volume_collapse_is_a_warning_not_a_block(warehouse, dq):
    daily_loads(warehouse, [40] * 7 + [5])
    outcome = run(warehouse, dq, as_of=dt.date(2024, 3, 8))
    check = failed(outcome)["volume(newest_load)"]
    assert check.severity == "warning"
    assert check.observed_value == 5
    assert "12 rows" in check.expected  # 0.3 x 40
    assert not outcome.success and not outcome.is_blocking
    assert "warnings only" in outcome.message


def test_normal_volume_passes(warehouse, dq):
    daily_loads(warehouse, [40] * 7 + [30])
    outcome = run(warehouse, dq, as_of=dt.date(2024, 3, 8))
    assert outcome.success, outcome.message
    assert any(r.kind == "volume" for r in outcome.results)


def test_previous_row_count_passed_in(warehouse, dq):
    insert_rows(warehouse, ORDERS, [order_line(i) for i in range(10)])
    assert not run(warehouse, dq, previous_row_count=100).success
    assert run(warehouse, dq, previous_row_count=30).success


def test_snapshot_tables_validate_only_the_newest_snapshot(warehouse, dq):
    products = CONTRACTS["products"]
    same_skus = warehouse.execute(
        "select * exclude (_source_file, _loaded_at) from raw.products"
    ).df()
    insert_rows(
        warehouse,
        products,
        same_skus.to_dict("records"),
        source_file="masters/products_2.csv",
        loaded_at=dt.datetime(2024, 3, 31, 7),
    )
    outcome = run(warehouse, dq, table="raw.products", suite="raw_products")
    assert outcome.success, outcome.message  # the older snapshot's skus are not duplicates
    assert outcome.row_count == 2
    assert {r.kind for r in outcome.results} == {"schema", "freshness", "volume"}
    collapsed = run(
        warehouse, dq, table="raw.products", suite="raw_products", previous_row_count=10
    )
    assert set(failed(collapsed)) == {"volume(newest_load)"}


def test_snapshot_freshness_uses_load_time(warehouse, dq):
    late = run(
        warehouse, dq, table="raw.customers", suite="raw_customers", as_of=dt.date(2024, 5, 15)
    )
    assert set(failed(late)) == {"freshness(_loaded_at, max_age_days=35)"}


def test_month_dated_source_freshness_is_a_warning_counted_from_the_month_end():
    import duckdb

    from data_quality.runner import DataQualityContext

    conn = duckdb.connect()
    gl = CONTRACTS["gl_actuals"]
    create_raw_table(conn, gl)
    row = {"account_code": "4000", "account_name": "Sales", "account_type": "revenue"}
    insert_rows(conn, gl, [row | {"month": dt.date(2024, 1, 1), "amount": 100}])
    dq = DataQualityContext()
    fresh = validate_table(conn, "raw.gl_actuals", "raw_gl_actuals", dt.date(2024, 3, 11), dq=dq)
    assert fresh.success, fresh.message  # 70 days after the month's start: within 40 + 31
    stale = validate_table(conn, "raw.gl_actuals", "raw_gl_actuals", dt.date(2024, 3, 31), dq=dq)
    assert set(failed(stale)) == {"freshness(month, max_age_days=71)"}
    assert failed(stale)["freshness(month, max_age_days=71)"].severity == "warning"
    assert not stale.is_blocking


def test_missing_column_fails_the_schema_check(warehouse, dq):
    warehouse.execute("create schema marts")
    warehouse.execute(
        "create table marts.fct_order_lines as select * exclude (customer_id) from raw.order_lines"
    )
    outcome = run(warehouse, dq, table="marts.fct_order_lines", suite="fct_order_lines")
    schema = failed(outcome)["schema:columns_present"]
    assert schema.observed_value == {"missing_columns": ["customer_id"]}
    assert outcome.is_blocking
    assert "customer_id" in outcome.message


def test_missing_table_is_an_error(warehouse, dq):
    with pytest.raises(ValueError, match="raw.nope does not exist"):
        run(warehouse, dq, table="raw.nope")


def test_samples_are_json_ready(warehouse, dq):
    outcome = run_mart(warehouse, dq, [order_line(0), order_line(0)])
    json.dumps([r.sample for r in outcome.results])
    json.dumps([r.observed_value for r in outcome.results])


def test_validated_frames_are_not_kept_after_the_validation(dq):
    """A GX context keeps its batches; the run's context must not keep every suite's frame."""
    import gc
    import weakref

    import great_expectations.expectations as gxe
    import pandas as pd

    frame = pd.DataFrame({"sku": ["S1", "S2", "S3"]})
    kept = weakref.ref(frame)
    result = dq.validate(
        "weakref_probe", frame, gxe.ExpectColumnValuesToNotBeNull(column="sku"), []
    )
    assert result.success
    del frame
    gc.collect()
    assert kept() is None
