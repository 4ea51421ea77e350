"""The root ``annotate`` group, its shared options, and the one place errors become ``click.ClickException``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..errors import AnnotateError, storage_error_from_os
from ..project import open_project
from ..store import Store


class AnnotateGroup(click.Group):
    """A click group that shows :class:`AnnotateError` as a one-line (plus hint) error and exit code 1."""

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
    project = open_project(project_dir(ctx))
    try:
        yield project.store()
    finally:
        project.close()
