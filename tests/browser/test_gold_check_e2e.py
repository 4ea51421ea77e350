"""The gold editor's consistency check in real headless Chromium, on ``annotate serve`` (issue 16): the gold
set's date links listed beside the labeler with their verdicts, "Save as gold" asking about an inconsistent link
without a note, a note on the link clearing it, and the gold read back from the store with the curator's
provenance; screenshots of the gold editor with the links list at 1440×900 and 1280×720
(test-artifacts/gold-check-*.png), and the guillemets around the linked dates read from them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import curation_project as cp
import pytest
from chromium import CHROMIUM
from glyphs import assert_guillemets_point_outwards
from served_app import sign_in, wait_until
from serving import serving

from annotate.curation import adjudication as adj
from annotate.curation import gold_sets
from annotate.models import GOLD_AUTHOR, AnnotationSet, AnnotationStatus
from annotate.project import Project
from annotate.text.bidi import quote

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
NOTE = "المصدر نفسه يكتب الشهرين"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Project]]:
    """The contradicting Arabic sentence labelled by ali and sara (``curation_project.build_contradiction``)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} (Debian chromium) is missing")
    project = cp.build_contradiction(tmp_path_factory.mktemp("gold-check") / "project")
    project.close()
    with serving(["--project", str(project.path)], project.path.parent / "serve.log") as (_, url):
        yield url, project


def settled(page: Any) -> None:
    """Wait until Streamlit has finished running the page (no running indicator, nothing drawn as stale)."""
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]') && "
                           "!document.querySelector('[data-stale=\"true\"]')", timeout=30_000)


def draft(project: Project) -> AnnotationSet | None:
    found = project.store().drafts.find(cp.CONTRADICTION.id, GOLD_AUTHOR)
    return found.aset if found is not None else None


def shoot(page: Any, name: str) -> None:
    """The window as it is, at 1440×900 and at 1280×720, with the links list scrolled into view."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1440, 900), (1280, 720)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(500)
        page.get_by_role("button", name="Note: why it stays").scroll_into_view_if_needed()
        settled(page)
        overflow = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollWidth "
                                 "- document.querySelector('[data-testid=\"stMain\"]').clientWidth")
        assert overflow <= 1, f"the gold editor is wider than the window at {width}px"
        page.screenshot(path=str(ARTIFACTS / f"gold-check-{name}-{width}x{height}.png"), scale="css")


def guillemets_point_outwards(page: Any, links: Any, texts: list[str]) -> None:
    """Every guillemet pair drawn as text in the links list points outwards for its line's direction, read from the
    page drawn at twice the pixel density (``glyphs``); the pairs around ``texts`` (the linked dates) are among
    them.  The pickers below the list show their labels as an input's value, which has no text to measure."""
    for width, height in ((1440, 900), (1280, 720)):  # at 1280 the pair of Arabic dates wraps
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(500)
        links.get_by_role("button", name="Note: why it stays").scroll_into_view_if_needed()
        settled(page)
        checked = assert_guillemets_point_outwards(page, links)
        assert all(quote(t) in checked for t in texts), (width, checked)


def test_the_gold_editor_lists_the_links_and_asks_before_saving_an_inconsistent_one(
    browser: Any, served: tuple[str, Project]
) -> None:
    url, project = served
    page = sign_in(browser, url, "cura", cp.PASSWORD, scale=2)  # twice the pixels: the guillemets' glyphs are read
    page.locator('[data-testid="stSidebarNav"] a[href$="/adjudicate"]').first.click()
    page.get_by_role("heading", level=1, name="Adjudicate", exact=True).wait_for(timeout=30_000)
    page.wait_for_function(f"document.querySelector('.annot-adj')?.dataset.docId === '{cp.CONTRADICTION.id}'",
                           timeout=30_000)
    settled(page)
    page.get_by_role("button", name="Auto-merge").click()
    page.get_by_role("button", name="Merge what they agree on").click()
    merged = wait_until(lambda: draft(project), "the auto-merged working copy")
    (link,) = merged.links
    settled(page)
    page.keyboard.press("Escape")  # close the auto-merge popover
    page.get_by_text("Edit gold in the labeler").click()
    page.wait_for_function(f"document.querySelector('.annot-labeler')?.dataset.docId === '{cp.CONTRADICTION.id}'",
                           timeout=30_000)
    # The links list beside the labeler: the pair, then its verdict in red.
    links = page.get_by_test_id("stExpander").filter(has_text="Date links (1)")
    links.get_by_text("INCONSISTENT: January vs December").wait_for(timeout=20_000)
    dates = {d.id: d.text for d in merged.dates}
    assert f"{quote(dates[link.source])} = {quote(dates[link.target])}" in links.inner_text()
    assert links.get_by_role("button", name="Note: why it stays").is_visible()
    shoot(page, "links")
    guillemets_point_outwards(page, links, [dates[link.source], dates[link.target]])

    # Save as gold: the unfinished link is listed and nothing is stored until the curator answers.
    page.set_viewport_size({"width": 1440, "height": 900})
    page.get_by_role("button", name="Save as gold").first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Save as gold with unfinished work?").wait_for(timeout=20_000)
    dialog.get_by_text(cp.CONTRADICTION_LINK, exact=False).wait_for()
    assert dialog.get_by_role("button", name="Save as gold anyway").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "gold-check-confirm-1440x900.png"), scale="css")
    assert gold_sets.load_gold(project.store(), cp.CONTRADICTION.id) is None
    dialog.get_by_role("button", name="Keep working").click()
    dialog.wait_for(state="detached", timeout=20_000)
    settled(page)

    # A note on the link says why it stays; then Save as gold saves at once.
    links.get_by_role("button", name="Note: why it stays").click()
    page.get_by_label("Note on this link").fill(NOTE)
    page.get_by_role("button", name="Add note").click()
    wait_until(lambda: [c for c in project.store().comments.list(cp.CONTRADICTION.id, GOLD_AUTHOR)
                        if c.target == link.id], "the note on the link in the store")
    links.get_by_text(NOTE).wait_for(timeout=20_000)
    settled(page)
    page.get_by_role("button", name="Save as gold").first.click()

    def stored() -> AnnotationSet | None:
        gold = gold_sets.load_gold(project.store(), cp.CONTRADICTION.id)
        return gold if gold is not None and gold.status is AnnotationStatus.gold else None

    gold = wait_until(stored, "the gold set saved as gold without a question")
    assert page.get_by_role("dialog").count() == 0
    page.get_by_text("Gold set saved (revision 1)").wait_for(timeout=20_000)
    assert [(ln.id, ln.consistent, ln.reason) for ln in gold.links] == [(link.id, False, "January vs December")]
    prov = gold.metadata[adj.PROVENANCE_KEY]
    coalition = next(e for e in gold.entities if e.text == "التحالف")
    assert (prov[coalition.id]["how"], prov[coalition.id]["by"], prov[coalition.id]["agreed_by"]) == (
        "auto", "cura", ["ali", "sara"])
    assert prov[link.id]["how"] == "auto"
    assert not any(e.text == "بغداد" for e in gold.entities)  # disputed and never decided: not in gold
    assert gold.metadata[adj.ADJUDICATION_KEY]["saved_by"] == "cura"
    (note,) = project.store().comments.list(cp.CONTRADICTION.id, GOLD_AUTHOR)
    assert (note.target, note.author, note.text) == (link.id, "cura", NOTE)
