"""The ``annotate`` command line: parse arguments, call an ``annotate`` function, print the result.

Every command lives in a module of this package named for its group. The root group (:mod:`annotate.cli.base`)
lists them in :data:`~annotate.cli.base.COMMANDS` and imports a command's module only when it runs, so that
``annotate --help`` and ``annotate dates extract`` start fast; there :class:`annotate.errors.AnnotateError`
becomes a ``click.ClickException``, once.
"""

from __future__ import annotations

from .base import cli, project_dir

__all__ = ["cli", "project_dir"]
