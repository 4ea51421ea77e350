"""``annotate init``: create a project directory and its database."""

from __future__ import annotations

import click

from ..project import init_project, is_initialised
from ..redact import redact_url
from .base import project_dir


@click.command("init")
@click.option(
    "--database-url",
    metavar="URL",
    default=None,
    help="SQLAlchemy URL of the database (default: SQLite file annotate.db in the project directory), "
    "e.g. postgresql+psycopg://user@host/dbname. ANNOTATE_DATABASE_URL overrides it at run time.",
)
@click.option("--title", default=None, help="Project title (default: the directory name).")
@click.pass_context
def init(ctx: click.Context, database_url: str | None, title: str | None) -> None:
    """Create the project directory (--project, default ./annotate-project) and its database.

    Running it again on an existing project changes nothing.

    \b
    Example:
        annotate init
        annotate --project news-2024 init --database-url postgresql+psycopg://me@localhost/news
    """
    path = project_dir(ctx)
    existed = is_initialised(path)
    with init_project(path, database_url, title=title) as project:
        what = "already initialised" if existed else "initialised"
        click.echo(f"Project {project.title!r} {what} at {path} (database: {redact_url(project.database_url)})")
