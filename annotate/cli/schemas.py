"""``annotate schemas``: check or regenerate the JSON Schema files."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ConfigError
from ..schemas import stale_schemas, write_schemas


@click.command()
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default="schemas",
              show_default=True, help="Where the schema files live.")
@click.option("--write", is_flag=True, help="Regenerate the files instead of checking them.")
def schemas(directory: Path, write: bool) -> None:
    """Check that the JSON Schema files match the models, or regenerate them with --write.

    \b
    Example:
        annotate schemas            # exits 1 and names the stale files if a model changed
        annotate schemas --write    # regenerate schemas/
    """
    if write:
        for path in write_schemas(directory):
            click.echo(f"wrote {path}")
        return
    stale = stale_schemas(directory)
    if stale:
        raise ConfigError(f"{directory}: out of date: {', '.join(stale)}", hint="run `annotate schemas --write`")
    click.echo(f"{directory}: up to date")
