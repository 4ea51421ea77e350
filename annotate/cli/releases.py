"""``annotate release ...``, ``annotate export``, ``annotate publish`` and ``annotate eval``.

The exporter, the Hub client and the scorer (datasets, pyarrow, huggingface_hub) are imported by the commands that
use them, so that ``annotate release list`` does not pay for them.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..project import Project, default_actor, require_project
from ..release.creation import create_release, pending_diff
from ..release.diffs import ReleaseDiff, diff_releases, diff_summary
from ..release.layout import OPTIONAL_CONFIGS, default_export_dir
from ..release.versions import BUMPS, list_releases, normalise_version, release_path, verify_release
from .base import pass_project, project_dir


@click.group("release")
def release() -> None:
    """Immutable, hashed versions of the gold data.

    \b
    Example:
        annotate release create --bump minor -m "First 500 adjudicated documents"
        annotate release list
        annotate release diff 0.1.0 0.2.0
        annotate release pending
        annotate release verify 0.2.0
    """


@release.command("create")
@click.option("--bump", type=click.Choice(BUMPS), required=True, help="Semantic version part to increase.")
@click.option("-m", "--message", required=True, help="What changed (goes into the manifest and CHANGELOG).")
@pass_project
def create(project: Project, bump: str, message: str) -> None:
    """Freeze the current gold of every document marked gold into a new release.

    The bump must be at least what the changes require: schema or offset changes and removals are major, new
    documents or labels minor, annotation fixes patch.

    \b
    Example:
        annotate release create --bump patch -m "Fix date spans in 12 Dari documents"
    """
    info = create_release(project.path, project.store(), project.taxonomy(), bump=bump,  # type: ignore[arg-type]
                          message=message, actor=default_actor())
    splits = ", ".join(f"{k} {v}" for k, v in info.splits.items())
    click.echo(f"released {info.version}: {info.documents} documents ({splits}); sha256 {info.version_sha256}")


@release.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the releases, oldest first.

    \b
    Example:
        annotate release list
    """
    infos = list_releases(require_project(project_dir(ctx)))
    if as_json:
        click.echo(json.dumps([i.__dict__ for i in infos], ensure_ascii=False, indent=2))
        return
    if not infos:
        click.echo("no releases yet")
    for i in infos:
        click.echo(f"{i.version}\t{i.created_at}\t{i.bump}\t{i.documents} documents\tguidelines "
                   f"{i.guideline_version}\t{i.message}")


@release.command("diff")
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="Print JSON with every changed annotation id.")
@click.pass_context
def diff_cmd(ctx: click.Context, a: str, b: str, as_json: bool) -> None:
    """Show documents and annotations added, removed and changed from release A to release B.

    \b
    Example:
        annotate release diff 1.0.0 1.1.0 --json
    """
    _echo_diff(diff_releases(require_project(project_dir(ctx)), a, b), as_json)


@release.command("pending")
@click.option("--json", "as_json", is_flag=True, help="Print JSON with every changed annotation id.")
@pass_project
def pending(project: Project, as_json: bool) -> None:
    """Show what the next release would change: the current gold against the latest release, and the smallest
    bump `release create` accepts for it.  Nothing is written.

    \b
    Example:
        annotate release pending
    """
    _echo_diff(pending_diff(project.path, project.store(), project.taxonomy()), as_json)


def _echo_diff(d: ReleaseDiff, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(d.to_json(), ensure_ascii=False, indent=2))
        return
    for line in diff_summary(d):
        click.echo(line)


@release.command("verify")
@click.argument("version")
@click.pass_context
def verify(ctx: click.Context, version: str) -> None:
    """Recompute every hash of a release; exit 1 naming each file that was changed.

    \b
    Example:
        annotate release verify 1.0.0
    """
    manifest = verify_release(require_project(project_dir(ctx)), version)
    click.echo(f"release {manifest.version} verifies: {len(manifest.documents)} documents, "
               f"sha256 {manifest.version_sha256}")


@click.command("export")
@click.argument("version")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Target directory (default: PROJECT/exports/NAME/VERSION).")
@click.option("--name", default="annotate-gold", show_default=True, help="Dataset name used in the card.")
@click.option("--repo", default=None, help="Hub repository ORG/NAME named in the card and the lm-eval task.")
@click.option("--license", "license_", default="cc-by-4.0", show_default=True,
              help="Licence id of the annotations (the card says the texts keep their publishers' rights).")
