"""``annotate serve``: start the Streamlit app on the project."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..demo import DEMO_PASSWORD, demo_accounts_left
from ..project import open_project
from ..serve import DEFAULT_ADDRESS, DEFAULT_PORT, build_serve_command, run_serve
from .base import project_dir

F = TypeVar("F", bound=Callable[..., Any])
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def serve_options(fn: F) -> F:
    """The options ``serve`` and ``demo`` share: --port, --address, --no-browser."""
    fn = click.option(
        "--no-browser", is_flag=True, help="Do not open a browser tab (e.g. on a server)."
    )(fn)
    fn = click.option(
        "--address",
        default=DEFAULT_ADDRESS,
        show_default=True,
        help="Interface to listen on; 0.0.0.0 makes the app reachable from other machines.",
    )(fn)
    fn = click.option(
        "--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True, help="Port to listen on."
    )(fn)
    return fn


def start_app(path: Path, *, port: int, address: str, no_browser: bool) -> None:
    """Print where the app will be and run it in the foreground until Ctrl-C."""
    command = build_serve_command(path, port=port, address=address, open_browser=not no_browser)
    if address not in LOOPBACK:
        with open_project(path) as project:
            left = demo_accounts_left(project.store())
        if left:
            click.secho(
                f"WARNING: serving on {address}, reachable from other machines, while the demo accounts "
                f"{', '.join(left)} still have the password {DEMO_PASSWORD!r}.",
                fg="red",
                err=True,
            )
    click.echo(f"Starting the app on {command.url} (project {command.cwd}); stop it with Ctrl-C.")
    code = run_serve(command)
    if code not in (0, -2, 130):
        raise click.ClickException(f"the app stopped with exit status {code}")


@click.command("serve")
@click.option(
    "--project",
    "project",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project directory (same as the global --project, which it overrides).",
)
@serve_options
@click.pass_context
def serve(ctx: click.Context, project: Path | None, port: int, address: str, no_browser: bool) -> None:
    """Start the annotation app (Streamlit) on the project and open it in a browser.

    Sign in with an account made by `annotate users add`, or through the identity provider when the
    project's .streamlit/secrets.toml has an [auth] table (st.login, OIDC).

    \b
    Example:
        annotate serve
        annotate serve --project /data/news --port 8600 --address 0.0.0.0 --no-browser
    """
    start_app(project or project_dir(ctx), port=port, address=address, no_browser=no_browser)
