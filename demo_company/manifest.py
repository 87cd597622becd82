"""The demo's manifest: which landing files the demo wrote, so it never overwrites anyone else's.

``landing/.demo_company`` lists every file the generator wrote with its
sha256. Before writing, the generator checks the landing folder: a file that
is not in the manifest, or whose content changed since the demo wrote it,
belongs to someone else (a company's own extract), and generation stops with
:class:`ForeignLandingFilesError` naming it, the folder left byte-identical.
Regenerating the demo into its own landing folder is fine: the files of the
previous generation that the new one does not write again (last month's daily
files, now one monthly file) are removed, so no row is delivered twice.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

MANIFEST_NAME = ".demo_company"


class ForeignLandingFilesError(RuntimeError):
    """The landing folder holds files the demo did not write: it refuses to write there."""

    def __init__(self, landing_dir: Path, files: list[str]):
        self.landing_dir, self.files = landing_dir, files
        shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        super().__init__(
            f"the demo company will not write into {landing_dir}: it holds file(s) the demo did "
            f"not write ({shown}); use an empty folder (or another SOP_HOME) for the demo"
        )


def sha256_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_manifest(landing_dir: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of the files the demo wrote there (empty when none)."""
    path = Path(landing_dir) / MANIFEST_NAME
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8"))["files"])


def write_manifest(landing_dir: Path, files: dict[str, str]) -> None:
    """Write the manifest, sorted and without timestamps (same generation, same bytes)."""
    text = json.dumps(
        {"written_by": "demo_company", "files": dict(sorted(files.items()))},
        indent=1,
        ensure_ascii=False,
    )
    (Path(landing_dir) / MANIFEST_NAME).write_text(text + "\n", encoding="utf-8")


def _files_on_disk(landing_dir: Path) -> dict[str, Path]:
    return {
        p.relative_to(landing_dir).as_posix(): p
        for p in sorted(landing_dir.rglob("*"))
        if p.is_file() and p.name != MANIFEST_NAME
    }


def claim_landing(landing_dir: Path) -> dict[str, str]:
    """Check that every file under ``landing_dir`` is the demo's, unchanged; return the manifest.

    Raises :class:`ForeignLandingFilesError` otherwise, before anything is written.
    """
    landing_dir = Path(landing_dir)
    if not landing_dir.exists():
        return {}
    manifest = read_manifest(landing_dir)
    foreign = [
        name
        for name, path in _files_on_disk(landing_dir).items()
        if manifest.get(name) != sha256_bytes(path.read_bytes())
    ]
    if foreign:
        raise ForeignLandingFilesError(landing_dir, foreign)
    return manifest


def remove_stale(landing_dir: Path, previous: dict[str, str], written: dict[str, str]) -> list[str]:
    """Remove the previous generation's files this one did not write again; return their names."""
    stale = sorted(set(previous) - set(written))
    for name in stale:
        (Path(landing_dir) / name).unlink(missing_ok=True)
    return stale
