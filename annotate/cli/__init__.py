"""The ``annotate`` command line: parse arguments, call an ``annotate`` function, print the result.

Every command lives in a module of this package named for its group and is registered below. Errors derived from
:class:`annotate.errors.AnnotateError` are turned into ``click.ClickException`` here, once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..errors import AnnotateError


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


# Command registration: one line per module.
from . import dates as _dates  # noqa: E402
from . import schemas as _schemas  # noqa: E402

cli.add_command(_dates.dates)
cli.add_command(_schemas.schemas)
from . import project as _project  # noqa: E402

cli.add_command(_project.init)
from . import importing as _importing  # noqa: E402

cli.add_command(_importing.import_)
from . import docs as _docs  # noqa: E402

cli.add_command(_docs.docs)
from . import dump as _dump  # noqa: E402

cli.add_command(_dump.dump)
cli.add_command(_dump.restore)
from . import prelabel as _prelabel  # noqa: E402
from . import demo as _demo  # noqa: E402

cli.add_command(_prelabel.prelabel_cmd)
cli.add_command(_demo.demo)
