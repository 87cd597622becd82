"""A minimal DevTools-protocol driver for Debian's headless ``chromium``, for the report tests.

It starts one chromium process on a private profile with every background
network feature off and plain http(s) blocked, opens pages from ``file://``,
and records what a tester needs to see: console errors, uncaught
exceptions, log errors and every network request the page made. Only the
``websockets`` client (already in the lock, via uvicorn) is used; nothing is
downloaded.
"""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from websockets.sync.client import connect

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--metrics-recording-only",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)


class ChromiumNotFoundError(RuntimeError):
    """Raised when no chromium binary is installed."""


def find_chromium() -> str:
    """Path of the chromium binary, or raise with the command that installs it."""
    for candidate in CHROMIUM_CANDIDATES:
        path = shutil.which(candidate)
        if path:
            return path
    raise ChromiumNotFoundError(
        "chromium is not installed (looked for /usr/bin/chromium, chromium, chromium-browser). "
        "Install Debian's package: `apt-get install -y chromium` (the Makefile's test target "
        "does this in CI)."
    )


@dataclass
class PageReport:
    """What happened while a page loaded."""

    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    log_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """Every console error, uncaught exception and error log entry."""
        return self.console_errors + self.exceptions + self.log_errors


class HeadlessChromium:
    """One headless chromium process driven over the DevTools protocol (flattened sessions)."""

    def __init__(self, width: int = 1280, height: int = 900, timeout: float = 30.0) -> None:
        self.width, self.height, self.timeout = width, height, timeout
        self._profile = tempfile.TemporaryDirectory(prefix="sop-chromium-")
        binary = find_chromium()
        self._process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._ids = itertools.count(1)
        self._events: list[dict] = []
        self._ws = connect(self._browser_ws_url(), max_size=None, open_timeout=self.timeout)

    def _browser_ws_url(self) -> str:
        port_file = Path(self._profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"chromium exited with code {self._process.returncode}")
            if port_file.exists():
                lines = port_file.read_text().split()
                if len(lines) >= 2:
                    return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            time.sleep(0.05)
        raise TimeoutError("chromium did not open its DevTools port")

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and return its result, keeping events that arrive meanwhile."""
        call_id = next(self._ids)
        message = {"id": call_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._ws.send(json.dumps(message))
        deadline = time.monotonic() + self.timeout
        while True:
            reply = json.loads(self._ws.recv(timeout=max(deadline - time.monotonic(), 0.01)))
            if reply.get("id") == call_id:
                if "error" in reply:
                    raise RuntimeError(f"{method} failed: {reply['error']}")
                return reply.get("result", {})
            self._events.append(reply)

    def _drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                self._events.append(json.loads(self._ws.recv(timeout=left)))
            except TimeoutError:
                return

    def open(self, url: str) -> tuple[str, PageReport]:
        """Open ``url`` in a new tab, wait for its load event, return (session id, report)."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.send(f"{domain}.enable", session=session)
        self.send("Network.setBlockedURLs", {"urls": ["http://*", "https://*"]}, session=session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        self._events.clear()
        self.send("Page.navigate", {"url": url}, session=session)
        deadline = time.monotonic() + self.timeout
        while not any(
            e.get("method") == "Page.loadEventFired" and e.get("sessionId") == session
            for e in self._events
        ):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not finish loading")
            self._drain(0.1)
        return session, self._page_report(session)

    def _page_report(self, session: str) -> PageReport:
        report = PageReport()
        for event in self._events:
            if event.get("sessionId") != session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                report.console_errors.append(
                    " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
                )
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                report.exceptions.append(
                    details.get("exception", {}).get("description", details.get("text", ""))
                )
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                report.log_errors.append(params["entry"]["text"])
            elif method == "Network.requestWillBeSent":
                report.requests.append(params["request"]["url"])
        return report

    def refresh_report(self, session: str, settle: float = 0.5) -> PageReport:
        """Collect events for ``settle`` more seconds and return the page's full report."""
        self._drain(settle)
        return self._page_report(session)

    def evaluate(self, session: str, expression: str):
        """Evaluate a JavaScript expression in the page and return its JSON value."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=session,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluation failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, session: str, path: Path, clip: dict | None = None) -> Path:
        """Save a PNG of the whole page (or of ``clip``: x, y, width, height in CSS px)."""
        if clip is None:
            size = self.send("Page.getLayoutMetrics", session=session)["cssContentSize"]
            clip = {"x": 0, "y": 0, "width": self.width, "height": size["height"]}
        data = self.send(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True, "clip": {**clip, "scale": 1}},
            session=session,
        )["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        """Close the connection and end the chromium process this object started."""
        try:
            self._ws.close()
        finally:
            if self._process.poll() is None:
                self._process.send_signal(signal.SIGTERM)
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait(timeout=10)
            self._profile.cleanup()

    def __enter__(self) -> HeadlessChromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
