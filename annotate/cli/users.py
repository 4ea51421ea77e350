"""``annotate users``: the project's accounts (the app's local sign-in)."""

from __future__ import annotations

import sys

import click

from ..auth import Role, list_users
from ..project import default_actor, open_project
from .base import project_dir


@click.group("users")
def users() -> None:
    """Manage the accounts that sign in to the app.

    \b
    Example:
        annotate users add sara --role annotator
        annotate users list
    """


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True, help="What the user may do.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (for scripts) instead of prompting.",
)
@click.pass_context
def add(ctx: click.Context, name: str, role: str, password_stdin: bool) -> None:
    """Create an account NAME with a role; the password is asked for twice, hidden (at least 8 characters).

    With OIDC sign-in, NAME is the e-mail address the identity provider reports.

    \b
    Example:
        annotate users add sara --role annotator
        printf '%s\\n' "$PASSWORD" | annotate users add omid --role annotator --password-stdin
        annotate users add lead@example.org --role admin
    """
    if password_stdin:
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    project = open_project(project_dir(ctx))
    try:
        user = project.store().users.add(name, role, password, actor=default_actor())
    finally:
        project.close()
    click.echo(f"added {user.name} ({user.role.value})")


@users.command("list")
@click.pass_context
def list_(ctx: click.Context) -> None:
    """List the accounts: name, role and when each was created.

    \b
    Example:
        annotate users list
    """
    project = open_project(project_dir(ctx))
    try:
        for user in list_users(project.store()):
            click.echo(f"{user.name}\t{user.role.value}\t{user.created_at.isoformat(timespec='seconds')}")
    finally:
        project.close()
