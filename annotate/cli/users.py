"""``annotate users``: the project's accounts (the app's local sign-in)."""

from __future__ import annotations

import sys

import click

from ..auth import Role, list_users
from ..project import Project, default_actor
from .base import pass_project


@click.group("users")
def users() -> None:
    """Manage the accounts that sign in to the app.

    \b
    Example:
        annotate users add sara --role annotator
        annotate users list
        annotate users passwd sara
        annotate users disable sara
    """


def _read_password(password_stdin: bool) -> str:
    """The new password: the first line of standard input, or asked twice, hidden."""
    if password_stdin:
        return sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True, help="What the user may do.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (for scripts) instead of prompting.",
)
@pass_project
def add(project: Project, name: str, role: str, password_stdin: bool) -> None:
    """Create an account NAME with a role; the password is asked for twice, hidden (at least 8 characters).

    With OIDC sign-in, NAME is the e-mail address the identity provider reports.

    \b
    Example:
        annotate users add sara --role annotator
        printf '%s\\n' "$PASSWORD" | annotate users add omid --role annotator --password-stdin
        annotate users add lead@example.org --role admin
    """
    password = _read_password(password_stdin)
    user = project.store().users.add(name, role, password, actor=default_actor())
    click.echo(f"added {user.name} ({user.role.value})")


@users.command("list")
@pass_project
def list_(project: Project) -> None:
    """List the accounts: name, role, when each was created, and "disabled" for those locked out.

    \b
    Example:
        annotate users list
    """
    for user in list_users(project.store()):
        state = "\tdisabled" if user.disabled else ""
        click.echo(f"{user.name}\t{user.role.value}\t{user.created_at.isoformat(timespec='seconds')}{state}")


_STDIN_HELP = "Read the new password from the first line of standard input (for scripts) instead of prompting."


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help=_STDIN_HELP)
@pass_project
def passwd(project: Project, name: str, password_stdin: bool) -> None:
    """Give NAME a new password (at least 8 characters); every session of NAME ends at its next interaction.

    \b
    Example:
        annotate users passwd sara
        printf '%s\\n' "$PASSWORD" | annotate users passwd sara --password-stdin
    """
    password = _read_password(password_stdin)
    ended = project.store().users.set_password(name, password, actor=default_actor())
    click.echo(f"changed the password of {name}; {ended} session(s) ended")


@users.command("disable")
@click.argument("name")
@pass_project
def disable(project: Project, name: str) -> None:
    """Lock NAME out: no sign-in, and every open session of NAME ends at its next interaction.

    Their annotations, assignments and history stay. `annotate users enable NAME` lets them in again.

    \b
    Example:
        annotate users disable sara
    """
    ended = project.store().users.disable(name, actor=default_actor())
    click.echo(f"disabled {name}; {ended} session(s) ended")


@users.command("enable")
@click.argument("name")
@pass_project
def enable(project: Project, name: str) -> None:
    """Let a disabled NAME sign in again.

    \b
    Example:
        annotate users enable sara
    """
    changed = project.store().users.enable(name, actor=default_actor())
    click.echo(f"enabled {name}" if changed else f"{name} was not disabled")
