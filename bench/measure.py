"""Run one stage in a fresh subprocess and measure its wall time and peak memory.

Peak memory is the largest resident set of the whole process tree (the stage
and every process it starts: dbt, statsforecast's worker pool), polled with
psutil, combined with the kernel's per-process high-water mark
(``ru_maxrss``) that the child reports, which catches spikes between polls.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil

REPO_ROOT = Path(__file__).resolve().parent.parent
POLL_SECONDS = 0.1
MIB = 1024 * 1024


def tree_rss(proc: psutil.Process) -> int:
    """Resident bytes of ``proc`` and all its descendants (vanished ones count 0)."""
    total = 0
    try:
        members = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def run_measured(
    args: list[str],
    env: dict[str, str] | None = None,
    timeout: float = 7200,
    log_path: Path | None = None,
    cwd: Path = REPO_ROOT,
) -> dict[str, Any]:
    """Run ``args`` as a child process; return returncode, wall seconds and peak tree RSS.

    The child's output goes to ``log_path`` (or is discarded); a child past
    ``timeout`` seconds is killed with its tree and reported with returncode None.
    """
    started = time.perf_counter()
    loads = [os.getloadavg()[0]]
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open(log_path, "wb")) if log_path else subprocess.DEVNULL
        child = subprocess.Popen(args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        proc = psutil.Process(child.pid)
        peak = 0
        timed_out = False
        while child.poll() is None:
            peak = max(peak, tree_rss(proc))
            if time.perf_counter() - started > timeout:
                timed_out = True
                _kill_tree(proc)
                break
            time.sleep(POLL_SECONDS)
        child.wait()
    loads.append(os.getloadavg()[0])
    return {
        "returncode": None if timed_out else child.returncode,
        "wall_seconds": time.perf_counter() - started,
        "peak_tree_rss_mib": peak / MIB,
        "load_avg_1m": max(loads),
    }


def _kill_tree(proc: psutil.Process) -> None:
    """Kill a timed-out child and everything it started (only that tree)."""
    try:
        members = [*proc.children(recursive=True), proc]
    except psutil.Error:
        return
    for member in members:
        with contextlib.suppress(psutil.Error):
            member.kill()


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a stage child: the repo importable, dbt quiet about telemetry."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    env.update(extra or {})
    return env


def run_stage(
    stage: str, context_path: Path, workdir: Path, timeout: float = 7200
) -> dict[str, Any]:
    """Run ``python -m bench.stages <stage>`` for one scale and merge its own report.

    Returns a measurement: ``status`` ("ok" / "failed" / "timeout"), ``seconds``
    (the stage's own timed work, as the child measured it), ``wall_seconds``
    (process start to exit, imports included), ``peak_rss_mib`` (largest of the
    polled tree and the per-process high-water marks), ``details`` and ``error``.
    """
    result_path = workdir / f"{stage}.result.json"
    result_path.unlink(missing_ok=True)
    run = run_measured(
        [sys.executable, "-m", "bench.stages", stage, str(context_path), str(result_path)],
        env=child_env(),
        timeout=timeout,
        log_path=workdir / f"{stage}.log",
    )
    report = json.loads(result_path.read_text()) if result_path.exists() else {}
    if run["returncode"] is None:
        status, error = "timeout", f"killed after {timeout:.0f} s"
    elif report.get("status") == "ok" and run["returncode"] == 0:
        status, error = "ok", None
    else:
        status = "failed"
        error = report.get("error") or _log_tail(workdir / f"{stage}.log")
    peak = max(
        run["peak_tree_rss_mib"],
        report.get("max_rss_self_mib", 0.0),
        report.get("max_rss_children_mib", 0.0),
    )
    return {
        "stage": stage,
        "status": status,
        "seconds": report.get("seconds"),
        "wall_seconds": run["wall_seconds"],
        "peak_rss_mib": peak,
        "peak_tree_rss_mib": run["peak_tree_rss_mib"],
        "load_avg_1m": run["load_avg_1m"],
        "details": report.get("details", {}),
        "error": error,
    }


def _log_tail(path: Path, chars: int = 2000) -> str:
    if not path.exists():
        return "no output"
    return path.read_text(errors="replace")[-chars:]
