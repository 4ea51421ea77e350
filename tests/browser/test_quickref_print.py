"""The quick-reference card in Chromium: printed as the browser's Print does (one A4 page, RTL examples isolated),
and on the app's Guidelines page in both themes with its download."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from served_app import sign_in
from serving import serving

from annotate.annotation.quickref import card_html
from annotate.app.quickref import app_card
from annotate.models import Document
from annotate.project import init_project
from annotate.taxonomy import default_taxonomy

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "correct horse 1"
PAGES = re.compile(rb"/Type\s*/Page\b(?!s)")


def test_the_printable_card_fits_one_a4_page(browser: Any) -> None:
    page_html = card_html(app_card(default_taxonomy()))
    page = browser.new_page()
    page.set_content(page_html)
    assert len(PAGES.findall(page.pdf(format="A4"))) == 1
    # The count sees a second page when there is one (a card with 120 more key rows).
    longer = page_html.replace("</tbody></table></section></main>",
                               "<tr><td>x</td><td>y</td></tr>" * 120 + "</tbody></table></section></main>")
    assert longer != page_html
    page.set_content(longer)
    assert len(PAGES.findall(page.pdf(format="A4"))) > 1


def test_rtl_examples_keep_their_letters_in_order_inside_an_ltr_card(browser: Any) -> None:
    """An Arabic example in a code span is an isolate: its first letter is drawn right of its last."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.set_content(card_html(app_card(default_taxonomy())))
    boxes = page.evaluate("""() => [...document.querySelectorAll('code')].filter(c => c.textContent === 'عراق')
        .map(c => { const t = c.firstChild; const r = document.createRange();
                    r.setStart(t, 0); r.setEnd(t, 1); const first = r.getBoundingClientRect().left;
                    r.setStart(t, 3); r.setEnd(t, 4); return [first, r.getBoundingClientRect().left]; })""")
    assert boxes and all(first > last for first, last in boxes)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "quickref-card.png"), full_page=True)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``annotate serve`` on a project with one Arabic document and one annotator."""
    project = init_project(tmp_path_factory.mktemp("quickref") / "project")
    store = project.store()
    store.documents.put([Document.create("قالت وزارة الدفاع إن القوات ستنسحب من معسكر النصر.", lang="ar",
                                         id="doc-ar")], actor="test")
    store.users.add("sara", "annotator", PASSWORD, actor="test")
    project.close()
    with serving(["--project", str(project.path)], tmp_path_factory.mktemp("quickref-log") / "serve.log") as (_, url):
        yield url


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_guidelines_page_shows_the_card_and_downloads_the_printable_one(browser: Any, served: str,
                                                                          scheme: str) -> None:
    """What an annotator sees at 1280×720: the Guidelines page's card tab with the labeler's keys (`l` is LOC, and
    the link key says when `l` links), and its Print download is the one-page HTML card."""
    page = sign_in(browser, served, "sara", PASSWORD, width=1280, height=720, dark=scheme == "dark")
    page.locator('a[href$="/guidelines"]').first.click()
    page.get_by_role("tab", name="Quick reference card").click()
    card = page.locator(".annot-md").filter(has_text="Quick reference · guidelines")
    card.get_by_text("entity: Location (LOC)").wait_for(timeout=30_000)
    assert card.get_by_role("cell", name="LOC", exact=True).is_visible()
    link_row = card.locator("tr").filter(has_text="link the last two selected dates").first
    assert link_row.inner_text().split("\t")[0].strip() == "="  # dates are linked with =; L is only Location
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"quickref-app-{scheme}.png"))
    with page.expect_download() as info:
        page.get_by_role("button", name="Printable card (HTML, one A4 page)").click()
    downloaded = Path(info.value.path()).read_text(encoding="utf-8")
    assert downloaded.startswith("<!DOCTYPE html>") and "Quick reference · guidelines" in downloaded
    page.close()
