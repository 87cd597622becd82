"""Each check kind fails when it should and passes on clean data, on a real DuckDB."""

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
    assert kinds == {"schema", "unique_key", "not_null", "range", "rule", "reference", "freshness"}
    assert outcome.evaluated_at == dt.datetime(2024, 3, 31)
    assert "all" in outcome.message and "passed" in outcome.message


def test_duplicate_compound_key_blocks_and_message_names_check_table_rows_sample(warehouse, dq):
    rows = [order_line(i) for i in range(10)] + [order_line(3, ordered_qty=7)]
    insert_rows(warehouse, ORDERS, rows)
    outcome = run(warehouse, dq)
    check = failed(outcome)["unique_key(order_id, line_number)"]
    assert check.expectation_type == "expect_compound_columns_to_be_unique"
    assert check.unexpected_count == 2 and check.element_count == 11
    assert {"order_id": "O00003", "line_number": 1} in check.sample
    assert outcome.is_blocking
    message = outcome.message
    assert "BLOCKING" in message
    assert "raw_order_lines.unique_key(order_id, line_number) on raw.order_lines" in message
    assert "2 of 11 rows failed" in message
    assert "O00003" in message


def test_null_required_field_fails(warehouse, dq):
    insert_rows(warehouse, ORDERS, [order_line(0), order_line(1, customer_id=None)])
    check = failed(run(warehouse, dq))["not_null(customer_id)"]
    assert check.unexpected_count == 1
    assert check.sample == [{"customer_id": None, "order_id": "O00001", "line_number": 1}]


@pytest.mark.parametrize(
    ("fault", "check_name"),
    [
        ({"discount_pct": 1.0}, "range:discount_range"),
        ({"discount_pct": -0.05}, "range:discount_range"),
        ({"ordered_qty": 0}, "range:qty_positive"),
        ({"net_price": -1}, "range:net_price_non_negative"),
        ({"requested_date": dt.date(2024, 3, 1)}, "rule:requested_after_order"),
    ],
)
def test_out_of_range_values_fail(warehouse, dq, fault, check_name):
    insert_rows(warehouse, ORDERS, [order_line(0), order_line(1, **fault)])
    outcome = run(warehouse, dq)
    assert set(failed(outcome)) == {check_name}
    assert failed(outcome)[check_name].unexpected_count == 1
    assert failed(outcome)[check_name].sample[0]["order_id"] == "O00001"


def test_unknown_references_fail_with_the_unknown_values(warehouse, dq):
    insert_rows(
        warehouse,
        ORDERS,
        [order_line(0), order_line(1, sku="S404"), order_line(2, customer_id="C404")],
    )
    outcome = run(warehouse, dq)
    sku = failed(outcome)["reference(sku -> raw.products.sku)"]
    customer = failed(outcome)["reference(customer_id -> raw.customers.customer_id)"]
    assert sku.unexpected_count == 1 and sku.sample[0]["sku"] == "S404"
    assert customer.unexpected_count == 1 and customer.sample[0]["customer_id"] == "C404"


def test_reference_values_can_be_passed_in(warehouse, dq):
    insert_rows(warehouse, ORDERS, [order_line(0, sku="S9")])
    outcome = run(warehouse, dq, reference_values={"sku": {"S9"}, "customer_id": {"C1"}})
    assert outcome.success, outcome.message


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
    assert {r.kind for r in outcome.results} >= {"unique_key", "freshness", "volume"}
    collapsed = run(
        warehouse, dq, table="raw.products", suite="raw_products", previous_row_count=10
    )
    assert set(failed(collapsed)) == {"volume(newest_load)"}


def test_snapshot_freshness_uses_load_time(warehouse, dq):
    late = run(
        warehouse, dq, table="raw.customers", suite="raw_customers", as_of=dt.date(2024, 5, 15)
    )
    assert set(failed(late)) == {"freshness(_loaded_at, max_age_days=35)"}


def test_sql_rule_fallback_and_warning_freshness():
    import duckdb

    from data_quality.runner import DataQualityContext

    conn = duckdb.connect()
    gl = CONTRACTS["gl_actuals"]
    create_raw_table(conn, gl)
    insert_rows(
        conn,
        gl,
        [
            {
                "month": dt.date(2024, 1, 1),
                "account_code": "4000",
                "account_name": "Sales",
                "account_type": "revenue",
                "amount": 100,
            },
            {
                "month": dt.date(2024, 1, 15),
                "account_code": "5000",
                "account_name": "COGS",
                "account_type": "cogs",
                "amount": 60,
            },
            {
                "month": dt.date(2024, 1, 1),
                "account_code": "6000",
                "account_name": "Misc",
                "account_type": "other",
                "amount": 5,
            },
        ],
    )
    outcome = validate_table(
        conn, "raw.gl_actuals", "raw_gl_actuals", dt.date(2024, 3, 31), dq=DataQualityContext()
    )
    failures = failed(outcome)
    assert set(failures) == {
        "rule:month_start",
        "rule:account_type_known",
        "freshness(month, max_age_days=71)",
    }
    assert failures["rule:month_start"].sample[0]["account_code"] == "5000"
    assert failures["rule:account_type_known"].sample[0]["account_type"] == "other"
    assert failures["freshness(month, max_age_days=71)"].severity == "warning"
    assert outcome.is_blocking  # the rule failures are critical
    assert [r.check for r in outcome.blocking_failures] == [
        "rule:month_start",
        "rule:account_type_known",
    ]


def test_missing_column_fails_the_schema_check(warehouse, dq):
    insert_rows(warehouse, ORDERS, [order_line(0)])
    warehouse.execute("alter table raw.order_lines drop column net_price")
    outcome = run(warehouse, dq)
    schema = failed(outcome)["schema:columns_present"]
    assert schema.observed_value == {"missing_columns": ["net_price"]}
    assert outcome.is_blocking
    assert "net_price" in outcome.message


def test_missing_table_is_an_error(warehouse, dq):
    with pytest.raises(ValueError, match="raw.nope does not exist"):
        run(warehouse, dq, table="raw.nope")


def test_samples_are_json_ready(warehouse, dq):
    insert_rows(warehouse, ORDERS, [order_line(0), order_line(0)])
    outcome = run(warehouse, dq)
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
