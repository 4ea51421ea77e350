"""``annotate import``: load .txt, .jsonl, manifests and directories into the project."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..corpus.importer import import_paths, parse_reference_date
from ..project import default_actor, open_project
from .base import project_dir


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--lang", default=None, help="Language of every document (fa, prs, ar, ...); skips detection.")
@click.option(
    "--reference-date",
    metavar="YYYY-MM-DD",
    default=None,
    help="Reference date (creation time) of every document, for year-less and relative dates.",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Replace documents whose text changed under the same id (the old text is kept as history and "
    "annotations made on it are flagged stale).",
)
@click.pass_context
def import_(
    ctx: click.Context, paths: tuple[Path, ...], lang: str | None, reference_date: str | None, replace: bool
) -> None:
    """Import documents from .txt files, .jsonl files, manifests and directories.

    Prints each document's language decision (given, --lang or detected, with the reason) and outcome, then a
    summary. Re-importing the same text changes nothing. Exits with status 1 when any input was refused or
    invalid; the valid documents are imported all the same.

    \b
    Example:
        annotate import ../shared/seeds/manifest.jsonl
        annotate import corpus/ --lang prs --reference-date 2024-01-27
        annotate import fixed.jsonl --replace
    """
    ref = parse_reference_date(reference_date) if reference_date is not None else None
    project = open_project(project_dir(ctx))
    try:
        summary = import_paths(
            project.store(),
            paths,
            actor=default_actor(),
            lang=lang,
            reference_date=ref,
            replace=replace,
            progress=sys.stderr.isatty(),
            progress_file=sys.stderr,
        )
    finally:
        project.close()
    for r in summary.results:
        line = f"{r.outcome:<9} {r.doc_id}  {r.language.describe()}  {r.source}"
        if r.reason:
            line += f"\n          {r.reason}"
        if r.stale_sets:
            line += f"\n          {r.stale_sets} annotation set(s) made on the old text are now flagged stale"
        click.echo(line)
    for p in summary.problems:
        click.echo(f"error     {p}", err=True)
    click.echo(summary.describe())
    if not summary.ok:
        ctx.exit(1)
