"""``annotate comments list|resolve`` and ``annotate return``: annotators' notes and flags, and returning work."""

from __future__ import annotations

import json

import click

from ..annotation.comments import comment_label, find_comments, resolve
from ..annotation.workspace import return_set
from ..project import Project, default_actor
from .base import pass_project


@click.group("comments")
def comments() -> None:
    """Notes on marks and documents, flags for curators, return notes.

    \b
    Example:
        annotate comments list --flagged
        annotate comments list doc-8f11cceb5d17d0e9 --author sara --json
        annotate comments resolve 12
    """


@comments.command("list")
@click.argument("doc_id", required=False, metavar="[DOC_ID]")
@click.option("--author", default=None, help="Only comments on this annotator's set.")
@click.option("--flagged", is_flag=True, help="Only open flags (what curators still have to look at).")
@click.option("--all", "everything", is_flag=True, help="Withdrawn comments too.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_project
def list_(project: Project, doc_id: str | None, author: str | None, flagged: bool, everything: bool,
          as_json: bool) -> None:
    """List comments, oldest first: id, document, annotator's set, what it is about, writer, status and text.

    \b
    Example:
        annotate comments list --flagged
        annotate comments list doc-8f11cceb5d17d0e9 --json
    """
    found = find_comments(project.store(), doc_id, author, flagged=flagged, withdrawn=everything)
    for c in found:
        if as_json:
            click.echo(json.dumps(c.model_dump(mode="json"), ensure_ascii=False, sort_keys=True))
        else:
            click.echo(f"#{c.id}\t{c.doc_id}\t{c.set_author}\t{comment_label(c)}\t{c.author}\t{c.status.value}\t"
                       f"{c.text}")
    click.echo(f"{len(found)} comment(s)", err=True)


@comments.command("resolve")
@click.argument("comment_id", type=int)
@pass_project
def resolve_cmd(project: Project, comment_id: int) -> None:
    """Mark a flag or a return note handled.

    \b
    Example:
        annotate comments resolve 12
    """
    c = resolve(project.store(), comment_id, actor=default_actor())
    click.echo(f"#{c.id}\t{c.doc_id}\t{c.set_author}\t{c.status.value}")


@click.command("return")
@click.argument("doc_id", metavar="DOC_ID")
@click.argument("annotator")
@click.option("-m", "--message", required=True, help="What should change before it is submitted again.")
@pass_project
def return_cmd(project: Project, doc_id: str, annotator: str, message: str) -> None:
    """Return an annotator's submitted set with a note: a new revision in progress, the note shown to them.

    \b
    Example:
        annotate return doc-8f11cceb5d17d0e9 sara -m "Link the two dates of the dateline"
    """
    aset, note = return_set(project.store(), doc_id, annotator, message, actor=default_actor())
    click.echo(f"{doc_id}\t{annotator}\treturned: revision {aset.revision} in progress (note #{note.id})")
