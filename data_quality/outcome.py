"""Validation outcomes as plain data: what each check found, and the message a blocked run shows."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from data_quality.severity import CRITICAL, Severity

SAMPLE_SIZE = 5


def to_jsonable(value: Any) -> Any:
    """Convert numpy, pandas and datetime values (nested) to plain JSON-ready Python."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [to_jsonable(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.isoformat()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, np.generic):
        return to_jsonable(value.item())
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    return value


@dataclass(frozen=True)
class ExpectationOutcome:
    """Result of one check.

    Attributes
    ----------
    check : str
        Check name, e.g. ``unique_key(order_id, line_number)`` or ``rule:discount_range``.
    kind : str
        Kind of check (see ``data_quality.severity.CheckKind``).
    expectation_type : str
        GX expectation, e.g. ``expect_compound_columns_to_be_unique``.
    columns : tuple of str
        Columns the check reads.
    severity : Severity
        ``critical`` (blocking) or ``warning``.
    success : bool
        Whether the check passed.
    unexpected_count : int or None
        Failing rows (row-level checks); ``None`` for aggregate checks.
    element_count : int or None
        Rows evaluated.
    observed_value : Any
        Observed aggregate (newest date, row count, missing columns), JSON-ready.
    expected : str
        What was expected, in words.
    sample : list
        Up to ``SAMPLE_SIZE`` failing rows (key columns and the failing value) or values.
    error : str or None
        Exception text when the check could not be evaluated (counts as failed).
    """

    check: str
    kind: str
    expectation_type: str
    columns: tuple[str, ...]
    severity: Severity
    success: bool
    unexpected_count: int | None = None
    element_count: int | None = None
    observed_value: Any = None
    expected: str = ""
    sample: list = field(default_factory=list)
    error: str | None = None

    def describe(self, suite: str, table: str) -> str:
        """One line naming the check, the table, how many rows failed and a sample."""
        head = f"[{self.severity}] {suite}.{self.check} on {table}"
        if self.success:
            return f"{head}: passed"
        if self.error:
            return f"{head}: could not be evaluated ({self.expectation_type}): {self.error}"
        if self.unexpected_count is not None:
            of = f" of {self.element_count:,}" if self.element_count is not None else ""
            sample = json.dumps(self.sample, ensure_ascii=False, default=str)
            return (
                f"{head}: {self.unexpected_count:,}{of} rows failed "
                f"({self.expectation_type} on {', '.join(self.columns)}); sample: {sample}"
            )
        observed = json.dumps(self.observed_value, ensure_ascii=False, default=str)
        return f"{head}: observed {observed}, expected {self.expected}"


@dataclass(frozen=True)
class ValidationOutcome:
    """Result of one suite on one table.

    Attributes
    ----------
    suite : str
        Suite name.
    table : str
        Validated table, ``schema.name``.
    success : bool
        Every check passed.
    severity : Severity
        The suite's highest declared severity: ``critical`` if any of its
        checks is blocking.
    results : tuple of ExpectationOutcome
        One per check, in suite order.
    evaluated_at : datetime
        When the validation counts as made (passed in; defaults to the as-of date).
    row_count : int
        Rows validated.
    seconds : float
        Wall time of the GX validation (pulling the data excluded).
    """

    suite: str
    table: str
    success: bool
    severity: Severity
    results: tuple[ExpectationOutcome, ...]
    evaluated_at: dt.datetime
    row_count: int
    seconds: float = 0.0

    @property
    def failures(self) -> tuple[ExpectationOutcome, ...]:
        return tuple(r for r in self.results if not r.success)

    @property
    def blocking_failures(self) -> tuple[ExpectationOutcome, ...]:
        return tuple(r for r in self.failures if r.severity == CRITICAL)

    @property
    def is_blocking(self) -> bool:
        """True when a critical check failed: downstream plans, report and publish must not run."""
        return bool(self.blocking_failures)

    @property
    def message(self) -> str:
        """The text a run shows: one line per failed check, critical first."""
        if self.success:
            return (
                f"{self.suite} on {self.table}: all {len(self.results)} checks passed "
                f"({self.row_count:,} rows)"
            )
        failures = sorted(self.failures, key=lambda r: r.severity != CRITICAL)
        status = "BLOCKING" if self.is_blocking else "warnings only"
        lines = [
            f"{self.suite} on {self.table}: {len(failures)} of {len(self.results)} checks "
            f"failed ({status}, {self.row_count:,} rows)"
        ]
        lines += [f"  - {r.describe(self.suite, self.table)}" for r in failures]
        return "\n".join(lines)
