"""``annotate demo``: the default project with the demo corpus, pre-labelled."""

from __future__ import annotations

import click

from ..demo import setup_demo
from ..project import default_actor
from .base import project_dir


@click.command("demo")
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Create the project (default ./annotate-project) with the demo corpus imported and pre-labelled.

    Safe to run again: documents already there are left alone and the date engine's set is only
    updated where its output changed.

    \b
    Example:
        annotate demo
        annotate --project /tmp/try-annotate demo
    """
    path = project_dir(ctx)
    setup = setup_demo(path, actor=default_actor())
    try:
        click.echo(setup.imported.describe())
        by_doc = {r.doc_id: r for r in setup.prelabelled}
        for d in setup.project.store().list_documents():
            r = by_doc.get(d.id)
            dates = f"{r.dates} date(s), {r.links} link(s)" if r else "-"
            if r and r.inconsistent_links:
                dates += f" ({r.inconsistent_links} inconsistent)"
            click.echo(f"{d.id}\t{d.lang}\t{dates}\t{d.title or ''}")
        click.echo(f"Project ready at {path}")
    finally:
        setup.project.close()
