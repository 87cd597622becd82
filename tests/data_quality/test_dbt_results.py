"""dbt's run_results.json turned into data-quality rows: severity, tested table, sample, invocation."""

import datetime as dt

import duckdb

from data_quality.dbt_results import dbt_results, with_samples
from data_quality.persist import persist_dbt_results

MANIFEST = {
    "nodes": {
        "model.sop.fct_order_lines": {
            "name": "fct_order_lines",
            "schema": "marts",
            "alias": "fct_order_lines",
        },
        "model.sop.stg_sales__order_lines": {
            "name": "stg_sales__order_lines",
            "schema": "staging",
            "alias": "stg_sales__order_lines",
        },
        "test.sop.not_null_fct_order_lines_sku.1a": {
            "name": "not_null_fct_order_lines_sku",
            "attached_node": "model.sop.fct_order_lines",
            "config": {"severity": "ERROR"},
            "column_name": "sku",
            "test_metadata": {"name": "not_null", "kwargs": {"column_name": "sku"}},
            "depends_on": {"nodes": ["model.sop.fct_order_lines"]},
        },
        "test.sop.relationships_fct_returns_order_line_id.2b": {
            "name": "relationships_fct_returns_order_line_id",
            "attached_node": "model.sop.fct_order_lines",
            "config": {"severity": "warn"},
            "test_metadata": {"name": "relationships", "kwargs": {}},
            "depends_on": {"nodes": ["model.sop.fct_order_lines"]},
        },
        "test.sop.source_unique_sales_order_lines_id.3c": {
            "name": "source_unique_sales_order_lines_id",
            "attached_node": None,
            "config": {"severity": "ERROR"},
            "test_metadata": {"name": "unique", "kwargs": {}},
            "depends_on": {"nodes": ["source.sop.sales.order_lines"]},
        },
    },
    "sources": {
        "source.sop.sales.order_lines": {
            "name": "order_lines",
            "schema": "raw",
            "identifier": "order_lines",
        }
    },
    "unit_tests": {},
}

FAILING_SQL = "select sku, order_id from (values (null, 'SO1'), (null, 'SO2')) as t(sku, order_id)\n-- trailing"


def _result(unique_id, status, failures=None, message=None, compiled_code=None):
    return {
        "unique_id": unique_id,
        "status": status,
        "failures": failures,
        "message": message,
        "compiled_code": compiled_code,
    }


def test_severity_table_and_status_of_each_node():
    run_results = {
        "results": [
            _result("model.sop.stg_sales__order_lines", "success", message="OK"),
            _result(
                "model.sop.fct_order_lines",
                "error",
                message="Runtime Error in model\n  Binder Error: no sku",
            ),
            _result(
                "test.sop.not_null_fct_order_lines_sku.1a", "fail", 2, "Got 2 results", FAILING_SQL
            ),
            _result(
                "test.sop.relationships_fct_returns_order_line_id.2b", "warn", 4, "Got 4 results"
            ),
            _result("test.sop.source_unique_sales_order_lines_id.3c", "pass", 0),
            _result("model.sop.later_mart", "skipped"),
        ]
    }
    rows = {
        r.check if r.kind != "dbt_model" else r.table: r
        for r in dbt_results(run_results, MANIFEST, invocation_error="dbt exited 1")
    }
    assert set(rows) == {
        "staging.stg_sales__order_lines",
        "marts.fct_order_lines",
        "not_null_fct_order_lines_sku",
        "relationships_fct_returns_order_line_id",
        "source_unique_sales_order_lines_id",
        "dbt build",
    }
    built = rows["marts.fct_order_lines"]
    assert built.is_blocking
    assert built.describe() == (
        "dbt model marts.fct_order_lines failed to build: "
        "Runtime Error in model Binder Error: no sku"
    )
    not_null = rows["not_null_fct_order_lines_sku"]
    assert (not_null.table, not_null.severity, not_null.failures, not_null.column) == (
        "marts.fct_order_lines",
        "critical",
        2,
        "sku",
    )
    warned = rows["relationships_fct_returns_order_line_id"]
    assert (warned.severity, warned.success, warned.is_blocking) == ("warning", False, False)
    assert rows["source_unique_sales_order_lines_id"].table == "raw.order_lines"
    assert rows["source_unique_sales_order_lines_id"].success
    invocation = rows["dbt build"]
    assert invocation.success and invocation.kind == "dbt_invocation"


def test_an_invocation_that_failed_without_a_failed_node_is_critical():
    [invocation] = dbt_results(
        None, MANIFEST, invocation_error="Compilation Error in model x", full_run=False
    )
    assert invocation.is_blocking and invocation.kind == "dbt_invocation_subset"
    assert invocation.describe() == "dbt build (subset) failed: Compilation Error in model x"


def test_sample_from_the_compiled_test_and_persisted_row():
    run_results = {
        "results": [
            _result(
                "test.sop.not_null_fct_order_lines_sku.1a", "fail", 2, "Got 2 results", FAILING_SQL
            )
        ]
    }
    with duckdb.connect() as conn:
        rows = with_samples(conn, dbt_results(run_results, MANIFEST, invocation_error="exit 1"))
        assert rows[0].sample == [
            {"sku": None, "order_id": "SO1"},
            {"sku": None, "order_id": "SO2"},
        ]
        assert rows[0].describe() == (
            "dbt test not_null_fct_order_lines_sku on marts.fct_order_lines "
            "failed: 2 rows (e.g. sku=NULL order_id=SO1)"
        )
        persist_dbt_results(conn, rows, "run-1", "dbt_warehouse", dt.datetime(2026, 1, 12))
        persist_dbt_results(conn, rows, "run-1", "dbt_warehouse", dt.datetime(2026, 1, 12))
        stored = conn.execute(
            "select table_name, expectation, check_kind, severity, success, unexpected_count, message "
            "from audit.dq_results order by check_kind desc"
        ).fetchall()
    assert stored == [
        (
            "marts.fct_order_lines",
            "not_null_fct_order_lines_sku",
            "dbt_test",
            "critical",
            False,
            2,
            rows[0].describe(),
        ),
        (
            "(dbt project)",
            "dbt build",
            "dbt_invocation",
            "critical",
            True,
            None,
            rows[1].describe(),
        ),
    ]


def test_a_sample_query_that_cannot_run_leaves_no_sample():
    run_results = {
        "results": [
            _result(
                "test.sop.not_null_fct_order_lines_sku.1a",
                "fail",
                3,
                "x",
                "select * from missing_table",
            )
        ]
    }
    with duckdb.connect() as conn:
        [row, _] = with_samples(conn, dbt_results(run_results, MANIFEST, invocation_error="exit 1"))
    assert row.sample == [] and row.describe().endswith("failed: 3 rows")
