"""Why a run failed, one short line per failure, for the console.

A step that raised ``dg.Failure`` with a ``failure_lines`` metadata entry (the
dbt builds, the quality gate) gives those lines; a step stopped by a failed
blocking asset check (the ``gx_*`` suites) gives one line per failed critical
check, with its failing rows and a sample; any other failed step its error's
innermost cause's first line (``KeyError: ...``, not Dagster's wrapper). Skipped
steps are consequences and give none.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import dagster as dg

FAILURE_LINES = "failure_lines"
"""Metadata key of a ``dg.Failure``: the failures it stands for, one line each."""
MAX_LINE = 240


def _cut(line: str) -> str:
    flat = " ".join(line.split())
    return flat if len(flat) <= MAX_LINE else flat[: MAX_LINE - 1] + "…"


def _value(entry: Any) -> Any:
    return getattr(entry, "value", entry)


def _sample_text(sample: Any) -> str:
    if not sample:
        return ""
    first = sample[0] if isinstance(sample, list) else sample
    if isinstance(first, Mapping):
        shown = " ".join(f"{k}={'NULL' if v is None else v}" for k, v in first.items())
    else:
        shown = "NULL" if first is None else str(first)
    return f" (e.g. {shown})"


def check_lines(evaluation: dg.AssetCheckEvaluation) -> list[str]:
    """One line per failed critical check of a ``gx_*`` evaluation, else one for the whole check."""
    metadata = evaluation.metadata
    failed = [
        f for f in _value(metadata.get("failed_checks")) or [] if f.get("severity") == "critical"
    ]
    if not failed:
        text = evaluation.description or _value(metadata.get("message")) or "failed"
        return [_cut(f"{evaluation.check_name}: {text}")]
    table = _value(metadata.get("table")) or evaluation.asset_key.to_user_string()
    sample = _sample_text(_value(metadata.get("sample")))
    lines = []
    for i, f in enumerate(failed):
        if f.get("error"):
            found = f"could not be evaluated: {f['error']}"
        elif f.get("failing_rows") is not None:
            rows = f["failing_rows"]
            found = f"{rows:,} row{'s' * (rows != 1)}" + (sample if i == 0 else "")
        else:
            found = f"observed {json.dumps(f.get('observed'), default=str)}"
        lines.append(_cut(f"{evaluation.check_name}: {f['check']} on {table}: {found}"))
    return lines


def _root_cause(error: Any) -> str:
    """The innermost cause of a step error (``KeyError: 'x'``), not Dagster's wrapper text."""
    while error is not None and getattr(error, "cause", None) is not None:
        error = error.cause
    message = (getattr(error, "message", "") or "failed").strip()
    return message.splitlines()[0] if message else "failed"


def _failed_blocking_checks(
    events: Iterable[dg.DagsterEvent],
) -> dict[str | None, list[dg.AssetCheckEvaluation]]:
    by_step: dict[str | None, list[dg.AssetCheckEvaluation]] = {}
    for event in events:
        evaluation = event.event_specific_data
        if not isinstance(evaluation, dg.AssetCheckEvaluation):
            continue
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
            by_step.setdefault(event.step_key, []).append(evaluation)
    return by_step


def failure_lines(result: dg.ExecuteInProcessResult) -> list[str]:
    """Short one-line messages for a run's failed steps and failed blocking asset checks."""
    events = list(result.all_events)
    checks = _failed_blocking_checks(events)
    lines: list[str] = []
    explained: set[str | None] = set()
    for event in events:
        if not event.is_step_failure:
            continue
        # StepFailureData is not in dagster's public API: its typed accessor narrows instead.
        step, data = event.step_key, event.step_failure_data
        listed = (
            data.user_failure_data.metadata.get(FAILURE_LINES) if data.user_failure_data else None
        )
        if listed is not None and _value(listed):
            lines += [_cut(f"{step}: {line}") for line in _value(listed)]
        elif step in checks:
            lines += [line for evaluation in checks[step] for line in check_lines(evaluation)]
        else:
            lines.append(_cut(f"{step} failed: {_root_cause(data.error)}"))
        explained.add(step)
    for step, evaluations in checks.items():
        if step not in explained:
            lines += [line for evaluation in evaluations for line in check_lines(evaluation)]
    return lines
