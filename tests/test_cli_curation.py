"""``annotate assign | agreement | adjudicate | gold reopen`` through the command line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotate.annotation import editing
from annotate.annotation.prelabel import engine_annotations
from annotate.cli import cli
from annotate.models import GOLD_AUTHOR, AnnotationSet, AnnotationStatus, Document
from annotate.project import Project

TEXT = "وأعلن التحالف في السادس من يناير/كانون الأول الماضي إيقاف التدريب في بغداد."
DOC = Document.create(TEXT, lang="ar", id="ar-1", reference_date="2020-03-14")


@pytest.fixture
def proj(project: Project) -> Project:
    store = project.store()
    store.documents.put([DOC, Document.create("متن دوم", lang="fa", id="fa-1")], actor="t")
    for name in ("ali", "sara", "reza"):
        store.users.add(name, "annotator", "password123", actor="t")
    ctx = editing.EditContext(DOC, store.taxonomy)
    for name, type_ in (("ali", "GPE"), ("sara", "LOC")):
        a = editing.accept_suggestions(ctx, AnnotationSet(doc_id=DOC.id, author=name), engine_annotations(DOC)).aset
        a = editing.add_entity(ctx, a, TEXT.index("التحالف"), TEXT.index("التحالف") + 7, "ORG")
        a = editing.add_entity(ctx, a, TEXT.index("بغداد"), TEXT.index("بغداد") + 5, type_)
        store.sets.save(a, base_revision=0, actor=name)
    return project


def run(project: Project, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--project", str(project.path), *args], env={"ANNOTATE_USER": "lead"})
    return result.exit_code, result.output


def test_assign_then_list(proj: Project) -> None:
    code, out = run(proj, "assign", "--annotators", "ali,sara,reza", "--overlap", "0.5", "--seed", "3")
    assert code == 0, out
    assert out.count("+ ") == 3 and "add 3, remove 0; overlap documents: 1" in out
    code, out = run(proj, "assign", "--annotators", "ali,sara,reza", "--overlap", "0.5", "--seed", "3")
    assert code == 0 and "add 0, remove 0" in out
    code, out = run(proj, "assign", "--list")
    assert code == 0 and out.count("\tlead\t") == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["assign"], "give --annotators"),
        (["assign", "--annotators", "ali,omid"], "'omid' is not a user"),
        (["assign", "--annotators", "ali", "--overlap", "0.2"], "--annotators: 2 annotators per document"),
        (["assign", "--annotators", "ali", "nope"], "no document 'nope'"),
        (["adjudicate", "ar-1"], "only --auto"),
        (["adjudicate", "nope", "--auto"], "nope"),
        (["gold", "reopen", "ar-1"], "no gold set to reopen"),
    ],
)
def test_errors_are_clear(proj: Project, args: list[str], message: str) -> None:
    code, out = run(proj, *args)
    assert code != 0 and message in out


def test_agreement_table_and_json(proj: Project) -> None:
    code, out = run(proj, "agreement")
    assert code == 0, out
    assert "ali / sara" in out and "lowest agreement first" in out
    row = next(line for line in out.splitlines() if line.startswith("entities\t"))
    assert row.split("\t")[1:] == ["1", "2", "2", "0.500"]
    code, out = run(proj, "agreement", "--json", "--lang", "ar")
    data = json.loads(out)
    assert data["layers"]["links"]["f1"] == 1.0 and data["compared_documents"] == 1
    code, out = run(proj, "agreement", "--json", "--lang", "fa")
    assert json.loads(out)["compared_documents"] == 0


def test_adjudicate_auto_then_reopen(proj: Project) -> None:
    code, out = run(proj, "adjudicate", "ar-1", "--auto")
    assert code == 0, out
    assert "gold revision 1: 1 entities, 2 dates" in out and "INCONSISTENT" in out and "January vs December" in out
    gold = proj.store().sets.get("ar-1", GOLD_AUTHOR)
    assert gold.status is AnnotationStatus.gold
    code, out = run(proj, "adjudicate", "ar-1", "--auto")
    assert code != 0 and "annotate gold reopen ar-1" in out
    code, out = run(proj, "gold", "reopen", "ar-1")
    assert code == 0 and "revision 2, status in_progress" in out
    code, out = run(proj, "adjudicate", "ar-1", "--auto", "--strategy", "majority", "--min-count", "1")
    assert code == 0 and "gold revision 3" in out


def test_guidelines_version_is_the_versioned_line_and_the_copies_match() -> None:
    from pathlib import Path

    from annotate.annotation.guidelines import guidelines_text, guidelines_version

    root = Path(__file__).resolve().parents[1]
    assert f"Guidelines version: {guidelines_version()}\n" in guidelines_text()
    assert guidelines_version().count(".") == 2
    changelog = guidelines_text().split("Changelog", 1)[1]
    assert f"| {guidelines_version()} |" in changelog  # every version has its changelog row
    assert (root / "guidelines.md").read_text(encoding="utf-8") == (
        root / "annotate" / "data" / "guidelines.md"
    ).read_text(encoding="utf-8")
