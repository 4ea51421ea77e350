"""The quick-reference card in the app: a tab of the Guidelines page and a panel of the Annotate page, with the
labeler's own keys (one table, so the card and the labeler agree on what `l` does)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from apptest_helpers import make_app
from streamlit.testing.v1 import AppTest

from annotate.annotation.guidelines import guidelines_version
from annotate.annotation.quickref import card_markdown
from annotate.app.context import SESSION_DOC
from annotate.app.labeler import key_help
from annotate.app.quickref import app_card
from annotate.models import Document
from annotate.project import Project, init_project
from annotate.taxonomy import default_taxonomy

TEXT = "قالت وزارة الدفاع إن القوات ستنسحب من معسكر النصر."


@pytest.fixture(scope="module")
def proj(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    p = init_project(tmp_path_factory.mktemp("quickref") / "project")
    store = p.store()
    store.documents.put([Document.create(TEXT, lang="ar", id="doc-ar")], actor="test")
    store.users.add("alice", "annotator", "password123", actor="test")
    yield p
    p.close()


def markdown_of(at: AppTest) -> list[str]:
    assert not at.exception, [e.value for e in at.exception]
    return [str(m.value) for m in at.markdown]


def card_in(texts: list[str]) -> str:
    (card,) = [t for t in texts if "**Quick reference** · guidelines" in t]
    return card


def test_the_guidelines_page_has_the_guidelines_then_the_card_in_tabs(proj: Project) -> None:
    at = make_app(proj.path, "alice", "views/guidelines.py")
    texts = markdown_of(at)
    assert [t.label for t in at.tabs] == ["Guidelines", "Quick reference card"]
    assert "# Annotation guidelines" in texts[0]  # the full text comes first
    card = card_in(texts)
    assert f"guidelines {guidelines_version()} · taxonomy news-default" in card
    assert card in card_markdown(app_card(proj.taxonomy())) or card_markdown(app_card(proj.taxonomy())) in card
    assert "| `p` | PER | Person |" in card and "| modality | **asserted** · other |" in card


def test_the_annotate_page_shows_the_card_in_a_panel(proj: Project) -> None:
    at = make_app(proj.path, "alice")
    at.session_state[SESSION_DOC] = "doc-ar"
    at.switch_page("views/annotate.py").run()
    texts = markdown_of(at)
    assert "Quick reference" in [e.label for e in at.expander]
    card = card_in(texts)
    assert "#### Keys" in card and "| `ctrl + s` | save |" in card.lower()


def test_the_card_keys_are_the_labelers_and_say_when_a_label_key_means_something_else() -> None:
    """The card lists exactly the labeler's keys.  A letter that is a label's key (`l`: LOC) and also appears in one
    of the labeler's own keys must say, in that row, when it is the label: a key never silently does two things."""
    taxonomy = default_taxonomy()
    rows = [(k, d) for k, d in key_help(taxonomy) if k]
    ref = app_card(taxonomy)
    assert list(ref.keys) == rows
    hotkeys = {t.hotkey for t in taxonomy.entity_types if t.hotkey}
    hotkeys |= {t.hotkey for t in taxonomy.event_types if t.hotkey} | {taxonomy.date_hotkey}
    own = [(k, d) for k, d in rows if k not in hotkeys]
    for key, does in own:
        for letter in set(re.findall(r"(?<![\w+])(\w)(?!\w)", key)) & hotkeys:
            assert re.search(rf"\b{letter}\b.*\b(label|selected text)\b", does), (key, does)
    loc = next(t for t in taxonomy.entity_types if t.name == "LOC")
    assert (loc.hotkey, "LOC") in [(k, n) for k, n, _, _ in ref.entities]

