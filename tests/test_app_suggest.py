"""AppTest flows for suggestions: a curator trains and suggests on the Suggestions page; an annotator sees entity
and trigger suggestions with their confidence on the Annotate page, accepts those above a confidence, rejects
one, and the store holds exactly that (the browser path is tests/browser/test_suggest_e2e.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import suggest_corpus as corpus
from apptest_helpers import make_app
from streamlit.testing.v1 import AppTest

from annotate.annotation.editing import REJECTED_KEY
from annotate.annotation.prelabel import prelabel
from annotate.annotation.workspace import open_workspace
from annotate.app.context import SESSION_DOC
from annotate.models import MODEL_AUTHOR, STRINGS_AUTHOR
from annotate.project import Project, init_project
from annotate.release.versions import create_release
from annotate.suggest.registry import META_MODEL
from annotate.suggest.sets import parse_suggestion_id
from annotate.taxonomy import default_taxonomy

SUGGEST_PAGE = "views/suggestions.py"
ANNOTATE_PAGE = "views/annotate.py"


@pytest.fixture
def proj(tmp_path: Path) -> Iterator[Project]:
    """36 gold documents of the suggestion corpus, 6 more without any annotation, pre-labelled, four users."""
    p = init_project(tmp_path / "project")
    store = p.store()
    corpus.fill(store, gold=36, fresh=6)
    list(prelabel(store, actor="test"))
    for name, role in (("alice", "annotator"), ("cora", "curator"), ("adam", "admin")):
        store.users.add(name, role, "password123", actor="test")
    yield p
    p.close()


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def test_annotators_do_not_get_the_suggestions_page(proj: Project) -> None:
    from annotate.app.navigation import find_page

    assert find_page(SUGGEST_PAGE, "annotator") is None and find_page(SUGGEST_PAGE, "curator") is not None
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        make_app(proj.path, "alice", SUGGEST_PAGE)


def test_curator_trains_suggests_and_scores(proj: Project) -> None:
    store = proj.store()
    at = _ok(make_app(proj.path, "cora", SUGGEST_PAGE))
    assert [m.value for m in at.metric][:1] == ["none"]
    _ok(at.button(key="sg_train").click().run())
    version = store.meta.find(META_MODEL)
    assert version is not None and version.startswith("m1-")
    assert any(version in s.value for s in at.success)
    assert at.metric[0].value == version
    _ok(at.button(key="sg_run").click().run())
    assert len(store.sets.list(author=STRINGS_AUTHOR)) == 42 and len(store.sets.list(author=MODEL_AUTHOR)) == 42
    fresh = store.sets.get(corpus.load()[40]["id"], MODEL_AUTHOR)
    assert fresh.entities and fresh.metadata["model_version"] == f"suggest-model {version}"
    assert at.metric[1].value == "42 doc(s)"
    create_release(proj.path, store, default_taxonomy(), bump="minor", message="first", actor="test")
    at.expander[0]  # the scoring expander
    _ok(at.button(key="sg_eval").click().run())
    table = at.dataframe[0].value
    assert list(table["metric"]) == ["entities strict", "entities type", "events trigger identification",
                                     "events trigger classification"]
    assert 0.5 < float(table["tagger F1"][0]) <= 1.0 and 0.3 < float(table["string matcher F1"][0]) <= 1.0


def test_annotator_accepts_above_a_confidence_and_rejects_one(proj: Project) -> None:
    store = proj.store()
    from annotate.suggest.registry import train_model
    from annotate.suggest.run import suggest_project

    train_model(proj.path, store, actor="cora")
    list(suggest_project(proj.path, store, actor="cora"))
    doc_id = corpus.load()[38]["id"]
    before = open_workspace(store, default_taxonomy(), doc_id, store.users.get("alice"))
    at = make_app(proj.path, "alice")
    at.session_state[SESSION_DOC] = doc_id
    _ok(at.switch_page(ANNOTATE_PAGE).run())
    captions = [c.value for c in at.caption]
    assert any("model m1-" in c for c in captions), captions
    assert any("string matcher" in c for c in captions)
    rejected_btn = next(b for b in at.button if (b.key or "").startswith("ann_rej_s"))
    rejected_id = rejected_btn.key.removeprefix("ann_rej_")
    _ok(rejected_btn.click().run())
    at.slider(key="ann_acc_threshold").set_value(0.9).run()
    _ok(at.button(key="ann_acc_above").click().run())
    _ok(at.button(key="ann_save").click().run())
    saved = store.sets.get(doc_id, "alice")
    assert saved.metadata[REJECTED_KEY] == [rejected_id]
    expected = {sid for sid in before.pending() if before.confidence(sid) >= 0.9} - {rejected_id}
    got = {x.id for layer in (saved.entities, saved.events, saved.dates, saved.links) for x in layer}
    assert got == expected
    assert any(parse_suggestion_id(i) for i in got), "entities or triggers came in"
    assert any(before.confidence(sid) < 0.9 for sid in before.pending()), "some were left for the annotator"
