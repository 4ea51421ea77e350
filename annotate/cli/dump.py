"""``annotate dump`` and ``annotate restore``: the whole store as JSON Lines, and back."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..paths import check_readable_file, open_private
from ..project import Project
from ..store.dump import dump as dump_store
from ..store.dump import restore as restore_store
from .base import pass_project


@click.command("dump")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@pass_project
def dump(project: Project, output: Path | None) -> None:
    """Write a lossless JSON Lines dump of the whole store.

    Documents with their earlier texts, every annotation set with all its revisions, conflicts, users and the
    audit log, in a fixed order: the same store always gives the same bytes. The file holds the users' password
    hashes, so -o creates it readable by you only (mode 0600).

    \b
    Example:
        annotate dump -o backup.jsonl
        annotate dump | gzip > backup.jsonl.gz
    """
    if output is None:
        n = dump_store(project.store(), sys.stdout)
    else:
        tmp = output.with_name(output.name + ".partial")
        try:
            with open_private(tmp) as fh:  # a dump holds password hashes: owner only (0600)
                n = dump_store(project.store(), fh)
            tmp.replace(output)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    click.echo(f"dumped {n} records" + (f" to {output}" if output else ""), err=True)


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path))
@pass_project
def restore(project: Project, file: Path) -> None:
    """Load a dump made by `annotate dump` into an empty project (all or nothing).

    \b
    Example:
        annotate --project restored init
        annotate --project restored restore backup.jsonl
    """
    check_readable_file(file, what="dump")
    with file.open("rb") as fh:
        counts = restore_store(project.store(), fh, name=str(file))
    click.echo("restored " + ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())))
