"""Where the shared material is, and what a test does when it is missing.

The shared directory is ``$ANNOTATE_SHARED``, else ``../shared`` beside the checkout (where CI puts it). A test
that needs it skips on a developer's machine without it and fails under ``CI=true``: CI always has it, so a
missing corpus there is a broken set-up, not a reason to run fewer tests.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("ANNOTATE_SHARED") or Path(__file__).resolve().parents[2] / "shared")
SEEDS = SHARED / "seeds"


def require(path: Path, what: str) -> Path:
    """``path`` when it exists; otherwise skip (fail under ``CI=true``) naming ``what`` and where it was looked for."""
    if path.exists():
        return path
    message = f"{what} not found at {path} (set ANNOTATE_SHARED to the shared directory)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must have it")
    pytest.skip(message)
