"""The whole suite runs as a configured deployment does: with a personal-data key.

Outside the demo company the platform refuses to ingest without ``SOP_PII_KEY``;
the tests of that refusal remove it themselves (``monkeypatch.delenv``).
"""

import os


def pytest_configure(config):
    os.environ.setdefault("SOP_PII_KEY", "sop-test-suite-key")
