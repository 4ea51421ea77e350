"""The root ``annotate`` group: its table of commands, its shared options, the project every command works on, and
the one place errors become ``click.ClickException``.

The root imports no command module: ``annotate --help`` lists the commands from :data:`COMMANDS`, and a command's
module (with the libraries it needs: the date engine, SQLAlchemy, datasets, ...) is imported only when that command
runs. A test checks that each summary below is the command's own short help.
"""

from __future__ import annotations

import functools
import importlib
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

import click

from .. import __version__
from ..errors import AnnotateError, storage_error_from_os

if TYPE_CHECKING:
    from ..project import Project

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives (``module``, ``attr``) and the first sentence of its help, for ``annotate --help``."""

    module: str
    attr: str
    summary: str

    def load(self) -> click.Command:
        """Import the command's module and return the command."""
        command = getattr(importlib.import_module(self.module, __package__), self.attr)
        assert isinstance(command, click.Command)
        return command


COMMANDS: dict[str, LazyCommand] = {
    "adjudicate": LazyCommand(".curation", "adjudicate",
                              "Adjudicate a document into its gold set (item by item in the app's Adjudicate page)."),
    "agreement": LazyCommand(".curation", "agreement", "Inter-annotator agreement: per layer, label, annotator pair "
                             "and language; lowest documents first."),
    "assign": LazyCommand(".curation", "assign", "Assign documents (all when no id is given) to annotators: k each, "
                          "plus an overlap share with k+1."),
    "comments": LazyCommand(".review", "comments",
                            "Notes on marks and documents, flags for curators, return notes."),
    "dates": LazyCommand(".dates", "dates",
                         "Find and normalise dates (Gregorian, Solar Hijri, Lunar Hijri) in fa, prs and ar text."),
    "demo": LazyCommand(".demo", "demo", "Create the project (default ./annotate-project) with the demo corpus "
                        "imported and pre-labelled, then open it."),
    "docs": LazyCommand(".docs", "docs", "List and show the project's documents."),
    "dump": LazyCommand(".dump", "dump", "Write a lossless JSON Lines dump of the whole store."),
    "eval": LazyCommand(".releases", "eval_cmd", "Score predictions: entities, events, dates (TempEval-3) and links, "
                        "per language and calendar."),
    "export": LazyCommand(".releases", "export", "Write a release as a Hugging Face dataset directory (Parquet, card, "
                          "taxonomy, lm-eval task)."),
    "gold": LazyCommand(".curation", "gold", "Manage gold sets."),
    "import": LazyCommand(".importing", "import_", "Import documents from .txt files, .jsonl files, manifests and "
                          "directories, or an exported dataset."),
    "init": LazyCommand(".project", "init",
                        "Create the project directory (--project, default ./annotate-project) and its database."),
    "ls": LazyCommand(".labelstudio", "ls", "Label Studio: push documents and pre-annotations, pull annotations back."),
    "prelabel": LazyCommand(".prelabel", "prelabel_cmd",
                            "Run the date engine over stored documents (all when no id is given)."),
    "publish": LazyCommand(".releases", "publish",
                           "Push an export to the Hugging Face Hub and tag it vVERSION (token from HF_TOKEN)."),
    "release": LazyCommand(".releases", "release", "Immutable, hashed versions of the gold data."),
    "restore": LazyCommand(".dump", "restore",
                           "Load a dump made by `annotate dump` into an empty project (all or nothing)."),
    "return": LazyCommand(".review", "return_cmd", "Return an annotator's submitted set with a note: a new revision "
                          "in progress, the note shown to them."),
    "schemas": LazyCommand(".schemas", "schemas",
                           "Check that the JSON Schema files match the models, or regenerate them with --write."),
    "serve": LazyCommand(".serve", "serve",
                         "Start the annotation app (Streamlit) on the project and open it in a browser."),
    "suggest": LazyCommand(".suggest", "suggest",
                           "Entity and event suggestions learnt from the project's own annotations."),
    "users": LazyCommand(".users", "users", "Manage the accounts that sign in to the app."),
}
"""Every top-level command: its module and attribute, and its summary (the first sentence of its help)."""


class AnnotateGroup(click.Group):
    """The root group: commands imported on first use (:data:`COMMANDS`), and :class:`AnnotateError` shown as a
    one-line (plus hint) error with exit code 1."""

    def __init__(self, *args: Any, lazy_commands: Mapping[str, LazyCommand], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            self.add_command(self.lazy_commands[cmd_name].load(), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = []
        for name in names:
            lazy = self.lazy_commands.get(name)
            if lazy is not None and name not in self.commands:
                summary = lazy.summary
                rows.append((name, summary if len(summary) <= limit else
                             textwrap.shorten(summary, limit, placeholder="...", break_on_hyphens=False)))
            else:
                command = self.get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AnnotateError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:  # the disk or the network under a command: one line, not a traceback
            raise click.ClickException(str(storage_error_from_os(exc))) from None


@click.group(cls=AnnotateGroup, lazy_commands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
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
        from ..project import open_project

        with open_project(project_dir(click.get_current_context())) as project:
            return command(project, *args, **kwargs)

    return functools.update_wrapper(run, command)
