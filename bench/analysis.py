"""Pure arithmetic of the benchmark: log-log slopes, ratios to the limits and target checks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

PASS, MISS, NOT_MEASURED = "PASS", "MISS", "NOT MEASURED"


def loglog_slope(series_counts: Sequence[float], seconds: Sequence[float]) -> float | None:
    """Slope of log(time) against log(series count), by least squares.

    A slope of 1 is linear growth, 2 quadratic, 0 a fixed cost. Points with a
    missing or non-positive value are ignored; ``None`` when fewer than two
    distinct series counts remain.
    """
    pairs = [
        (float(x), float(y))
        for x, y in zip(series_counts, seconds, strict=True)
        if x is not None
        and y is not None
        and x > 0
        and y > 0
        and math.isfinite(x)
        and math.isfinite(y)
    ]
    if len({x for x, _ in pairs}) < 2:
        return None
    xs, ys = np.log([p[0] for p in pairs]), np.log([p[1] for p in pairs])
    slope, _ = np.polyfit(xs, ys, 1)
    return float(slope)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """``numerator / denominator``, or ``None`` when either is missing or the denominator is 0."""
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return float(numerator) / float(denominator)


@dataclass(frozen=True)
class TargetCheck:
    """One target, what was measured against it, and the verdict with the gap.

    ``direction`` is ``"max"`` when the value must stay at or below ``limit``
    (time, memory, ratio to native, slope) and ``"min"`` when it must reach it
    (ingest's share of the raw read speed).
    """

    name: str
    label: str
    value: float | None
    limit: float
    direction: str
    unit: str
    status: str
    gap: float | None
    message: str
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _fmt(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value * 100:.0f}%"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "s":
        return f"{value:.0f} s" if abs(value) >= 10 else f"{value:.1f} s"
    if unit == "GiB":
        return f"{value:.2f} GiB"
    return f"{value:.2f}"


def check_target(
    name: str,
    label: str,
    value: float | None,
    limit: float,
    direction: str,
    unit: str = "",
    note: str = "",
) -> TargetCheck:
    """Compare ``value`` with ``limit`` and phrase the verdict with the gap.

    >>> check_target("forecast", "forecast / native", 1.45, 1.3, "max", "x").message
    'forecast / native 1.45x, target <= 1.30x: MISS by 0.15x'
    """
    if direction not in ("max", "min"):
        raise ValueError(f"direction must be 'max' or 'min', got {direction!r}")
    op = "<=" if direction == "max" else ">="
    if value is None or not math.isfinite(value):
        why = f" ({note})" if note else ""
        return TargetCheck(
            name,
            label,
            None,
            limit,
            direction,
            unit,
            NOT_MEASURED,
            None,
            f"{label}: not measured, target {op} {_fmt(limit, unit)}{why}",
            note,
        )
    gap = value - limit if direction == "max" else limit - value
    status = PASS if gap <= 0 else MISS
    verdict = PASS if status == PASS else f"MISS by {_gap(gap, unit)}"
    message = f"{label} {_fmt(value, unit)}, target {op} {_fmt(limit, unit)}: {verdict}"
    return TargetCheck(
        name, label, float(value), limit, direction, unit, status, float(gap), message, note
    )


def _gap(gap: float, unit: str) -> str:
    if unit == "%":
        return f"{gap * 100:.0f} pts"
    return _fmt(gap, unit)
