"""The root ``annotate`` group, its shared options, the project every command works on, and the one place errors
become ``click.ClickException``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import click

from .. import __version__
from ..errors import AnnotateError
from ..project import Project, open_project

P = ParamSpec("P")
R = TypeVar("R")


class AnnotateGroup(click.Group):
    """A click group that shows :class:`AnnotateError` as a one-line (plus hint) error and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AnnotateError as exc:
            raise click.ClickException(str(exc)) from None


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


def pass_project(command: Callable[Concatenate[Project, P], R]) -> Callable[P, R]:
    """Decorator: call ``command`` with the open project of ``--project`` first, and close it afterwards.

    Example::

        @click.command()
        @pass_project
        def count(project: Project) -> None:
            click.echo(project.store().documents.count())
    """

    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with open_project(project_dir(click.get_current_context())) as project:
            return command(project, *args, **kwargs)

    return functools.update_wrapper(run, command)
