"""The root ``annotate`` group, its shared options, and the one place errors become ``click.ClickException``."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import __version__
from ..errors import AnnotateError, storage_error_from_os

if TYPE_CHECKING:
    from ..store import Store


class AnnotateGroup(click.Group):
    """A click group that shows :class:`AnnotateError` as a one-line (plus hint) error and exit code 1.

    Commands may be registered lazily (:meth:`add_lazy_command`): their module is imported only when the command
    is run or its help shown, so ``annotate dates extract`` starts without loading the store, the exporters and
    their libraries (sqlalchemy, datasets, pyarrow), which take longer to import than a megabyte takes to process.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lazy: dict[str, str] = {}

    def add_lazy_command(self, name: str, target: str) -> None:
        """Register command ``name`` as ``"package.module:attribute"``, imported on first use."""
        self._lazy[name] = target

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self._lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self._lazy:
            module, _, attribute = self._lazy[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AnnotateError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:  # the disk or the network under a command: one line, not a traceback
            raise click.ClickException(str(storage_error_from_os(exc))) from None


@click.group(cls=AnnotateGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="annotate")
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="ANNOTATE_PROJECT",
    default="annotate-project",
    show_default=True,
    help="Project directory (also ANNOTATE_PROJECT).",
)
@click.pass_context
def cli(ctx: click.Context, project_dir: Path) -> None:
    """Annotate Persian, Dari and Arabic news: entities, events, calendar-aware dates and date equivalences.

    \b
    Example:
        annotate init
        annotate import ../shared/seeds/manifest.jsonl
        annotate docs list
    """
    ctx.obj = {"project_dir": project_dir}


def project_dir(ctx: click.Context) -> Path:
    """The project directory chosen by ``--project`` / ``ANNOTATE_PROJECT``."""
    root = ctx.find_root()
    return Path(root.obj["project_dir"])


@contextmanager
def opened_store(ctx: click.Context) -> Iterator[Store]:
    """The store of the project chosen by ``--project``, closed again when the block ends."""
    from ..project import open_project  # here, not at the top: commands that need no store start without it

    project = open_project(project_dir(ctx))
    try:
        yield project.store()
    finally:
        project.close()
