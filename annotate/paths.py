"""Paths handed over by people, and files that hold secrets.

Reading: a manifest may name only files inside its own folder (after resolving symlinks), a directory import
reads only files that stay inside the directory, and a file named on the command line may not be a symlink
leading out of its folder nor anything but a regular file (a FIFO or device would hang or never end). This is
what keeps a corpus someone else prepared from pulling the project's secrets, its database or any other file of
the machine into the store.

Writing: files that hold secrets or password hashes (the database, dumps) are created
readable by their owner only (0600), whatever the umask.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO

from .errors import InputError

PRIVATE_FILE_MODE = 0o600


def is_inside(root: Path, path: Path) -> bool:
    """Whether ``path`` (resolved, symlinks followed) lies inside ``root`` (resolved)."""
    return path.resolve().is_relative_to(root.resolve())


def contained_file(folder: Path, name: str, *, where: str, field: str = "file") -> Path:
    """The file ``name`` names relative to ``folder``, refused unless it stays inside ``folder``.

    Refused, each with :class:`InputError` naming ``where`` and ``field``: an absolute path, a ``..`` component,
    a hidden component (``.annotate-session-key``, ``.streamlit/``, ...), and a path that a symlink leads out of
    ``folder``. The file need not exist (the caller says so in its own words).
    """
    if "\x00" in name:
        raise InputError(f"field {field!r}: the file name contains a NUL character", where=where)
    posix, windows = PurePosixPath(name), PureWindowsPath(name)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or name.startswith(("\\", "~")):
        raise InputError(
            f"field {field!r}: {name!r} is an absolute path; a manifest may only name files in its own folder "
            f"({folder})", where=where, hint="give the path relative to the manifest, e.g. \"articles/a1.txt\"",
        )
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    if ".." in parts:
        raise InputError(
            f"field {field!r}: {name!r} goes up with '..'; a manifest may only name files in its own folder "
            f"({folder})", where=where, hint="move the file next to the manifest, or the manifest up",
        )
    hidden = next((p for p in parts if p.startswith(".")), None)
    if hidden is not None:
        raise InputError(
            f"field {field!r}: {name!r} names a hidden file or folder ({hidden!r}); hidden files are never imported",
            where=where,
        )
    target = folder / Path(*parts) if parts else folder
    if not is_inside(folder, target):
        raise InputError(
            f"field {field!r}: {name!r} is a symlink that leads out of the manifest's folder ({folder}) "
            f"to {target.resolve()}",
            where=where, hint="copy the file into the folder instead of linking to it",
        )
    return target


def check_readable_file(path: Path, *, what: str = "file") -> None:
    """Refuse a path named on the command line that is not a regular file or is a symlink out of its folder.

    :class:`InputError` naming ``path``; a missing file is reported as missing.
    """
    if path.is_symlink() and not is_inside(path.parent, path):
        raise InputError(
            f"the {what} is a symlink that leads out of its folder (to {path.resolve()}); refused",
            where=str(path), hint="name the file itself, not a link to it",
        )
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"no such {what}", where=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the {what}: {exc.strerror}", where=str(path)) from None
    if not stat.S_ISREG(mode):
        kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file (a device, FIFO or socket)"
        raise InputError(f"the {what} is {kind}", where=str(path))


def check_no_links_out(root: Path, *, what: str) -> None:
    """Refuse (:class:`InputError`) a directory someone handed over in which a symlink leads out of it."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in sorted(dirnames + filenames):
            p = Path(dirpath) / name
            if p.is_symlink() and not is_inside(root, p):
                raise InputError(f"{p} is a symlink that leads out of the {what} (to {p.resolve()}); refused",
                                 where=str(root), hint="copy the files in instead of linking to them")


def walk_files(root: Path) -> Iterator[tuple[Path, bool]]:
    """Every non-hidden file below ``root`` in sorted order, with whether it stays inside ``root``.

    Symlinked directories are not entered; a symlinked file is listed with ``False`` when it leads out of
    ``root`` (the caller reports it instead of reading it).
    """
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            f = Path(dirpath) / name
            yield f, f.resolve().is_relative_to(real_root)


def make_private(path: Path) -> None:
    """Make an existing file readable and writable by its owner only (0600); a no-op for files of others."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return  # nothing to tighten (SQLite makes -wal/-shm only while a connection is open)
    if stat.S_IMODE(info.st_mode) != PRIVATE_FILE_MODE and info.st_uid == os.geteuid():
        os.chmod(path, PRIVATE_FILE_MODE)


def create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist, else tighten it to 0600."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        make_private(path)
    else:
        os.close(fd)


@contextmanager
def open_private(path: Path) -> Iterator[IO[str]]:
    """Open ``path`` for writing UTF-8 text (truncated) with mode 0600, whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    os.fchmod(fd, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        yield fh
