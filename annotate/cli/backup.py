"""``annotate backup`` and ``annotate restore-backup``: the whole project in one archive, and back."""

from __future__ import annotations

from pathlib import Path

import click

from ..backup import restore_backup, write_backup
from ..project import Project
from .base import pass_project, project_dir


@click.command("backup")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The archive to write (a .tar.gz file; created readable by you only).")
@click.option("--force", is_flag=True, help="Replace the archive if it exists.")
@pass_project
def backup(project: Project, output: Path, force: bool) -> None:
    """Write the whole project into one archive: everything needed to bring it back.

    The archive holds the store (through the lossless dump, so SQLite and PostgreSQL alike), project.json,
    taxonomy.json, releases/ (every version and the CHANGELOG), exports/ and every other file of the project
    directory, with a manifest (annotate-backup.json) listing each member with its sha256, its mode and, for
    the members that hold secrets (password hashes in the store dump, OIDC secrets in .streamlit/secrets.toml,
    a password in project.json), why. It is created mode 0600 under a temporary name and renamed. Left out: the
    database files themselves (the dump holds the store), unfinished writes, and any Label Studio API key
    (keys live in the environment). Sign-in sessions are not kept: after a restore everyone signs in again.

    \b
    Example:
        annotate backup -o ~/backups/news-$(date +%F).tar.gz
        annotate restore-backup ~/backups/news-2024-06-01.tar.gz --project news-restored
    """
    summary = write_backup(project, output, force=force)
    m = summary.manifest
    click.echo(f"backed up the store ({summary.store_records} records) and {len(m.members) - 1} project files "
               f"to {output} ({summary.size} bytes, mode 0600)")
    click.echo(f"sha256 {summary.sha256}")
    for member in m.secrets():
        click.echo(f"holds secrets: {member.path}: {member.secret}")
    for left in m.left_out:
        click.echo(f"left out: {left.path}: {left.reason}")


@click.command("restore-backup")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--project", "target", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The directory to restore into: new, or empty (default: the --project given before the "
              "command, else ANNOTATE_PROJECT, else ./annotate-project).")
@click.option("--database-url", metavar="URL", default=None,
              help="Restore the store into this (empty) database instead of the one the backed-up project.json "
              "names, and write it into the restored project.json.")
@click.pass_context
def restore_backup_cmd(ctx: click.Context, file: Path, target: Path | None, database_url: str | None) -> None:
    """Bring back a project from an archive made by `annotate backup`.

    Every member is checked against the manifest (names, sizes, sha256) before anything is written; links,
    absolute names and names going up with '..' are refused. The target directory must be new or empty; the
    store is loaded all or nothing through the checks of `annotate restore` (its database must be empty), and
    files keep their modes (releases stay read-only). On any failure what was written is removed again.

    \b
    Example:
        annotate restore-backup news-2024-06-01.tar.gz --project news-restored
        annotate --project news-restored release verify 1.0.0
        annotate restore-backup news.tar.gz --project news2 --database-url postgresql+psycopg://me@db/news2
    """
    summary = restore_backup(file, target if target is not None else project_dir(ctx), database_url=database_url)
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.store_counts.items()))
    m = summary.manifest
    click.echo(f"restored {len(m.members) - 1} project files into {summary.project_dir} and the store "
               f"into {summary.database} ({counts})")
    click.echo(f"backup made {m.created_at} by annotate {m.annotate_version} from {m.database}")
    for member in m.secrets():
        click.echo(f"restored secrets: {member.path}: {member.secret}")
    click.echo("sign-in sessions are not in a backup: everyone signs in again")
