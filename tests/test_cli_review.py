"""``annotate comments list|resolve`` and ``annotate return`` through the command line, judged in the store."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotate.cli import cli
from annotate.models import AnnotationSet, AnnotationStatus, Comment, CommentKind, Document
from annotate.project import Project

DOC = Document.create("قال المتحدث إن الاجتماع عقد في بغداد.", lang="ar", id="ar-1")


@pytest.fixture
def proj(project: Project) -> Project:
    """One submitted set by sara, with a note and a flag of hers."""
    store = project.store()
    store.documents.put([DOC], actor="t")
    store.sets.save(AnnotationSet(doc_id=DOC.id, author="sara", status=AnnotationStatus.submitted),
                    base_revision=0, actor="sara")
    store.comments.add(Comment(doc_id=DOC.id, set_author="sara", text="ملاحظة", author="sara"), actor="sara")
    store.comments.add(Comment(doc_id=DOC.id, set_author="sara", kind=CommentKind.flag, text="نص مكرر؟",
                               author="sara"), actor="sara")
    return project


def run(project: Project, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--project", str(project.path), *args], env={"ANNOTATE_USER": "lead"})
    return result.exit_code, result.output


def test_list_flagged_resolve_and_json(proj: Project) -> None:
    code, out = run(proj, "comments", "list")
    assert code == 0 and "#1\tar-1\tsara\tnote on the document\tsara\topen\tملاحظة" in out
    code, out = run(proj, "comments", "list", "--flagged", "--json")
    (line,) = [ln for ln in out.splitlines() if ln.startswith("{")]
    assert json.loads(line)["text"] == "نص مكرر؟" and json.loads(line)["kind"] == "flag"
    code, out = run(proj, "comments", "resolve", "2")
    assert code == 0 and "resolved" in out
    assert proj.store().comments.get(2).updated_by == "lead"
    code, out = run(proj, "comments", "list", "--flagged")
    assert code == 0 and "0 comment(s)" in out
    code, out = run(proj, "comments", "resolve", "1")
    assert code != 0 and "is a note, not a flag" in out
    code, out = run(proj, "comments", "resolve", "9")
    assert code != 0 and "no comment #9" in out


def test_return_gives_a_submitted_set_back_with_a_note(proj: Project) -> None:
    code, out = run(proj, "return", "ar-1", "sara", "-m", "علّم بغداد أيضًا")
    assert code == 0, out
    assert "returned: revision 2 in progress (note #3)" in out
    store = proj.store()
    assert store.sets.get("ar-1", "sara").status is AnnotationStatus.in_progress
    assert store.comments.get(3).kind is CommentKind.returned and store.comments.get(3).author == "lead"
    code, out = run(proj, "return", "ar-1", "sara", "-m", "again")
    assert code != 0 and "only a submitted set can be returned" in out
    code, out = run(proj, "return", "ar-1", "nobody", "-m", "x")
    assert code != 0 and "no annotation set by 'nobody'" in out
