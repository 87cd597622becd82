"""Turn GX validation results into ``ExpectationOutcome`` records."""

from __future__ import annotations

from collections.abc import Iterator

from data_quality.outcome import SAMPLE_SIZE, ExpectationOutcome, to_jsonable


def _error_message(exception_info: dict | None) -> str | None:
    """GX keeps either one exception record or one per metric; return the first message."""
    if not exception_info:
        return None
    records = (
        [exception_info]
        if "raised_exception" in exception_info
        else [v for v in exception_info.values() if isinstance(v, dict)]
    )
    for record in records:
        if record.get("raised_exception"):
            return str(record.get("exception_message") or "unknown error")
    return None


def _expected_text(kwargs: dict, meta: dict) -> str:
    kind = meta.get("kind")
    if kind == "freshness":
        return f"newest {kwargs.get('column')} >= {to_jsonable(kwargs.get('min_value'))} (as of {meta.get('as_of')})"
    if kind == "volume":
        upper = kwargs.get("max_value")
        bounds = f">= {kwargs.get('min_value')}" + (f" and <= {upper}" if upper is not None else "")
        return f"{bounds} rows: {meta.get('rule')}"
    if kind == "completeness":
        return str(meta.get("rule"))
    if kind == "schema":
        return f"columns present: {', '.join(kwargs.get('column_set') or [])}"
    return ""


def _observed(result: dict, meta: dict):
    if meta.get("kind") == "completeness":  # GX lists at most 20 missing values, unordered
        return {
            "missing_count": int(result.get("missing_count") or 0),
            "missing_dates": sorted(to_jsonable(result.get("partial_missing_list") or [])),
        }
    if meta.get("kind") == "schema":
        mismatched = (result.get("details") or {}).get("mismatched") or {}
        return {"missing_columns": sorted(mismatched.get("missing") or [])}
    return to_jsonable(result.get("observed_value"))


def _sample(result: dict) -> list:
    rows = (
        result.get("partial_unexpected_index_list") or result.get("partial_unexpected_list") or []
    )
    return to_jsonable(list(rows)[:SAMPLE_SIZE])


def to_outcome(validation_result) -> ExpectationOutcome:
    """Convert one GX ``ExpectationValidationResult``."""
    config = validation_result.expectation_config
    meta = dict(config.meta or {})
    result = dict(validation_result.result or {})
    error = _error_message(validation_result.exception_info)
    unexpected = result.get("unexpected_count")
    return ExpectationOutcome(
        check=meta.get("check", config.type),
        kind=meta.get("kind", "rule"),
        expectation_type=config.type,
        columns=tuple(meta.get("columns") or []),
        severity=meta.get("severity", "critical"),
        success=bool(validation_result.success) and error is None,
        unexpected_count=None if unexpected is None else int(unexpected),
        element_count=None if result.get("element_count") is None else int(result["element_count"]),
        observed_value=_observed(result, meta),
        expected=_expected_text(dict(config.kwargs), meta),
        sample=_sample(result),
        error=error,
    )


def to_outcomes(result) -> Iterator[ExpectationOutcome]:
    """Convert a suite result (in the suite's expectation order) or a single expectation result."""
    if not hasattr(result, "results"):
        yield to_outcome(result)
        return
    ordered = sorted(
        result.results, key=lambda r: (r.expectation_config.meta or {}).get("order", 0)
    )
    for validation_result in ordered:
        yield to_outcome(validation_result)
