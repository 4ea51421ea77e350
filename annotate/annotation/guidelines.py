"""The annotation guidelines: ``guidelines.md`` at the repository root, or the copy shipped in the package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import ConfigError

REPO_GUIDELINES = Path(__file__).resolve().parents[2] / "guidelines.md"
"""The file people edit (present in a checkout and an editable install)."""

PACKAGE_GUIDELINES = "data/guidelines.md"
"""The copy inside the package, for installs without the repository (a test keeps the two identical)."""


def guidelines_path() -> Path:
    """Where the guidelines are read from: the repository's file when present, else the package copy."""
    if REPO_GUIDELINES.is_file():
        return REPO_GUIDELINES
    return Path(str(resources.files("annotate").joinpath(PACKAGE_GUIDELINES)))


def guidelines_text() -> str:
    """The guidelines as Markdown; :class:`ConfigError` naming the file when it cannot be read."""
    path = guidelines_path()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the guidelines: {exc}", hint="reinstall annotate") from None


def guidelines_version() -> str:
    """The version string of the guidelines (the ``Guidelines version: X.Y.Z`` line), for dataset cards.

    :class:`ConfigError` naming the file when the line is missing.
    """
    import re

    found = re.search(r"^Guidelines version:\s*(\d+\.\d+\.\d+)\s*$", guidelines_text(), re.MULTILINE)
    if found is None:
        raise ConfigError(
            f"{guidelines_path()}: no 'Guidelines version: X.Y.Z' line",
            hint="add it under the title, and bump it (and the changelog) with every change",
        )
    return found.group(1)
