"""Exceptions the loader raises: structural contract breaks and missing dependencies."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingestion.results import SourceLoadResult


class LoadError(Exception):
    """Base class for a source that could not be (fully) loaded."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(message)
        self.source = source
        self.message = message


class ContractViolation(LoadError):  # noqa: N818 (name fixed by the issue)
    """A landing file whose structure breaks its source contract.

    Raised after the source's other good files are loaded; the bad file loads
    nothing and is recorded in ``audit.load_ledger`` with status ``rejected``.
    ``files`` maps each rejected file name to its reason.
    """

    def __init__(self, source: str, files: dict[str, str]) -> None:
        lines = [f"{name}: {reason}" for name, reason in files.items()]
        message = f"source {source!r}: {len(files)} file(s) break the contract\n  " + "\n  ".join(
            lines
        )
        super().__init__(source, message)
        self.files = dict(files)
        self.result: SourceLoadResult | None = None  # the good files' result, set by the loader


class MissingDependencyError(LoadError):
    """A source whose referenced sources have no raw table yet (load order broken)."""
