"""Suites are read from one declaration: raw suites from the contracts, mart suites from the catalog."""

from __future__ import annotations

import pytest

from data_quality.catalog import SUITES, get_suite
from data_quality.severity import CRITICAL, WARNING, severity_for
from data_quality.suites import DAYS_IN_LONGEST_MONTH, LOADED_AT
from ingestion.contracts import CONTRACTS


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_every_contract_has_a_raw_suite_of_table_level_checks_only(name):
    contract = CONTRACTS[name]
    suite = get_suite(f"raw_{name}")
    assert suite.table == contract.raw_table
    assert (suite.key, suite.required, suite.checks) == ((), (), ())  # the quarantine's job
    monthly = contract.event_period == "month"
    if contract.max_age_days is None:
        assert suite.freshness_column is None
    else:
        assert suite.max_age_days == contract.max_age_days + (DAYS_IN_LONGEST_MONTH * monthly)
        assert suite.freshness_column == (contract.event_date_column or LOADED_AT)
    assert suite.check_volume
    assert suite.check_completeness == (
        contract.event_date_column is not None and contract.load_mode == "by_file" and not monthly
    )
    assert set(suite.columns) <= {*contract.column_names, LOADED_AT}


def test_suites_are_the_contracts_and_three_marts():
    assert set(SUITES) == {f"raw_{n}" for n in CONTRACTS} | {
        "fct_order_lines",
        "fct_demand_monthly",
        "forecast",
    }


def test_severity_mapping_declared_in_one_place():
    assert severity_for("fct_order_lines", "unique_key") == CRITICAL
    assert severity_for("raw_order_lines", "freshness") == CRITICAL
    assert severity_for("raw_order_lines", "volume") == WARNING
    assert severity_for("raw_gl_actuals", "freshness") == WARNING
    assert severity_for("raw_order_lines", "completeness") == WARNING


def test_unknown_suite_names_the_known_ones():
    with pytest.raises(KeyError, match="raw_order_lines"):
        get_suite("raw_nope")