@click.option("--with", "include", type=click.Choice(OPTIONAL_CONFIGS), multiple=True,
              help="Add an optional config: every annotator's sets (annotations) or the engine's (suggestions).")
@pass_project
def export(project: Project, version: str, out: Path | None, name: str, repo: str | None, license_: str,
           include: tuple[str, ...]) -> None:
    """Write a release as a Hugging Face dataset directory (Parquet, card, taxonomy, lm-eval task).

    \b
    Example:
        annotate export 1.0.0
        annotate export 1.0.0 --out exports/news-dates/1.0.0 --repo my-org/news-dates --with annotations
        python -c 'import datasets; print(datasets.load_dataset("exports/news-dates/1.0.0", "dates"))'
        lm_eval run --model MODEL --tasks annotate_gold_dates --include_path exports/news-dates/1.0.0/lm_eval
    """
    from ..release.export import agreement_figures, export_release

    v = normalise_version(version)
    target = out or default_export_dir(project.path, v, name)
    stats = export_release(release_path(project.path, v), target, name=name, taxonomy=project.taxonomy(),
                           agreement=agreement_figures(project.store()), license=license_, hub_repo=repo,
                           include=include)
    project.store().meta.put(f"export.{name}.{v}", str(target), actor=default_actor())
    rows = ", ".join(f"{c} {sum(s.values())}" for c, s in stats.rows.items())
    click.echo(f"exported {v} to {target} ({rows} rows)")


@click.command("publish")
@click.argument("version")
@click.option("--repo", required=True, help="Hub dataset repository ORG/NAME.")
@click.option("--dir", "export_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Export directory (default: PROJECT/exports/NAME/VERSION).")
@click.option("--name", default="annotate-gold", show_default=True, help="Dataset name of the default export.")
@click.option("--private", is_flag=True, help="Create the repository as private.")
@click.pass_context
def publish(ctx: click.Context, version: str, repo: str, export_dir: Path | None, name: str, private: bool) -> None:
    """Push an export to the Hugging Face Hub and tag it vVERSION (token from HF_TOKEN).

    \b
    Example:
        annotate export 1.0.0 --repo my-org/news-dates
        HF_TOKEN=hf_... annotate publish 1.0.0 --repo my-org/news-dates
    """
    v = normalise_version(version)
    from ..release.publish import publish_export

    path = export_dir or default_export_dir(project_dir(ctx), v, name)
    result = publish_export(path, v, repo, private=private)
    click.echo(f"published {result.tag} to {result.repo}" + (f" ({result.commit})" if result.commit else ""))


@click.command("eval")
@click.option("--gold", "gold", required=True, help="Release version, release directory or export directory.")
@click.option("--pred", "pred", required=True, type=click.Path(path_type=Path),
              help="Predictions, JSON Lines: documents layout, `annotate dates extract` output, dates layout or "
                   "lm-eval --log_samples output.")
@click.option("--split", type=click.Choice(["train", "validation", "test"]), default=None,
              help="Score only the gold documents of this split (predictions for others are ignored, and said "
                   "so); lm-eval samples default to the task's split.")
@click.option("--json", "as_json", is_flag=True, help="Print every figure as JSON.")
@click.pass_context
def eval_cmd(ctx: click.Context, gold: str, pred: Path, split: str | None, as_json: bool) -> None:
    """Score predictions: entities, events, dates (TempEval-3) and links, per language and calendar.

    Layers the predictions do not give print "not predicted".

    \b
    Example:
        annotate eval --gold 1.0.0 --pred predictions.jsonl --split test
        annotate dates extract docs.jsonl > p.jsonl && annotate eval --gold 1.0.0 --pred p.jsonl
        annotate eval --gold exports/annotate-gold/1.0.0 --pred results/MODEL/samples_annotate_gold_dates_*.jsonl
    """
    from ..evaluation.scoring import evaluate, format_report

    result = evaluate(gold, pred, project_dir=project_dir(ctx), split=split)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True) if as_json
               else format_report(result))
