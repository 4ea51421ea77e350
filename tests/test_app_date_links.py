"""``annotate prelabel`` on the demo corpus, then the annotation page: the issue 13 links are there to see.

The demo corpus's newer documents write one day in two or three calendars (a masthead in three calendars, مصادف
با، یعنی، الموافق لـ، ويوافق, a Hijri day one day off Umm al-Qura by local sighting).  The project is made with the
CLI as a user would (``init``, ``import``, ``prelabel``); an annotator opens each such document in the app, sees the
engine's links listed with their verdicts (the Hijri note included), accepts the suggestions and finds the links
in their draft.  The expected links are those of ``annotate/data/demo/expected_dates.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from apptest_helpers import make_app
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from annotate.app.context import SESSION_DOC
from annotate.app.ui import plain
from annotate.cli import cli
from annotate.demo import demo_corpus_path
from annotate.project import Project, open_project
from annotate.text.bidi import quote

PAGE = "views/annotate.py"
EXPECTED: dict[str, dict[str, Any]] = {
    d["doc_id"]: d
    for d in json.loads((demo_corpus_path().parent / "expected_dates.json").read_text(encoding="utf-8"))["documents"]
}
NEW_DOCS = ("demo-fa-05", "demo-prs-05", "demo-ar-06")
"""The documents added for issue 13: a three-calendar masthead and connectors in each language."""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    path = tmp_path_factory.mktemp("links") / "p"
    runner = CliRunner()
    for args in (["init"], ["import", str(demo_corpus_path())], ["prelabel"]):
        result = runner.invoke(cli, ["--project", str(path), *args])
        assert result.exit_code == 0, result.output
    p = open_project(path)
    p.store().users.add("sara", "annotator", "password123", actor="test")
    yield p
    p.close()


def _open(project: Project, doc_id: str) -> AppTest:
    at = make_app(project.path, "sara")
    at.session_state[SESSION_DOC] = doc_id
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _expected_pairs(doc_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    doc = EXPECTED[doc_id]
    text = {m["id"]: m["text"] for m in doc["dates"]}
    return [(text[lk["source"]], text[lk["target"]], lk) for lk in doc["links"]]


def _expander(at: AppTest, label: str) -> Any:
    (found,) = [e for e in at.expander if e.label.startswith(label)]
    return found


def _suggestion_rows(at: AppTest) -> list[tuple[str, str]]:
    """Every pending suggestion's (text, caption), page after page of the suggestions panel."""
    rows: list[tuple[str, str]] = []
    while True:
        pre = _expander(at, "Pre-annotations")
        captions = [c.value for c in pre.caption if not re.match(r"\d+–\d+ of \d+", c.value)]  # not the pager's
        rows += [(m.value, c) for m, c in zip(pre.markdown, captions, strict=True)]
        turn = [b for b in at.button if b.key == "ann_sugg_next"]
        if not turn or turn[0].disabled:
            return rows
        turn[0].click().run()
        assert not at.exception, at.exception


def _check_lines(lines: list[tuple[str, str]], pairs: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Each expected link is shown once as ``«a» = «b»`` with its verdict (the Hijri note included) under it."""
    for a, b, want in pairs:
        shown = [verdict for line, verdict in lines if line in (plain(f"{quote(a)} = {quote(b)}"),
                                                                 plain(f"{quote(b)} = {quote(a)}"))]
        assert len(shown) == 1, (a, b, lines)
        assert ("consistent" in shown[0]) is want["consistent"] and "INCONSISTENT" not in shown[0]
        if want["reason"]:  # a Hijri day one day off Umm al-Qura: the note says which day Umm al-Qura gives
            assert "Umm al-Qura" in shown[0], shown[0]


@pytest.mark.parametrize("doc_id", NEW_DOCS)
def test_an_annotator_sees_the_links_as_suggestions_then_in_the_set(project: Project, doc_id: str) -> None:
    pairs = _expected_pairs(doc_id)
    assert len(pairs) >= 4
    at = _open(project, doc_id)
    # Before accepting: each link is a pending suggestion, its verdict in the caption under it.
    suggested = _suggestion_rows(at)
    assert sum(1 for _, c in suggested if c.startswith("link")) == len(pairs)
    _check_lines(suggested, pairs)
    assert _expander(at, "Date links").label == "Date links (0)"
    # Accept all: the links are the annotator's, listed with their verdicts.
    at.button(key="ann_acc_all").click().run()
    assert not at.exception, at.exception
    links = _expander(at, "Date links")
    assert links.label == f"Date links ({len(pairs)})"
    values = [m.value for m in links.markdown]
    _check_lines([(line, values[i + 1] if i + 1 < len(values) else "") for i, line in enumerate(values)
                  if " = " in line], pairs)
    draft = project.store().drafts.find(doc_id, "sara")
    assert draft is not None and len(draft.aset.links) == len(pairs)


def test_the_three_calendar_masthead_links_every_pair(project: Project) -> None:
    doc_id = "demo-fa-05"
    store = project.store()
    document = store.documents.get(doc_id)
    masthead_end = document.text.index("\n")
    engine = store.sets.get(doc_id, "dates-engine")
    on_masthead = {d.id: d for d in engine.dates if d.end <= masthead_end}
    assert {d.calendar for d in on_masthead.values()} == {"solar_hijri", "lunar_hijri", "gregorian"}
    ids = sorted(on_masthead)
    pairs = {frozenset((a, b)) for a in ids for b in ids if a < b}
    assert len(pairs) == 3
    assert {frozenset((ln.source, ln.target)) for ln in engine.links} >= pairs  # every pair, not a chain
