"""The secret key that hashes personal data (customer names) at ingest.

``SOP_PII_KEY`` is read from the environment when a run needs it (never at
import). The demo company's names are invented, so its home may run with the
built-in demo key; a company's own home may not: without its own key, names
could be recovered by hashing guesses.
"""

from __future__ import annotations

import os
from pathlib import Path

from demo_company.manifest import MANIFEST_NAME
from ingestion.contracts import DEMO_PERSONAL_DATA_KEY

PII_KEY_ENV = "SOP_PII_KEY"


def is_demo_home(home: Path) -> bool:
    """Whether the home's landing folder is the demo company's (its manifest is there)."""
    return (Path(home) / "landing" / MANIFEST_NAME).is_file()


def missing_pii_key(home: Path) -> str | None:
    """Why this home may not build its warehouse yet, or None when it may."""
    if os.environ.get(PII_KEY_ENV) or is_demo_home(home):
        return None
    return (
        f"{PII_KEY_ENV} is not set. Customer names are hashed with this secret key; set one "
        f"for this home and keep it (e.g. `export {PII_KEY_ENV}=$(openssl rand -hex 32)`). "
        "Only the demo company runs without it."
    )


class MissingKeyError(RuntimeError):
    """A company's home asked to ingest personal data without ``SOP_PII_KEY``."""


def personal_data_key(home: Path | None) -> str:
    """``SOP_PII_KEY``, or the demo's key in the demo's home; else :class:`MissingKeyError`."""
    key = os.environ.get(PII_KEY_ENV)
    if key:
        return key
    if home is not None and is_demo_home(home):
        return DEMO_PERSONAL_DATA_KEY
    raise MissingKeyError(
        missing_pii_key(home) if home is not None else f"{PII_KEY_ENV} is not set"
    )
