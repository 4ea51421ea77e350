"""``annotate prelabel``: store the date engine's suggestions as a pre-annotation set."""

from __future__ import annotations

import click

from ..annotation.prelabel import ENGINE_AUTHOR, prelabel
from ..project import Project, default_actor
from .base import pass_project


@click.command("prelabel")
@click.argument("doc_ids", nargs=-1, metavar="[DOC_ID]...")
@pass_project
def prelabel_cmd(project: Project, doc_ids: tuple[str, ...]) -> None:
    """Run the date engine over stored documents (all when no id is given).

    The result is saved as the annotation set of author `dates-engine`, never mixed into a human's set;
    running again replaces only that set, and only where the engine's output changed.

    \b
    Example:
        annotate prelabel
        annotate prelabel doc-caf881ae1f897771
    """
    changed = 0
    for r in prelabel(project.store(), list(doc_ids) or None, actor=default_actor()):
        changed += r.changed
        flag = f", {r.inconsistent_links} INCONSISTENT" if r.inconsistent_links else ""
        state = f"revision {r.revision}" if r.changed else f"unchanged (revision {r.revision})"
        click.echo(f"{r.doc_id}\t{r.dates} date(s), {r.links} link(s){flag}\t{state}")
    click.echo(f"{changed} document(s) updated in the {ENGINE_AUTHOR} set", err=True)
