"""``annotate docs list|show``: browse the imported documents."""

from __future__ import annotations

import json

import click

from ..project import Project
from .base import pass_project


@click.group("docs")
def docs() -> None:
    """List and show the project's documents.

    \b
    Example:
        annotate docs list --lang prs
        annotate docs show doc-9be04880feeeed60
    """


@docs.command("list")
@click.option("--lang", default=None, help="Only documents of this language (fa, prs, ar, ...).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line (id, lang, title, ...).")
@pass_project
def list_(project: Project, lang: str | None, as_json: bool) -> None:
    """List documents: id, language, length in characters, reference date and title.

    \b
    Example:
        annotate docs list
        annotate docs list --lang ar --json
    """
    documents = project.store().documents.list(lang)
    for d in documents:
        if as_json:
            row = d.model_dump(mode="json", exclude={"text"})
            row["chars"] = len(d.text)
            click.echo(json.dumps(row, ensure_ascii=False, sort_keys=True))
        else:
            ref = d.reference_date.isoformat() if d.reference_date else "-"
            click.echo(f"{d.id}\t{d.lang}\t{len(d.text)}\t{ref}\t{d.title or d.publisher or ''}")
    if not as_json:
        click.echo(f"{len(documents)} document(s)", err=True)


@docs.command("show")
@click.argument("doc_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True,
              help="The whole document as JSON: its fields, text, and every annotation set with its marks.")
@pass_project
def show(project: Project, doc_id: str, as_json: bool) -> None:
    """Show one document: its fields, its annotation sets, then its frozen text.

    With --json, each annotation set comes with its marks (entities, dates, events, links) and metadata, as
    stored at its head revision.

    \b
    Example:
        annotate docs show doc-9be04880feeeed60
        annotate docs show doc-9be04880feeeed60 --json
    """
    store = project.store()
    d = store.documents.get(doc_id)
    version = store.documents.version(doc_id)
    sets = store.sets.list_info(doc_id)
    marks = {a.author: a.content() for a in store.sets.list(doc_id)} if as_json else {}
    if as_json:
        data = d.model_dump(mode="json")
        data["version"] = version
        data["annotation_sets"] = [
            {"author": s.author, "author_kind": str(s.author_kind), "status": str(s.status),
             "revision": s.head_revision, "stale": s.stale, "updated_at": s.updated_at.isoformat(),
             **marks[s.author]}
            for s in sets
        ]
        click.echo(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2))
        return
    for key in ("id", "lang", "title", "publisher", "url", "reference_date", "text_sha256"):
        value = getattr(d, key)
        if value is not None:
            click.echo(f"{key}: {value}")
    click.echo(f"version: {version}")
    if d.metadata:
        click.echo(f"metadata: {json.dumps(d.metadata, ensure_ascii=False, sort_keys=True)}")
    for s in sets:
        stale = " STALE (made on an earlier text)" if s.stale else ""
        click.echo(f"annotation set: {s.author} ({s.author_kind}) {s.status}, revision {s.head_revision}{stale}")
    click.echo("")
    click.echo(d.text)
