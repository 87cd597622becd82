"""The secret key that hashes personal data (customer names) in dbt staging.

``SOP_PII_KEY`` reaches dbt through the environment (``env_var`` in the
``hash_personal_data`` macro). The demo company's names are invented, so its
home may run with the built-in demo key; a company's own home may not: without
its own key, names could be recovered by hashing guesses.
"""

from __future__ import annotations

import os
from pathlib import Path

from demo_company.manifest import MANIFEST_NAME

PII_KEY_ENV = "SOP_PII_KEY"


def is_demo_home(home: Path) -> bool:
    """Whether the home's landing folder is the demo company's (its manifest is there)."""
    return (Path(home) / "landing" / MANIFEST_NAME).is_file()


def missing_pii_key(home: Path) -> str | None:
    """Why this home may not build its warehouse yet, or None when it may."""
    if os.environ.get(PII_KEY_ENV) or is_demo_home(home):
        return None
    return (f"{PII_KEY_ENV} is not set. Customer names are hashed with this secret key; set one "
            f"for this home and keep it (e.g. `export {PII_KEY_ENV}=$(openssl rand -hex 32)`). "
            "Only the demo company runs without it.")
