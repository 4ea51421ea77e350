"""Curation pages in AppTest: assign, agreement, and adjudication (auto-merge, accept, edit, reopen, provenance)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from apptest_helpers import make_app
from streamlit.testing.v1 import AppTest

from annotate.annotation import editing
from annotate.annotation.prelabel import engine_annotations
from annotate.curation import adjudication as adj
from annotate.models import GOLD_AUTHOR, AnnotationSet, AnnotationStatus, Document
from annotate.project import Project, init_project

TEXT = "وأعلن التحالف في السادس من يناير/كانون الأول الماضي إيقاف التدريب في بغداد."
DOC = Document.create(TEXT, lang="ar", id="ar-1", reference_date="2020-03-14")
PASSWORD = "password123"


@pytest.fixture
def proj(tmp_path: object) -> Iterator[Project]:
    project = init_project(f"{tmp_path}/p")
    store = project.store()
    store.documents.put([DOC], actor="t")
    store.users.add("cura", "curator", PASSWORD, actor="t")
    for name in ("ali", "sara"):
        store.users.add(name, "annotator", PASSWORD, actor="t")
    ctx = editing.EditContext(DOC, store.taxonomy)
    for name, type_ in (("ali", "GPE"), ("sara", "LOC")):
        a = editing.accept_suggestions(ctx, AnnotationSet(doc_id=DOC.id, author=name), engine_annotations(DOC)).aset
        a = editing.add_entity(ctx, a, TEXT.index("التحالف"), TEXT.index("التحالف") + 7, "ORG")
        a = editing.add_entity(ctx, a, TEXT.index("بغداد"), TEXT.index("بغداد") + 5, type_)
        store.sets.save(a, base_revision=0, actor=name)
    yield project
    project.close()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def gold_of(project: Project) -> AnnotationSet:
    return project.store().sets.get(DOC.id, GOLD_AUTHOR)


def option_id(project: Project, label: str) -> str:
    diff = adj.open_session(project.store(), DOC.id).diff
    return next(o.id for g in diff.groups for o in g.options if o.label == label)


def test_auto_merge_then_save_as_gold_records_provenance(proj: Project) -> None:
    at = ok(make_app(proj.path, "cura", "views/adjudicate.py"))
    assert any("ali" in m.value for m in at.markdown)
    ok(at.button(key="adjudicate_auto").click().run())
    ok(at.button(key="adjudicate_save").click().run())
    gold = gold_of(proj)
    assert (gold.status, gold.revision) == (AnnotationStatus.gold, 1)
    assert [e.text for e in gold.entities] == ["التحالف"]  # Baghdad is disputed: left to decide
    rec = gold.metadata[adj.PROVENANCE_KEY][gold.entities[0].id]
    assert (rec["how"], rec["by"], rec["agreed_by"]) == ("auto", "cura", ["ali", "sara"])
    assert any(not link.consistent and link.reason == "January vs December" for link in gold.links)
    assert any("Gold set saved" in s.value for s in at.success)


def test_accept_one_side_then_edit_then_save(proj: Project) -> None:
    at = ok(make_app(proj.path, "cura", "views/adjudicate.py"))
    ok(at.button(key="adjudicate_auto").click().run())
    ok(at.button(key=f"accept-{option_id(proj, 'LOC')}").click().run())
    ok(at.button(key="adjudicate_save_draft").click().run())
    draft = gold_of(proj)
    assert draft.status is AnnotationStatus.in_progress
    baghdad = next(e for e in draft.entities if e.text == "بغداد")
    assert baghdad.type == "LOC"
    rec = draft.metadata[adj.PROVENANCE_KEY][baghdad.id]
    assert (rec["how"], rec["agreed_by"]) == ("accepted", ["sara"])
    # Edit: Baghdad is a GPE after all.
    at.selectbox(key="adjudicate_edit_item").set_value(baghdad.id).run()
    at.selectbox(key="adjudicate_edit_type").set_value("GPE").run()
    ok(at.button(key="adjudicate_edit_apply").click().run())
    ok(at.button(key="adjudicate_save").click().run())
    gold = gold_of(proj)
    assert (gold.status, gold.revision) == (AnnotationStatus.gold, 2)
    edited = next(e for e in gold.entities if e.text == "بغداد")
    assert edited.type == "GPE"
    assert gold.metadata[adj.PROVENANCE_KEY][edited.id]["how"] == "edited"
    assert [d["how"] for d in gold.metadata[adj.ADJUDICATION_KEY]["decisions"]] == ["accepted"]


def test_reopen_gold_from_the_page(proj: Project) -> None:
    adj.auto_adjudicate(proj.store(), DOC.id, actor="cura")
    at = ok(make_app(proj.path, "cura", "views/adjudicate.py"))
    assert any("Reopen" in s.value or "saved" in s.value for s in at.success)
    ok(at.button(key="adjudicate_reopen").click().run())
    gold = gold_of(proj)
    assert (gold.status, gold.revision) == (AnnotationStatus.in_progress, 2)
    assert gold.metadata[adj.ADJUDICATION_KEY]["reopened"][0]["by"] == "cura"
    assert at.button(key="adjudicate_auto")  # editable again


def test_agreement_page_lists_lowest_first_and_opens_adjudication(proj: Project) -> None:
    at = ok(make_app(proj.path, "cura", "views/agreement.py"))
    assert at.metric[0].value == "0.50"  # entities: 2 each, ORG agreed, Baghdad GPE vs LOC: 2·1/4
    assert at.dataframe[0].value["document"].tolist() == ["ar-1"]
    ok(at.button(key="agreement_open").click().run())
    assert at.session_state["adjudicate_doc"] == "ar-1"


def test_assign_page_previews_then_assigns(proj: Project) -> None:
    at = ok(make_app(proj.path, "cura", "views/assign.py"))
    assert at.multiselect(key="assign_annotators").value == ["ali", "sara"]
    ok(at.button(key="assign_preview").click().run())
    assert proj.store().assignments.list() == []
    ok(at.button(key="assign_apply").click().run())
    assert sorted(a.annotator for a in proj.store().assignments.list()) == ["ali", "sara"]  # 20% of 1 doc: 2


def test_annotators_do_not_get_the_curation_pages(proj: Project) -> None:
    from annotate.app.navigation import find_page

    for page in ("views/assign.py", "views/agreement.py", "views/adjudicate.py"):
        assert find_page(page, "annotator") is None
        assert find_page(page, "curator") is not None


def test_a_save_elsewhere_replaces_the_working_copy_with_a_warning(proj: Project) -> None:
    at = ok(make_app(proj.path, "cura", "views/adjudicate.py"))
    ok(at.button(key="adjudicate_auto").click().run())
    session = adj.open_session(proj.store(), DOC.id)
    adj.save_gold(proj.store(), session.ctx, adj.empty_gold(session.ctx), actor="other", final=False)
    ok(at.run())
    assert any("saved elsewhere (revision 1)" in w.value for w in at.warning)
    ok(at.button(key="adjudicate_save").click().run())
    gold = gold_of(proj)
    assert (gold.revision, gold.entities) == (2, [])  # the other curator's version, not the lost auto-merge
