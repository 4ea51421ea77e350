"""``annotate assign | agreement | adjudicate | gold reopen``: curation from the command line."""

from __future__ import annotations

import json

import click

from ..curation.adjudication import auto_adjudicate, gold_summary, reopen_gold
from ..curation.agreement import project_agreement, report_lines
from ..curation.assignments import assign_documents
from ..project import Project, default_actor
from .base import pass_project


@click.command("assign")
@click.argument("doc_ids", nargs=-1, metavar="[DOC_ID]...")
@click.option("--annotators", default=None, help="Comma-separated user names, e.g. ali,sara,reza.")
@click.option("--k", "k", type=int, default=1, show_default=True, help="Annotators per document.")
@click.option(
    "--overlap", type=float, default=0.0, show_default=True,
    help="Share of documents given to one more annotator, for agreement (0.2 = 20%).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the choice of overlap documents.")
@click.option("--dry-run", is_flag=True, help="Show the plan without changing anything.")
@click.option("--list", "list_", is_flag=True, help="List the current assignments instead.")
@pass_project
def assign(
    project: Project, doc_ids: tuple[str, ...],
    annotators: str | None,
    k: int,
    overlap: float,
    seed: int,
    dry_run: bool,
    list_: bool,
) -> None:
    """Assign documents (all when no id is given) to annotators: k each, plus an overlap share with k+1.

    The overlap documents are chosen by a seeded hash of their ids, each document goes to the least-loaded
    annotators, running it again changes nothing, and a document an annotator has started stays theirs.

    \b
    Example:
        annotate assign --annotators ali,sara,reza --k 1 --overlap 0.2 --seed 7
        annotate assign --annotators ali,sara doc-caf881ae1f897771
        annotate assign --list
    """
    store = project.store()
    if list_:
        rows = store.assignments.list()
        for a in rows:
            click.echo(f"{a.doc_id}\t{a.annotator}\t{a.assigned_by}\t{a.assigned_at.isoformat()}")
        click.echo(f"{len(rows)} assignment(s)", err=True)
        return
    if not annotators:
        raise click.UsageError("give --annotators a,b,... (or --list to see the assignments)")
    plan = assign_documents(
        store,
        annotators.split(","),
        doc_ids=list(doc_ids) or None,
        k=k,
        overlap=overlap,
        seed=seed,
        actor=default_actor(),
        dry_run=dry_run,
    )
    verb = "would " if dry_run else ""
    for doc, person in plan.add:
        click.echo(f"+ {doc}\t{person}")
    for doc, person in plan.remove:
        click.echo(f"- {doc}\t{person}")
    for doc, person in plan.kept_started:
        click.echo(f"= {doc}\t{person}\t(kept: already started)")
    click.echo(
        f"{verb}add {len(plan.add)}, {verb}remove {len(plan.remove)}; overlap documents: {len(plan.overlap_docs)}; "
        "load: " + ", ".join(f"{p} {n}" for p, n in plan.load.items()),
        err=True,
    )


@click.command("agreement")
@click.option("--lang", default=None, help="Only documents of this language (fa, prs, ar).")
@click.option("--submitted-only", is_flag=True, help="Leave out annotation sets still in progress.")
@click.option("--lowest", type=int, default=10, show_default=True, help="How many lowest-agreement documents.")
@click.option("--json", "as_json", is_flag=True, help="The whole report as one JSON object.")
@pass_project
def agreement(project: Project, lang: str | None, submitted_only: bool, lowest: int, as_json: bool) -> None:
    """Inter-annotator agreement: per layer, label, annotator pair and language; lowest documents first.

    F1 of entities (strict and overlap), dates (span and normalised value), same-date links, event triggers
    and arguments; Cohen's kappa per pair and Krippendorff's alpha over word tokens.

    \b
    Example:
        annotate agreement
        annotate agreement --lang ar --json
    """
    report = project_agreement(project.store(), lang=lang, submitted_only=submitted_only)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, sort_keys=True, default=str))
    else:
        for line in report_lines(report, lowest=lowest):
            click.echo(line)


@click.command("adjudicate")
@click.argument("doc_id", metavar="DOC_ID")
@click.option("--auto", "auto", is_flag=True, help="Auto-merge what the annotators agree on into gold.")
@click.option(
    "--strategy", type=click.Choice(["unanimous", "majority"]), default="unanimous", show_default=True,
    help="unanimous: every annotator; majority: more than half and at least --min-count.",
)
@click.option("--min-count", type=int, default=2, show_default=True, help="Fewest annotators for majority.")
@pass_project
def adjudicate(project: Project, doc_id: str, auto: bool, strategy: str, min_count: int) -> None:
    """Adjudicate a document into its gold set (item by item in the app's Adjudicate page).

    \b
    Example:
        annotate adjudicate doc-8f11cceb5d17d0e9 --auto
        annotate adjudicate doc-8f11cceb5d17d0e9 --auto --strategy majority --min-count 2
    """
    if not auto:
        raise click.UsageError("only --auto works from the command line; decide item by item in the app")
    gold = auto_adjudicate(
        project.store(), doc_id, actor=default_actor(), strategy=strategy, min_count=min_count
    )
    inconsistent = [link for link in gold.links if not link.consistent]
    click.echo(
        f"{doc_id}\tgold revision {gold.revision}: {len(gold.entities)} entities, {len(gold.dates)} dates, "
        f"{len(gold.events)} events, {len(gold.links)} links"
        + (f" ({len(inconsistent)} INCONSISTENT in the source)" if inconsistent else "")
    )
    for link in inconsistent:
        click.echo(f"  inconsistent link {link.id}: {link.reason}")
    click.echo("provenance: " + ", ".join(f"{k} {v}" for k, v in sorted(gold_summary(gold).items())), err=True)


@click.group("gold")
def gold() -> None:
    """Manage gold sets.

    \b
    Example:
        annotate gold reopen doc-8f11cceb5d17d0e9
    """


@gold.command("reopen")
@click.argument("doc_id", metavar="DOC_ID")
@pass_project
def reopen(project: Project, doc_id: str) -> None:
    """Put a document's gold set back in progress (a new revision; the gold revision stays in history).

    \b
    Example:
        annotate gold reopen doc-8f11cceb5d17d0e9
    """
    aset = reopen_gold(project.store(), doc_id, actor=default_actor())
    click.echo(f"{doc_id}\tgold reopened: revision {aset.revision}, status {aset.status.value}")
