"""What a page would fetch by itself: remote src/href attributes, and scripts other than plotly.js.

Shared by the scenario page tests. The inlined plotly.js bundle holds URL strings in code and
comments it never fetches for these figures, so a page is offline when no attribute names a
remote resource, the bundle is inlined exactly once, and no other script mentions http.
"""

from __future__ import annotations

from html.parser import HTMLParser

from plotly.offline import get_plotlyjs


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        self.urls += [v for k, v in attrs if k in ("src", "href", "srcset", "data") and v]
        self._script = tag == "script"
        if self._script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script:
            self.scripts[-1] += data


def offline_problems(html: str) -> list[str]:
    """Why ``html`` is not self-contained (empty when it is)."""
    scan = _Scan()
    scan.feed(html)
    problems = [f"remote {u}" for u in scan.urls if u.strip().lower().startswith(("http", "//"))]
    bundle = get_plotlyjs()
    if sum(s == bundle for s in scan.scripts) != 1:
        problems.append("plotly.js is not inlined exactly once")
    problems += [
        f"script mentions http: {s[:80]}"
        for s in scan.scripts
        if s != bundle and "http" in s.lower()
    ]
    return problems
