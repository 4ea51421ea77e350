"""Every error ``annotate`` raises on purpose, under one root.

::

    AnnotateError                 anything the user can fix; the message says how
    ├── InputError                a file, line, JSON field, form value or payload is malformed
    ├── InvalidAnnotation         an annotation breaks the model's invariants (offsets, types, refs)
    ├── InvalidDate               a calendar date that does not exist (30 Esfand in a common year, ...)
    ├── NotFound                  a document, annotation set, revision or release that is not there
    ├── ConflictError             a save based on a stale revision (the refused content is kept)
    ├── ConfigError               project directory, database URL or taxonomy problems
    ├── AuthError                 unknown user, wrong password, missing role
    ├── LabelStudioError          the Label Studio server refused or could not be reached
    ├── ExportError               a release or export cannot be written or verified
    └── StorageError              the disk or the database failed under us (full disk, lost connection)

Each edge translates them once: the CLI into ``click.ClickException``, the app through one helper.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pydantic


class AnnotateError(Exception):
    """Root of every error the user can act on; ``str(err)`` is the full, user-facing message."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message if hint is None else f"{message}\n  hint: {hint}")


class InputError(AnnotateError):
    """Malformed input; ``where`` names the file, line, field or payload it came from."""

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None) -> None:
        self.where = where
        super().__init__(f"{where}: {message}" if where else message, hint=hint)


class InvalidAnnotation(AnnotateError):
    """An annotation set that breaks an invariant; ``problems`` lists each one as ``field: message``."""

    def __init__(self, problems: Sequence[str], *, where: str | None = None) -> None:
        self.problems = list(problems)
        self.where = where
        head = f"{where}: " if where else ""
        if len(self.problems) == 1:
            msg = f"{head}invalid annotation: {self.problems[0]}"
        else:
            msg = f"{head}invalid annotation ({len(self.problems)} problems):\n" + "\n".join(
                f"  - {p}" for p in self.problems
            )
        super().__init__(msg)


class InvalidDate(AnnotateError):
    """A date that does not exist in its calendar."""


class NotFound(AnnotateError):
    """Something looked up by id is not there."""


class ConflictError(AnnotateError):
    """A save based on a revision that is no longer the latest.

    ``conflict_id`` identifies the refused content, which the store keeps so that nothing is lost.
    """

    def __init__(self, message: str, *, conflict_id: int, current_revision: int) -> None:
        self.conflict_id = conflict_id
        self.current_revision = current_revision
        super().__init__(
            message,
            hint=f"reload revision {current_revision}, merge your changes and save again; "
            f"your refused version is kept as conflict #{conflict_id}",
        )


class ConfigError(AnnotateError):
    """The project, its database or its taxonomy cannot be used as configured."""


class AuthError(AnnotateError):
    """Authentication or authorisation failed."""


class LabelStudioError(AnnotateError):
    """Label Studio could not be reached or refused a request (never carries the API key)."""


class ExportError(AnnotateError):
    """A release or dataset export failed or did not verify."""


class StorageError(AnnotateError):
    """The file system or the database failed while reading or writing (not the user's input)."""


_DISK_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


def storage_error_from_os(exc: OSError) -> StorageError:
    """An operating-system failure (full disk, no permission, ...) as one line naming the file, with a hint."""
    where = f"{exc.filename}: " if exc.filename else ""
    reason = exc.strerror or str(exc)
    if exc.errno in _DISK_FULL:
        hint = "free disk space (or raise the file size limit), then run the command again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "check the file's permissions and that its file system is writable"
    else:
        hint = None
    return StorageError(f"{where}{reason}", hint=hint)


def pydantic_problems(exc: pydantic.ValidationError, prefix: str = "") -> list[str]:
    """Render a pydantic ``ValidationError`` as ``field.path: message`` lines."""
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "__root__")
        path = ".".join(x for x in (prefix, loc) if x)
        msg = err.get("msg", "invalid")
        out.append(f"{path}: {msg}" if path else msg)
    return out


@contextmanager
def pydantic_input(where: str, *, what: str = "", hint: str | None = None) -> Iterator[None]:
    """Turn a pydantic ``ValidationError`` raised in the block into an :class:`InputError` naming ``where``: its
    problems, after ``what`` the input is not when given, with ``hint``."""
    import pydantic

    try:
        yield
    except pydantic.ValidationError as exc:
        problems = "; ".join(pydantic_problems(exc))
        raise InputError(f"{what}: {problems}" if what else problems, where=where, hint=hint) from None
