"""``annotate demo``: the default project with the demo corpus, pre-labelled, demo accounts, then the app."""

from __future__ import annotations

import click

from ..demo import DEMO_PASSWORD, setup_demo
from ..project import default_actor
from .base import project_dir
from .serve import serve_options, start_app


@click.command("demo")
@click.option("--no-serve", is_flag=True, help="Only set the project up; do not start the app.")
@serve_options
@click.pass_context
def demo(ctx: click.Context, no_serve: bool, port: int, address: str, no_browser: bool) -> None:
    """Create the project (default ./annotate-project) with the demo corpus imported and pre-labelled, then open it.

    Safe to run again: documents already there are left alone and the date engine's set is only
    updated where its output changed. A project without users gets demo accounts (admin, curator,
    sara, omid; password "annotate-demo"), for trying the app locally only. Then the app starts as with
    `annotate serve` (Ctrl-C stops it); --no-serve skips that.

    \b
    Example:
        annotate demo
        annotate --project /tmp/try-annotate demo --no-serve
    """
    path = project_dir(ctx)
    setup = setup_demo(path, actor=default_actor())
    with setup.project:
        click.echo(setup.imported.describe())
        by_doc = {r.doc_id: r for r in setup.prelabelled}
        for d in setup.project.store().documents.list():
            r = by_doc.get(d.id)
            dates = f"{r.dates} date(s), {r.links} link(s)" if r else "-"
            if r and r.inconsistent_links:
                dates += f" ({r.inconsistent_links} inconsistent)"
            click.echo(f"{d.id}\t{d.lang}\t{dates}\t{d.title or ''}")
        click.echo(f"Project ready at {path}")
        if setup.users_created:
            accounts = ", ".join(f"{name} ({role.value})" for name, role in setup.users_created)
            click.echo(f"Demo accounts, all with password {DEMO_PASSWORD!r}: {accounts}")
            click.secho(
                "WARNING: these accounts and their password are for trying the app on this machine only; "
                "do not expose this project on a network.",
                fg="yellow",
                err=True,
            )
    if not no_serve:
        start_app(path, port=port, address=address, no_browser=no_browser)
