"""The Label Studio page in AppTest: who sees it, its status, and push/pull from the page against the server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from apptest_helpers import make_app
from ls_helpers import LiveServer, task_id, ui_region
from streamlit.testing.v1 import AppTest

from annotate.labelstudio.sync import META_ERRORS
from annotate.models import Document
from annotate.project import Project, init_project

PAGE = "views/labelstudio.py"
PASSWORD = "password123"
TEXT = "وأعلن التحالف في 6 كانون الثاني 2020 إيقاف التدريب في بغداد."


@pytest.fixture
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    for var in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    project = init_project(tmp_path / "p")
    store = project.store()
    store.documents.put([Document.create(TEXT, lang="ar", id="ar-1", reference_date="2020-03-14")], actor="t")
    store.users.add("cura", "curator", PASSWORD, actor="t")
    store.users.add("ali", "annotator", PASSWORD, actor="t")
    yield project
    project.close()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def submit(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_page_is_for_curators_and_shows_the_unlinked_state(proj: Project) -> None:
    at = ok(make_app(proj.path, "cura", PAGE))
    assert any("Not linked to Label Studio yet" in i.value for i in at.info)
    assert at.metric[0].value == "0 / 1"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        make_app(proj.path, "ali", PAGE)  # the router does not register the page for annotators


def test_push_without_a_url_says_how_to_fix_it(proj: Project) -> None:
    at = ok(make_app(proj.path, "cura", PAGE))
    at = submit(at, "Push")
    assert any("no Label Studio URL" in e.value for e in at.error)


def pushed_from_page(proj: Project, server: LiveServer, title: str) -> AppTest:
    """The page after a push with the server's URL and key typed in."""
    at = ok(make_app(proj.path, "cura", PAGE))
    at.text_input(key="ls_url").input(server.url)
    at.text_input(key="ls_key").input(server.api_key)
    at.text_input(key="ls_title").input(title)
    return ok(submit(at, "Push"))


def test_push_and_pull_from_the_page(proj: Project, ls_live: LiveServer) -> None:
    at = pushed_from_page(proj, ls_live, "page test")
    assert any("1 task(s) imported" in s.value for s in at.success)
    assert at.metric[0].value == "1 / 1"
    assert all(ls_live.api_key not in str(m.value) for m in at.markdown)
    at = ok(submit(at, "Pull"))
    assert any("0 rejected" in s.value for s in at.success)


def test_the_page_lists_what_a_pull_completed_and_flagged(proj: Project, ls_live: LiveServer) -> None:
    at = pushed_from_page(proj, ls_live, "notes page")
    tid = task_id(proj.store(), "ar-1")
    plain = [ui_region("Rd1", TEXT, "6 كانون الثاني 2020", "DATE"), ui_region("Rd2", TEXT, "بغداد", "DATE")]
    ls_live.client().create_annotation(tid, plain, ls_live.users["ali@example.org"])
    at = ok(submit(at, "Pull"))
    assert any("1 completion(s), 1 date(s) flagged for review; feedback written to 1 task(s)" in s.value
               for s in at.success)
    assert at.metric[4].value == "1"
    rows = at.dataframe[-1].value  # the rejected-tasks table is not drawn: none
    assert list(rows["flagged"]) == [False, True]
    assert "read by the date engine" in rows["what"][0] and "flagged for review" in rows["what"][1]


def test_an_unreadable_sync_record_is_an_error_on_the_page(proj: Project) -> None:
    proj.store().meta.put(META_ERRORS, "{not json", actor="t")
    at = make_app(proj.path, "cura", PAGE)
    assert not at.exception
    (error,) = at.error
    assert "labelstudio.pull" in error.value and "is not a JSON object" in error.value and "--full" in error.value
    assert any(b.label == "Pull" for b in at.button)  # a full pull from the page rebuilds it
