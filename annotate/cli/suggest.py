"""``annotate suggest``: train the tagger, pre-label documents with entity and event suggestions, score both."""

from __future__ import annotations

import json

import click

from ..evaluation.suggesters import evaluate_suggesters, format_suggest_report
from ..project import Project, default_actor
from ..suggest import MODEL_AUTHOR, STRINGS_AUTHOR
from ..suggest.registry import train_model
from ..suggest.run import status, suggest_project
from .base import pass_project


@click.group("suggest")
def suggest() -> None:
    """Entity and event suggestions learnt from the project's own annotations.

    \b
    Example:
        annotate suggest train
        annotate suggest run
        annotate suggest eval --split test
    """


@suggest.command("train")
@pass_project
def train_cmd(project: Project) -> None:
    """Train the tagger on the gold and submitted sets and make it the model in use.

    The model is kept under suggest-models/VERSION in the project directory; its suggestions carry that version.

    \b
    Example:
        annotate suggest train && annotate suggest run
    """
    model = train_model(project.path, project.store(), actor=default_actor())
    meta = model.meta
    click.echo(f"trained {model.label} on {len(meta['documents'])} document(s), {meta['sets']} set(s): "
               f"{meta['mentions']['entity']} entity mention(s), {meta['mentions']['event']} trigger(s), "
               f"{meta['sentences']} sentence(s) in {meta['seconds']} s")


@suggest.command("run")
@click.argument("doc_ids", nargs=-1, metavar="[DOC_ID]...")
@pass_project
def run_cmd(project: Project, doc_ids: tuple[str, ...]) -> None:
    """Pre-label documents (all when no id is given) with entity and event suggestions.

    The string matcher's suggestions are saved as the set of author `suggest-strings`, the model's (when one
    was trained) as `suggest-model`; never in a human's set. A set is rewritten only when it changed.

    \b
    Example:
        annotate suggest run
        annotate suggest run demo-fa-01 demo-ar-02
    """
    changed = 0
    model_seen = False
    for r in suggest_project(project.path, project.store(), list(doc_ids) or None, actor=default_actor()):
        changed += r.changed
        model = "no model" if r.model is None else f"{r.model} from the model"
        model_seen = model_seen or r.model is not None
        click.echo(f"{r.doc_id}\t{r.strings} from the string matcher, {model}\t"
                   f"{'updated' if r.changed else 'unchanged'}")
    authors = f"{STRINGS_AUTHOR}{' and ' + MODEL_AUTHOR if model_seen else ''}"
    click.echo(f"{changed} document(s) updated in the {authors} sets", err=True)
    if not model_seen:
        click.echo("no model trained yet: run `annotate suggest train` for the tagger's suggestions", err=True)


@suggest.command("eval")
@click.option("--split", default="test", show_default=True, help="Split of the release to score.")
@click.option("--release", "version", default=None, help="Release version (default: the latest).")
@click.option("--current", is_flag=True,
              help="Score the model in use instead of one trained on the release's other splits.")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@pass_project
def eval_cmd(project: Project, split: str, version: str | None, current: bool, as_json: bool) -> None:
    """Score the tagger next to the string matcher on a release, with `annotate eval`'s metrics.

    Both are trained on the release's train and validation gold and scored on SPLIT (entities: strict, exact,
    partial, type; event triggers: identification and classification).

    \b
    Example:
        annotate suggest eval --split test
        annotate suggest eval --release 1.2.0 --json
    """
    result = evaluate_suggesters(project.path, release=version, split=split, current=current,
                                 store=project.store())
    click.echo(json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True) if as_json
               else format_suggest_report(result))


@suggest.command("status")
@pass_project
def status_cmd(project: Project) -> None:
    """The model in use (version, when, by whom, on what) and how many documents have suggestions.

    \b
    Example:
        annotate suggest status
    """
    st = status(project.path, project.store())
    if st.problem is not None:
        click.echo(f"model: {st.problem}")
    elif st.model is None:
        click.echo("model: none trained yet (annotate suggest train)")
    else:
        m = st.model.meta
        click.echo(f"model: {st.model.version}, trained {m.get('trained_at', '?')} by "
                   f"{m.get('trained_by', '?')} on {len(m['documents'])} document(s) in {m['seconds']} s")
    for author, (docs, entities, events) in st.sets.items():
        click.echo(f"{author}: {docs} document(s), {entities} entity and {events} trigger suggestion(s)")
