"""Suites are generated from the contracts: every key, required column, rule and reference is covered."""

from __future__ import annotations

import pytest

from data_quality.catalog import DAYS_IN_LONGEST_MONTH, MONTH_DATED_SOURCES, SUITES, get_spec
from data_quality.severity import CRITICAL, WARNING, severity_for
from data_quality.specs import PairCheck, RangeCheck, SetCheck, SqlRuleCheck, rule_to_check
from ingestion.contracts import CONTRACTS


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_every_contract_has_a_suite_covering_it(name):
    contract = CONTRACTS[name]
    spec = get_spec(f"raw_{name}")
    assert spec.table == contract.raw_table
    assert spec.key == contract.primary_key
    assert set(spec.required) == {c.name for c in contract.columns if c.required} | set(
        contract.primary_key
    )
    assert [c.name for c in spec.value_checks] == [r.name for r in contract.rules]
    assert [(r.column, r.target_table) for r in spec.references] == [
        (r.column, f"raw.{r.source}") for r in contract.references
    ]
    if name in MONTH_DATED_SOURCES:
        assert spec.max_age_days == contract.max_age_days + DAYS_IN_LONGEST_MONTH
    else:
        assert spec.max_age_days == contract.max_age_days
    assert set(spec.columns) <= set(contract.column_names)


def test_rules_become_native_expectations_where_they_can():
    known = ("qty", "discount", "a", "b", "kind", "month", "x", "y")
    assert rule_to_check("r", "qty > 0", known) == RangeCheck("r", "qty", 0, None, strict_min=True)
    assert rule_to_check("r", "discount >= 0 and discount < 1", known) == RangeCheck(
        "r", "discount", 0, 1, strict_min=False, strict_max=True
    )
    assert rule_to_check("r", "a >= b", known) == PairCheck("r", "a", "b", or_equal=True)
    assert rule_to_check("r", "a > b", known) == PairCheck("r", "a", "b", or_equal=False)
    assert rule_to_check("r", "kind in ('p', 'q')", known) == SetCheck("r", "kind", ("p", "q"))
    assert rule_to_check("r", "day(month) = 1", known) == SqlRuleCheck(
        "r", "day(month) = 1", ("month",)
    )
    assert rule_to_check("r", "x is not null or y is not null", known).columns == ("x", "y")


def test_only_unusual_contract_rules_fall_back_to_sql():
    fallbacks = {
        c.predicate for s in SUITES.values() for c in s.value_checks if isinstance(c, SqlRuleCheck)
    }
    assert fallbacks == {
        "day(month) = 1",
        "day(cycle_month) = 1",
        "sku is not null or product_line is not null",
    }


def test_severity_mapping_declared_in_one_place():
    assert severity_for("raw_order_lines", "unique_key") == CRITICAL
    assert severity_for("raw_order_lines", "reference") == CRITICAL
    assert severity_for("raw_order_lines", "freshness") == CRITICAL
    assert severity_for("raw_order_lines", "volume") == WARNING
    assert severity_for("raw_gl_actuals", "freshness") == WARNING
    assert severity_for("raw_gl_actuals", "unique_key") == CRITICAL


def test_unknown_suite_names_the_known_ones():
    with pytest.raises(KeyError, match="raw_order_lines"):
        get_spec("raw_nope")
