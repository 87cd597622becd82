"""The whole suite runs as a configured deployment does: with a personal-data key and a
prepared dbt project.

Outside the demo company the platform refuses to ingest without ``SOP_PII_KEY``;
the tests of that refusal remove it themselves (``monkeypatch.delenv``). The dbt manifest
the definitions load is prepared once per session, by the process that starts it (the
xdist controller, before any worker imports the definitions), as the CLI does per command.
"""

import os


def pytest_configure(config):
    os.environ.setdefault("SOP_PII_KEY", "sop-test-suite-key")
    if not hasattr(config, "workerinput"):
        from orchestration.dbt_manifest import prepare_manifest

        prepare_manifest()
