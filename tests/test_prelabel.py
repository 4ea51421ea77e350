"""Pre-labelling stores the date engine's output as its own set, never touching a human's, and is idempotent."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from annotate.annotation.prelabel import ENGINE_AUTHOR, prelabel
from annotate.cli import cli
from annotate.corpus.importer import import_paths
from annotate.models import AnnotationSet, AuthorKind, EntityMention
from annotate.store import Store


def test_prelabel_seeds_keeps_engine_and_human_sets_apart(store: Store, seeds_dir: Path) -> None:
    import_paths(store, [seeds_dir / "manifest.jsonl"], actor="test")
    docs = store.documents.list()
    assert len(docs) == 5
    target = next(d for d in docs if "كانون الأول" in d.text)
    human = AnnotationSet(
        doc_id=target.id,
        author="amira",
        entities=[EntityMention(id="e1", start=target.text.index("داعش"), end=target.text.index("داعش") + 4,
                                text="داعش", type="ORG")],
    )
    human = store.sets.save(human, base_revision=0, actor="amira")

    results = {r.doc_id: r for r in prelabel(store, actor="test")}
    assert set(results) == {d.id for d in docs}
    assert all(r.changed and r.revision == 1 for r in results.values())
    engine = store.sets.get(target.id, ENGINE_AUTHOR)
    assert engine.author_kind is AuthorKind.engine
    assert engine.entities == [] and engine.dates
    assert engine.metadata["engine_version"]
    # The source error in seed 003: January paired with the Levantine name of December, twice.
    assert results[target.id].inconsistent_links == 2
    bad = [link for link in engine.links if not link.consistent]
    assert len(bad) == 2 and all(link.reason for link in bad)
    # The human set is untouched.
    assert store.sets.get(target.id, "amira") == human

    again = {r.doc_id: r for r in prelabel(store, actor="test")}
    assert not any(r.changed for r in again.values())
    assert store.sets.get(target.id, ENGINE_AUTHOR).revision == 1


def test_prelabel_cli_names_inconsistent_links(tmp_path: Path, seeds_dir: Path) -> None:
    runner = CliRunner()
    proj = ["--project", str(tmp_path / "p")]
    assert runner.invoke(cli, [*proj, "init"]).exit_code == 0
    assert runner.invoke(cli, [*proj, "import", str(seeds_dir / "manifest.jsonl")]).exit_code == 0
    result = runner.invoke(cli, [*proj, "prelabel"])
    assert result.exit_code == 0, result.output
    assert result.output.count("INCONSISTENT") == 1  # seed 003 only
    assert "2 INCONSISTENT" in result.output
    missing = runner.invoke(cli, [*proj, "prelabel", "doc-nope"])
    assert missing.exit_code == 1 and "doc-nope" in missing.output


def test_demo_sets_up_the_default_project_idempotently(tmp_path: Path) -> None:
    runner = CliRunner()
    proj = ["--project", str(tmp_path / "demo")]
    first = runner.invoke(cli, [*proj, "demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert "Project ready" in first.output
    listed = runner.invoke(cli, [*proj, "docs", "list", "--json"])
    langs = {json.loads(line)["lang"] for line in listed.output.splitlines() if line.startswith("{")}
    assert {"fa", "prs", "ar"} <= langs
    second = runner.invoke(cli, [*proj, "demo", "--no-serve"])
    assert second.exit_code == 0, second.output
    assert first.output.count("\t") == second.output.count("\t")
