"""Suite factories: turn a ``TableSpec`` into a Great Expectations suite.

Every expectation carries ``meta`` naming its check (``check``), the kind of
check (``kind``), its ``severity`` (from ``data_quality.severity``) and the
columns it reads, so results can be reported, gated and persisted without
parsing GX's own configuration. Run-dependent values (the as-of date, the set
of known keys, the volume floor) are arguments: a factory never looks at the
clock or the database.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, timedelta

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd

from data_quality.catalog import get_spec
from data_quality.completeness import ExpectedDays
from data_quality.severity import CheckKind, severity_for
from data_quality.specs import (
    PairCheck,
    RangeCheck,
    SetCheck,
    SqlRuleCheck,
    TableSpec,
    spec_from_contract,
)
from ingestion.contracts import SourceContract

LOADED_AT = "_loaded_at"
SOURCE_FILE = "_source_file"


def freshness_column(spec: TableSpec) -> str | None:
    """Column whose newest value must be recent: the event date, or the load time of snapshots."""
    if spec.max_age_days is None:
        return None
    if spec.event_date_column:
        return spec.event_date_column
    return LOADED_AT if spec.snapshot else None


def suite_columns(spec: TableSpec) -> tuple[str, ...]:
    """Every table column the suite reads, freshness column included."""
    fresh = freshness_column(spec)
    return tuple(dict.fromkeys([*spec.columns, *([fresh] if fresh else [])]))


def _meta(spec: TableSpec, kind: CheckKind, check: str, columns: list[str]) -> dict:
    return {
        "check": check,
        "kind": kind,
        "severity": severity_for(spec.suite_name, kind),
        "columns": columns,
    }


def _value_expectation(spec: TableSpec, check) -> gxe.Expectation:
    if isinstance(check, RangeCheck):
        return gxe.ExpectColumnValuesToBeBetween(
            column=check.column,
            min_value=check.min_value,
            max_value=check.max_value,
            strict_min=check.strict_min,
            strict_max=check.strict_max,
            meta=_meta(spec, "range", f"range:{check.name}", [check.column]),
        )
    if isinstance(check, PairCheck):
        return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=check.column_a,
            column_B=check.column_b,
            or_equal=check.or_equal,
            ignore_row_if="either_value_is_missing",
            meta=_meta(spec, "rule", f"rule:{check.name}", [check.column_a, check.column_b]),
        )
    if isinstance(check, SetCheck):
        return gxe.ExpectColumnValuesToBeInSet(
            column=check.column,
            value_set=list(check.values),
            meta=_meta(spec, "rule", f"rule:{check.name}", [check.column]),
        )
    if isinstance(check, SqlRuleCheck):
        return gxe.ExpectColumnValuesToBeInSet(
            column=check.flag_column,
            value_set=[True],
            meta=_meta(spec, "rule", f"rule:{check.name}", list(check.columns))
            | {"predicate": check.predicate},
        )
    raise TypeError(f"unsupported check {check!r}")


def build_suite(
    spec: TableSpec,
    *,
    as_of: date,
    reference_values: Mapping[str, Collection] | None = None,
) -> gx.ExpectationSuite:
    """Build the suite for ``spec`` as of ``as_of``.

    Parameters
    ----------
    spec : TableSpec
        What to check.
    as_of : date
        The run's as-of date; freshness is measured against it.
    reference_values : mapping of column to collection, optional
        Known values for each referencing column (e.g. every sku of
        ``raw.products``); required for every reference of ``spec``.

    Returns
    -------
    ExpectationSuite
        Schema, key, not-null, value, reference and freshness expectations.
        The volume check runs on a different batch: see ``build_volume_expectation``.
    """
    reference_values = reference_values or {}
    suite = gx.ExpectationSuite(name=spec.suite_name)
    needed = list(suite_columns(spec))
    suite.add_expectation(
        gxe.ExpectTableColumnsToMatchSet(
            column_set=needed,
            exact_match=False,
            meta=_meta(spec, "schema", "schema:columns_present", needed),
        )
    )
    key = list(spec.key)
    key_check = f"unique_key({', '.join(key)})"
    if len(key) == 1:
        suite.add_expectation(
            gxe.ExpectColumnValuesToBeUnique(
                column=key[0], meta=_meta(spec, "unique_key", key_check, key)
            )
        )
    elif key:
        suite.add_expectation(
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=key, meta=_meta(spec, "unique_key", key_check, key)
            )
        )
    for column in spec.required:
        suite.add_expectation(
            gxe.ExpectColumnValuesToNotBeNull(
                column=column, meta=_meta(spec, "not_null", f"not_null({column})", [column])
            )
        )
    for check in spec.value_checks:
        suite.add_expectation(_value_expectation(spec, check))
    for ref in spec.references:
        if ref.column not in reference_values:
            raise ValueError(f"{spec.suite_name}: no reference values given for {ref.column!r}")
        target = f"{ref.target_table}.{ref.target_column}"
        suite.add_expectation(
            gxe.ExpectColumnValuesToBeInSet(
                column=ref.column,
                value_set=sorted(reference_values[ref.column]),
                meta=_meta(spec, "reference", f"reference({ref.column} -> {target})", [ref.column]),
            )
        )
    fresh = freshness_column(spec)
    if fresh:
        oldest_allowed = pd.Timestamp(as_of - timedelta(days=spec.max_age_days))
        suite.add_expectation(
            gxe.ExpectColumnMaxToBeBetween(
                column=fresh,
                min_value=oldest_allowed,
                meta=_meta(
                    spec,
                    "freshness",
                    f"freshness({fresh}, max_age_days={spec.max_age_days})",
                    [fresh],
                )
                | {"as_of": as_of.isoformat()},
            )
        )
    for position, expectation in enumerate(suite.expectations):
        expectation.meta["order"] = position
    return suite


def build_completeness_expectation(spec: TableSpec, expected: ExpectedDays) -> gxe.Expectation:
    """Every expected business day present, validated on the window's distinct event dates (ISO text).

    See ``data_quality.completeness`` for how the expected days are decided.
    """
    column = spec.event_date_column
    return gxe.ExpectColumnDistinctValuesToContainSet(
        column=column,
        value_set=[d.isoformat() for d in expected.dates],
        meta=_meta(spec, "completeness", f"completeness({column})", [column])
        | {"rule": expected.rule},
    )


def build_volume_expectation(
    spec: TableSpec, min_rows: int, rule: str, max_rows: int | None = None
) -> gxe.Expectation:
    """Row-count bounds for the newest load, validated on a batch holding only that load.

    Parameters
    ----------
    spec : TableSpec
        The table's spec (for the suite name and severity).
    min_rows : int
        Fewest rows the newest load may have (see ``data_quality.volume``).
    rule : str
        Human statement of how the bounds were derived, kept in the result.
    max_rows : int, optional
        Most rows the newest load may have (a spike); no upper bound when absent.
    """
    return gxe.ExpectTableRowCountToBeBetween(
        min_value=min_rows,
        max_value=max_rows,
        meta=_meta(spec, "volume", "volume(newest_load)", []) | {"rule": rule},
    )


def build_raw_suite(
    contract: SourceContract,
    *,
    as_of: date,
    reference_values: Mapping[str, Collection] | None = None,
) -> gx.ExpectationSuite:
    """Build the suite of ``raw.<source>`` straight from its contract."""
    return build_suite(spec_from_contract(contract), as_of=as_of, reference_values=reference_values)


def build_named_suite(
    suite_name: str,
    *,
    as_of: date,
    reference_values: Mapping[str, Collection] | None = None,
) -> gx.ExpectationSuite:
    """Build a catalogued suite by name (``raw_<source>``, ``fct_order_lines``, ...)."""
    return build_suite(get_spec(suite_name), as_of=as_of, reference_values=reference_values)
