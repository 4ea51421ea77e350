"""The layout of an export directory: its configs and where their files go (no dataset library needed).

:mod:`annotate.release.export` writes this layout; the command line and the app read these names without
importing ``datasets`` and ``pyarrow``.
"""

from __future__ import annotations

from pathlib import Path

RELEASE_JSON = "release.json"
"""The export's provenance file: the release it was made from and the list of every file written."""
DEFAULT_CONFIG = "documents"
CONFIGS = ("documents", "dates", "date_pairs", "entities")
"""Configs every export has."""
OPTIONAL_CONFIGS = ("annotations", "suggestions")
"""Configs written on request: every annotator's set, and the engine's pre-annotations."""


def data_file(config: str, split: str) -> str:
    """Relative path of one config's split file."""
    return f"{config}/{split}-00000-of-00001.parquet"


def is_export_dir(path: str | Path) -> bool:
    """Whether ``path`` looks like a directory written by :func:`annotate.release.export.export_release`."""
    p = Path(path)
    return (p / RELEASE_JSON).is_file() and (p / DEFAULT_CONFIG).is_dir()


def default_export_dir(project_dir: str | Path, version: str, name: str = "annotate-gold") -> Path:
    """``<project>/exports/<name>/<version>``."""
    return Path(project_dir) / "exports" / name / version
