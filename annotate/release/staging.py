"""Directories written under a temporary name and renamed into place (releases, exports).

A staging directory is named ``.NAME.partial-PID-XXXXXXXX`` after the process writing it, so that the next run
can tell the leftovers of a killed run (their process is gone) from the work of one still running, and remove
only the former. The same holds for ``.NAME.old-PID`` directories, the previous export moved aside while the
new one is renamed in.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

_LEFTOVER_RE = re.compile(r"^\..+\.(?:partial|old)-(?:(\d+)(?:-.*)?|[^-]*)$")
"""``.NAME.partial-PID-RANDOM``, ``.NAME.old-PID`` and the PID-less ``.NAME.partial-RANDOM`` of older versions."""


def staging_dir(parent: Path, name: str) -> Path:
    """A new, empty directory in ``parent`` to write ``name`` into before it is renamed into place."""
    return Path(tempfile.mkdtemp(prefix=f".{name}.partial-{os.getpid()}-", dir=parent))


def moved_aside(target: Path) -> Path:
    """Where the previous ``target`` goes while its replacement is renamed in."""
    return target.with_name(f".{target.name}.old-{os.getpid()}")


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, someone else's
    return True


def remove_leftovers(parent: Path) -> list[Path]:
    """Remove the staging and moved-aside directories in ``parent`` whose process no longer runs; return them."""
    if not parent.is_dir():
        return []
    removed = []
    for p in sorted(parent.iterdir()):
        m = _LEFTOVER_RE.match(p.name)
        if m is None or not p.is_dir() or p.is_symlink():
            continue
        if m.group(1) is not None and _running(int(m.group(1))):
            continue
        remove_tree(p)
        removed.append(p)
    return removed


def remove_tree(path: Path, *, best_effort: bool = False) -> None:
    """Delete a directory tree, read-only parts included (a release is made read-only before its rename).

    ``best_effort``: for a staging or moved-aside tree (after a failure, or once its replacement is in place):
    what cannot be deleted now stays behind, named as a leftover, for the next run's :func:`remove_leftovers`,
    instead of hiding the error being reported or failing a run that succeeded.
    """
    if not path.exists():
        return
    for p in [path, *path.rglob("*")]:
        if p.is_dir() and not p.is_symlink():
            os.chmod(p, 0o755)
    shutil.rmtree(path, ignore_errors=best_effort)
