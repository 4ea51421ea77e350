"""``annotate import``: load .txt, .jsonl, manifests and directories into the project."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..corpus.importer import import_paths, parse_reference_date
from ..errors import InputError
from ..project import TAXONOMY_FILE, Project, default_actor
from ..release.layout import is_export_dir
from .base import pass_project

if TYPE_CHECKING:
    from ..release.importing import ExportImport


def import_export_dir(project: Project, path: Path, *, actor: str) -> ExportImport:
    """Check the export, give the project its taxonomy when it has none of its own, then store the gold."""
    from ..release.importing import apply_import, plan_import

    own = project.path / TAXONOMY_FILE
    plan = plan_import(project.store(), path, own_taxonomy=project.taxonomy() if own.is_file() else None)
    if plan.write_taxonomy:
        own.write_text(json.dumps(plan.taxonomy.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n",
                       encoding="utf-8")
        project.reload()  # the store validates the gold against the taxonomy it was opened with
    return apply_import(project.store(), plan, actor=actor)


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
@pass_project
def import_(
    project: Project, paths: tuple[Path, ...], lang: str | None, reference_date: str | None, replace: bool
) -> None:
    """Import documents from .txt files, .jsonl files, manifests and directories, or an exported dataset.

    An export directory (written by `annotate export`) brings its documents and their gold back, byte-exact,
    with the export's taxonomy and splits (the next release keeps them); nothing is stored if any document
    conflicts with the project. Other inputs: prints each document's language decision (given, --lang or
    detected, with the reason) and outcome, then a
    summary. Re-importing the same text changes nothing. Exits with status 1 when any input was refused or
    invalid; the valid documents are imported all the same.

    \b
    Example:
        annotate import ../shared/seeds/manifest.jsonl
        annotate import corpus/ --lang prs --reference-date 2024-01-27
        annotate import fixed.jsonl --replace
        annotate --project copy import exports/annotate-gold/1.0.0
    """
    exports = [p for p in paths if is_export_dir(p)]
    if exports:
        given = [n for n, v in (("--lang", lang), ("--reference-date", reference_date), ("--replace", replace)) if v]
        if given:
            raise InputError(f"{', '.join(given)} does not apply to an export directory", where=str(exports[0]))
        for path in exports:
            click.echo(import_export_dir(project, path, actor=default_actor()).describe())
        paths = tuple(p for p in paths if p not in exports)
        if not paths:
            return
    ref = parse_reference_date(reference_date) if reference_date is not None else None
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
    if summary.stopped is not None:
        raise summary.stopped.error
    if not summary.ok:
        click.get_current_context().exit(1)
