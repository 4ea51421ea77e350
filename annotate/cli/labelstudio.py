"""``annotate ls push|pull|status|start``: synchronise with Label Studio, and run a local one."""

from __future__ import annotations

import signal
from pathlib import Path

import click

from ..labelstudio import server as ls_server
from ..labelstudio.client import ENV_API_KEY, ENV_URL
from ..labelstudio.sync import pull_project, push_project, status
from ..project import Project, default_actor
from .base import pass_project

_URL_HELP = f"Label Studio URL (else ${ENV_URL}, else labelstudio.url in project.json)."
_KEY_HELP = f"API key (prefer ${ENV_API_KEY}: a flag shows up in the shell history)."


@click.group("ls")
def ls() -> None:
    """Label Studio: push documents and pre-annotations, pull annotations back.

    \b
    Example:
        annotate ls start                # a local server; prints the variables to export
        annotate ls push
        annotate ls pull
        annotate ls status
    """


@ls.command("push")
@click.option("--url", default=None, help=_URL_HELP)
@click.option("--api-key", default=None, help=_KEY_HELP)
@click.option("--project-title", default=None, help="Title of the Label Studio project (created or renamed).")
@click.option("--new-project", is_flag=True, help="Create a new Label Studio project even if one is linked.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@pass_project
def push_cmd(project: Project, url: str | None, api_key: str | None, project_title: str | None,
             new_project: bool, quiet: bool) -> None:
    """Create or update the Label Studio project and import new documents as tasks.

    The date engine's output goes in as predictions (model version = engine version). Pushing again imports
    only new documents and updates only changed predictions.

    \b
    Example:
        export LABEL_STUDIO_URL=http://127.0.0.1:8080 LABEL_STUDIO_API_KEY=...
        annotate ls push --project-title "Dates 2026"
    """
    r = push_project(project, actor=default_actor(), url=url, api_key=api_key, title=project_title,
                     new_project=new_project, progress=not quiet)
    state = "created" if r.project_created else ("config updated" if r.config_updated else "up to date")
    click.echo(f"Label Studio project {r.project_id} ({state}): {r.tasks_created} task(s) imported, "
               f"{r.predictions_updated} prediction(s) updated, {r.tasks_text_updated} text(s) updated, "
               f"{r.tasks_recovered} recovered, {r.tasks_unchanged} unchanged")


@ls.command("pull")
@click.option("--url", default=None, help=_URL_HELP)
@click.option("--api-key", default=None, help=_KEY_HELP)
@click.option("--full", is_flag=True, help="Re-read every task, not only those changed since the last pull.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@pass_project
def pull_cmd(project: Project, url: str | None, api_key: str | None, full: bool, quiet: bool) -> None:
    """Store annotations made in Label Studio since the last pull as each annotator's annotation set.

    Users map to annotators by e-mail (labelstudio.users in project.json, else the local part). A task whose
    annotation does not fit the text or the taxonomy is reported and nothing of it is stored; exit code 1. What
    an annotator left out is completed where it can be and reported: a DATE region without calendar, month-name
    set or value is read by the date engine (COMPLETED), or stored without a value (FLAGGED) when the engine
    cannot read it. Each task's outcome is written back to it in Label Studio, above the text. A set pulled from
    an annotation since deleted in Label Studio becomes withdrawn (kept, but counted nowhere).

    \b
    Example:
        annotate ls pull
        annotate ls pull --full
    """
    r = pull_project(project, actor=default_actor(), url=url, api_key=api_key, full=full, progress=not quiet)
    for e in r.errors:
        click.echo(f"REJECTED {e.message}", err=True)
    for n in r.notes:
        click.echo(f"{'FLAGGED' if n.flagged else 'COMPLETED'} {n.message}", err=True)
    flagged = sum(n.flagged for n in r.notes)
    click.echo(f"Label Studio project {r.project_id}: {r.tasks_seen} task(s) read, {r.sets_saved} set(s) saved, "
               f"{r.sets_unchanged} unchanged, {r.sets_withdrawn} withdrawn (deleted in Label Studio), "
               f"{len(r.errors)} rejected, {len(r.notes) - flagged} completion(s), {flagged} flagged for review, "
               f"feedback written to {r.feedback_written} task(s)")
    if r.errors:
        click.get_current_context().exit(1)


@ls.command("status")
@pass_project
def status_cmd(project: Project) -> None:
    """Show the link with Label Studio: project, mapped tasks, last push and pull, rejected tasks.

    \b
    Example:
        annotate ls status
    """
    s = status(project.store())
    if s.project_id is None:
        click.echo("not linked to Label Studio yet (run `annotate ls push`)")
        return
    click.echo(f"project:     {s.project_id} {s.title!r} at {s.url}")
    click.echo(f"tasks:       {s.mapped_tasks} of {s.documents} document(s) pushed")
    click.echo(f"pulled sets: {s.pulled_sets}")
    click.echo(f"last push:   {s.last_push or 'never'}")
    click.echo(f"last pull:   {s.last_pull or 'never'} (cursor {s.cursor or '-'})")
    click.echo(f"rejected:    {len(s.errors)} task(s)")
    for e in s.errors:
        click.echo(f"  task {e.task_id} ({e.doc_id}): {e.message}")
    flagged = [n for n in s.notes if n.flagged]
    click.echo(f"completed:   {len(s.notes) - len(flagged)} value(s) filled in on pull, {len(flagged)} date(s) "
               "flagged for review")
    for n in s.notes:
        click.echo(f"  {'FLAGGED ' if n.flagged else ''}{n.message}")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


@ls.command("start")
@click.option("--port", type=int, default=None, help="Port to listen on (must be free; default: any free port).")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Label Studio data directory (default: a fresh temporary one).")
@click.option("--venv", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=f"Virtual environment of the server (default: .ls-venv, or ${ls_server.ENV_VENV}).")
@click.option("--install-only", is_flag=True, help="Only create the virtual environment with Label Studio.")
def start_cmd(port: int | None, data_dir: Path | None, venv: Path | None, install_only: bool) -> None:
    """Run a local Label Studio on 127.0.0.1 (installed into its own venv on first use) until Ctrl-C.

    A fresh data directory gets an admin user and an API key (legacy tokens enabled); the key is written to
    DATA_DIR/api-key, never printed.

    \b
    Example:
        annotate ls start --install-only          # what CI runs once
        annotate ls start --port 8080 --data-dir ~/ls-data
    """
    venv = venv or ls_server.default_venv()
    if install_only:
        click.echo(ls_server.ensure_venv(venv, echo=lambda m: click.echo(m, err=True)))
        return
    ls_server.ensure_venv(venv, echo=lambda m: click.echo(m, err=True))
    # SIGTERM/SIGHUP (a service manager, a closed terminal) end Python without running `finally`, which would
    # leave the server running; as an interrupt they stop it as Ctrl-C does, also while it is still booting.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    click.echo("starting Label Studio (the first boot of a data dir takes about a minute) ...", err=True)
    srv = ls_server.start_server(venv, port=port, data_dir=data_dir)
    try:  # from here on, a signal stops the server: also one that arrives while these lines are printed
        click.echo(f"Label Studio is running at {srv.url} (user {srv.username}; log {srv.log_path})")
        click.echo("export these, then run `annotate ls push`:")
        click.echo(f"  export {ENV_URL}={srv.url}")
        click.echo(f'  export {ENV_API_KEY}="$(cat {srv.key_file})"')
        click.echo("press Ctrl-C to stop")
        srv.process.wait()
    except KeyboardInterrupt:
        click.echo("stopping ...", err=True)
    finally:
        srv.stop()
