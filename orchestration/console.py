"""What ``sop`` shows on the terminal: one line per job, the rest in a log file.

Dagster, dbt (dagster-dbt re-emits every dbt event on stdout), statsforecast's
workers and LightGBM all write to the process's stdout and stderr, from Python
and from native code and child processes. While a job runs, file descriptors
1 and 2 point at the log file, so all of it lands there whatever wrote it; the
terminal gets a line per job, with a live elapsed-time counter when it is an
interactive terminal. ``verbose`` streams everything to the terminal instead.
"""

from __future__ import annotations

import io
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


class Console:
    """The terminal (kept aside while jobs write to the log) and the log file of one command."""

    def __init__(self, log_path: Path | None, verbose: bool = False) -> None:
        self.log_path = log_path
        self.verbose = verbose or log_path is None
        sys.stdout.flush()
        self._terminal: TextIO = _kept_aside(sys.stdout)
        self.interactive = self._terminal.isatty()
        if log_path is not None:
            log_path.parent.mkdir(parents=True, exist_ok=True)

    def line(self, text: str = "") -> None:
        """One line on the terminal (also in the log)."""
        self._terminal.write(text + "\n")
        self._terminal.flush()
        if self.log_path is not None and not self.verbose:
            with self.log_path.open("a", encoding="utf-8") as log:
                log.write(text + "\n")

    @contextmanager
    def captured(self) -> Iterator[None]:
        """Send fds 1 and 2 (everything anyone prints) to the log file for the block."""
        if self.verbose or self.log_path is None:
            yield
            return
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        streams = sys.stdout, sys.stderr
        with self.log_path.open("a", encoding="utf-8", errors="replace") as log:
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            sys.stdout = sys.stderr = log
            try:
                yield
            finally:
                log.flush()
                sys.stdout, sys.stderr = streams
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
                os.close(saved[0])
                os.close(saved[1])

    @contextmanager
    def progress(self, label: str) -> Iterator[None]:
        """While the block runs, ``label ... 12 s`` counts up on an interactive terminal."""
        if not self.interactive or self.verbose:
            yield
            return
        started = time.perf_counter()
        done = threading.Event()

        def tick() -> None:
            while not done.wait(1.0):
                self._terminal.write(f"\r  {label:<40} ... {time.perf_counter() - started:5.0f} s")
                self._terminal.flush()

        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()
        try:
            yield
        finally:
            done.set()
            ticker.join()
            self._terminal.write("\r" + " " * 60 + "\r")
            self._terminal.flush()


def _kept_aside(stream: TextIO) -> TextIO:
    """A stream to the terminal that survives fds 1 and 2 being pointed at the log."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return stream  # not a real file (e.g. a test's capture): write to it as it is
    return io.TextIOWrapper(
        os.fdopen(os.dup(fd), "wb", buffering=0),
        encoding="utf-8",
        line_buffering=True,
        errors="replace",
    )


def log_file(home: Path, command: str) -> Path:
    """``$SOP_HOME/logs/sop-<command>-<UTC time>.log`` for one command."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    return home / "logs" / f"sop-{command}-{stamp}.log"
