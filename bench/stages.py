"""The stage child: ``python -m bench.stages STAGE CONTEXT_JSON RESULT_JSON``.

The parent (``bench.run``) starts one fresh process per stage so that each
stage's peak memory is its own. The child runs the stage, then writes its
status, the seconds of the stage's own work, what it did and the kernel's
memory high-water marks (``ru_maxrss`` of itself and of its waited-for
children) to RESULT_JSON.

The context is a JSON object: ``scale`` (``bench.scales.Scale.as_dict``),
``home`` (this scale's SOP_HOME), ``workdir``, ``cycle_month`` (ISO date),
``dbt_target_path`` and ``dbt_log_path``.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import traceback
from dataclasses import fields
from datetime import date
from pathlib import Path

from bench import stage_daily, stage_data, stage_dbt, stage_forecast, stage_quality

KIB_PER_MIB = 1024


def report(ctx: dict) -> tuple[float, dict]:
    """Render the cycle month's retrospective from the report SQL over the performance marts.

    If the warehouse inputs cannot be read or break the report's contract, the
    render is benched on ``bench.report_sample.sample_inputs`` instead and the
    details say so (``inputs`` = "sample" with the reason).
    """
    import duckdb

    from bench.report_sample import sample_inputs
    from orchestration.warehouse_io import query
    from reports.contract import RetrospectiveInputs, validate_inputs
    from reports.retrospective import write_retrospective

    month = date.fromisoformat(ctx["cycle_month"])
    out_dir = Path(ctx["home"]) / "reports"
    started = time.perf_counter()
    details: dict = {"inputs": "warehouse"}
    try:
        with duckdb.connect(str(Path(ctx["home"]) / "warehouse.duckdb"), read_only=True) as conn:
            frames = {
                f.name: query(conn, f"report_{f.name}", {"month": month})
                for f in fields(RetrospectiveInputs)
            }
        inputs = RetrospectiveInputs(**frames)
        validate_inputs(inputs)
        details["rows"] = {name: len(frame) for name, frame in frames.items()}
    except Exception as exc:  # noqa: BLE001 - any failure falls back to the sample, with the reason
        inputs = sample_inputs(month)
        details["inputs"] = f"sample (warehouse inputs not usable: {type(exc).__name__}: {exc})"[
            :500
        ]
    details["query_seconds"] = time.perf_counter() - started
    t0 = time.perf_counter()
    path = write_retrospective(inputs, month, out_dir, lang="zh")
    details["render_seconds"] = time.perf_counter() - t0
    details["html_bytes"] = path.stat().st_size
    return time.perf_counter() - started, details


STAGE_FUNCTIONS = {
    "generation": stage_data.generation,
    "ingest": stage_data.ingest,
    "raw_read": stage_data.raw_read,
    "warehouse": stage_dbt.warehouse,
    "daily_increment": stage_daily.daily_increment,
    "quality": stage_quality.quality,
    "forecast": stage_forecast.forecast,
    "forecast_native": stage_forecast.forecast_native,
    "forecast_spark": stage_forecast.forecast_spark,
    "plans": stage_dbt.plans,
    "performance": stage_dbt.performance,
    "report": report,
    "scenario": stage_dbt.scenario,
}


def _max_rss_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / KIB_PER_MIB  # Linux reports KiB


def main(argv: list[str] | None = None) -> int:
    """Run one stage; always write a result file, exit non-zero when the stage failed."""
    stage, context_path, result_path = (argv if argv is not None else sys.argv[1:])[:3]
    ctx = json.loads(Path(context_path).read_text())
    out: dict = {"stage": stage, "status": "failed", "seconds": None, "details": {}, "error": None}
    try:
        seconds, details = STAGE_FUNCTIONS[stage](ctx)
        out.update(status="ok", seconds=seconds, details=details)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which carries on
        out["error"] = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()[-2000:]}"
    out["max_rss_self_mib"] = _max_rss_mib(resource.RUSAGE_SELF)
    out["max_rss_children_mib"] = _max_rss_mib(resource.RUSAGE_CHILDREN)
    Path(result_path).write_text(json.dumps(out, default=str, indent=1))
    return 0 if out["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
