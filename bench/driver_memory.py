"""The resident memory of this Python process over a cycle, peak by cycle step.

``ru_maxrss`` gives one peak for the whole process; to see which step of
``run_cycle`` holds what (the history collect, the backtest results, the
driver model, the forecast frame), a thread samples this process's RSS
(not its workers', not a JVM's) and the peaks are split by the cycle's own
``timings`` laps.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping

PAGE_MIB = os.sysconf("SC_PAGE_SIZE") / 2**20


def _rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE_MIB


class RssSampler:
    """Samples this process's RSS every ``interval`` seconds while in its ``with`` block."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.perf_counter(), _rss_mib()))
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self.start = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append((time.perf_counter(), _rss_mib()))

    def peaks_by_step(self, timings: Mapping[str, float]) -> dict[str, float]:
        """Peak MiB within each lap of ``timings`` (consecutive seconds from the start)."""
        out: dict[str, float] = {}
        begin = self.start
        for step, seconds in timings.items():
            end = begin + seconds
            inside = [rss for t, rss in self.samples if begin <= t <= end]
            out[step] = round(max(inside), 1) if inside else float("nan")
            begin = end
        return out
