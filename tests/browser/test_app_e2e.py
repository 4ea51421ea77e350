"""The whole app in real headless Chromium: ``annotate serve`` on a project with the seeds, sign in, annotate, save.

Every assertion on offsets reads the STORED annotation set back through the store, so the browser's UTF-16
selection, the component, the page, the workspace and the store are all on the path.  Screenshots go to
test-artifacts/ (app-e2e-*.png).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from labeler_page import SELECT_JS, u16
from served_app import ARTIFACTS, open_in_picker, seeded_project, sign_in, wait_until
from serving import serving

from annotate.annotation.prelabel import prelabel
from annotate.models import AnnotationSet, Document
from annotate.project import Project
from annotate.store import Store
from annotate.text.bidi import quote

pytestmark = pytest.mark.browser

ZWNJ = "\u200c"
PASSWORD = "correct horse 1"
DOC_TEXT = (
    f"سخنگوی ائتلاف گفت نیروهای سازمان ملل{ZWNJ}متحد به{ZWNJ}زودی از عراق\n"
    f"این تصمیم روز ۱۰ بهمن ۱۳۹۸ (30 ژانویه 2020) گرفته شد و نیروها خارج می{ZWNJ}شوند.\n"
)
XSS = '<script>window.__pwned=1</script> و <img src=x onerror="window.__pwned=1"> خبر'


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Project]]:
    """``annotate serve`` on a fresh project: seeds imported and pre-labelled, two test documents, one annotator."""
    project = seeded_project(tmp_path_factory.mktemp("e2e"))
    store = project.store()
    store.documents.put(
        [
            Document.create(DOC_TEXT, lang="fa", id="doc-e2e", reference_date="2020-02-02"),
            Document.create("خبر عاجل\n" + XSS + "\n", lang="ar", id="doc-xss"),
        ],
        actor="test",
    )
    list(prelabel(store, actor="test"))
    store.users.add("sara", "annotator", PASSWORD, actor="test")
    project.close()
    with serving(["--project", str(project.path)], tmp_path_factory.mktemp("e2e-log") / "serve.log") as (_, url):
        yield url, project


def _open_doc(browser: Any, url: str, doc_id: str) -> Any:
    """Sign in on the front page, go to the annotation page through the navigation, pick ``doc_id``."""
    page = sign_in(browser, url, "sara", PASSWORD, width=1500, height=1000)
    open_in_picker(page, doc_id)
    return page


def _draft(store: Store, doc_id: str) -> AnnotationSet | None:
    d = store.drafts.find(doc_id, "sara")
    return d.aset if d is not None else None


def _pick(page: Any, label: str, option: str) -> None:
    """Choose ``option`` in the Streamlit selectbox labelled ``label`` and see it chosen.

    A rerun triggered by the previous widget can replace the box while its list is open; then try again.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    for _ in range(4):
        box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
        try:
            box.click(timeout=5_000)
            page.get_by_role("option", name=option).first.click(timeout=5_000)
            chosen = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first.get_by_role("combobox")
            expect(chosen).to_have_value(option, timeout=5_000)
            return
        except (PlaywrightTimeout, AssertionError):
            page.keyboard.press("Escape")
    raise AssertionError(f"could not choose {option!r} in the {label!r} box")


def test_annotate_link_argue_save_exact_offsets(browser: Any, served: tuple[str, Project]) -> None:
    url, project = served
    store = project.store()
    page = _open_doc(browser, url, "doc-e2e")
    text = store.documents.get("doc-e2e").text
    assert page.locator(".annot-doc").get_attribute("dir") == "rtl"
    assert page.evaluate("document.querySelector('.annot-doc').textContent") == text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app-e2e-open.png"), full_page=True)

    cases = [
        (f"سازمان ملل{ZWNJ}متحد", "o", "entities", "ORG"),  # a span containing ZWNJ
        ("۱۰ بهمن ۱۳۹۸", "d", "dates", None),  # Persian digits
        ("عراق", "g", "entities", "GPE"),  # at the end of a line
        ("30 ژانویه 2020", "d", "dates", None),
        (f"خارج می{ZWNJ}شوند", "5", "events", "WITHDRAWAL"),  # trigger with ZWNJ
    ]
    for piece, key, layer, typ in cases:
        s = text.index(piece)
        if piece == "عراق":
            assert text[s + len(piece)] == "\n"
        assert page.evaluate(SELECT_JS, [u16(text, s), u16(text, s + len(piece))]) == piece
        page.keyboard.press(key)

        def stored(s: int = s, layer: str = layer) -> Any:
            aset = _draft(store, "doc-e2e")
            items = getattr(aset, layer) if aset else []
            return next((x for x in items if (x.trigger.start if layer == "events" else x.start) == s), None)

        try:
            got = wait_until(stored, f"{piece} in the draft")
        except AssertionError:
            page.screenshot(path=str(ARTIFACTS / "app-e2e-failed.png"), full_page=True)
            raise AssertionError(f"{piece}: labeler says {page.locator('.annot-status').inner_text()!r}") from None
        # Wait until the browser has drawn it too: a redraw replaces the text nodes (and the next selection).
        page.wait_for_selector(f'.annot-mark[data-marks~="{got.id}"]', timeout=15_000)
        span = got.trigger if layer == "events" else got
        assert (span.start, span.end, span.text) == (s, s + len(piece), piece)
        assert text[span.start : span.end] == piece
        if typ:
            assert got.type == typ
    # The event is selected after it is made: its panel offers the roles of WITHDRAWAL.
    page.get_by_text("Unfilled roles: actor, origin, time").wait_for(timeout=15_000)
    _pick(page, "Role", "origin")
    _pick(page, "Mention", f"GPE {quote('عراق')}")
    page.get_by_role("button", name="Add argument").click()
    page.get_by_text("Unfilled roles: actor, time").wait_for(timeout=15_000)
    # The withdrawal is announced for later: modality other, tense future (guidelines §4.3), in the event panel.
    for attribute, value in (("Modality", "other"), ("Tense", "future")):
        page.locator('[data-testid="stRadio"]').filter(has_text=attribute).first.get_by_text(value, exact=True).click()
        field = attribute.lower()
        wait_until(lambda a=field, v=value: (d := _draft(store, "doc-e2e")) and d.events
              and str(getattr(d.events[0], a)) == v, f"{attribute} {value} in the draft")
        checked = ('() => [...document.querySelectorAll(\'[data-testid="stRadio"]\')].filter(g => g.innerText'
                   f'.startsWith("{attribute}")).map(g => g.querySelector("label:has(input:checked)")?.innerText)')
        page.wait_for_function(f"({checked})().includes('{value}')", timeout=15_000)
    page.screenshot(path=str(ARTIFACTS / "app-e2e-event-attributes.png"), full_page=True)

    # Link the two dates: click one, then the other, then = (same_date).
    aset = _draft(store, "doc-e2e")
    assert aset is not None
    d1, d2 = aset.dates
    page.locator(f'.annot-mark[data-marks~="{d1.id}"]').first.click()
    page.locator(f'.annot-mark[data-marks~="{d2.id}"]').first.click()
    page.keyboard.press("=")
    wait_until(lambda: (_draft(store, "doc-e2e") or aset).links, "the link in the draft")
    page.screenshot(path=str(ARTIFACTS / "app-e2e-annotated.png"), full_page=True)

    page.get_by_role("button", name="Save", exact=True).click()
    saved = wait_until(lambda: _saved(store), "the saved revision")
    assert _draft(store, "doc-e2e") is None
    ents = {m.type: m for m in saved.entities}
    zs = text.index(f"سازمان ملل{ZWNJ}متحد")
    assert (ents["ORG"].start, ents["ORG"].end, ents["ORG"].text) == (zs, zs + 15, f"سازمان ملل{ZWNJ}متحد")
    assert ZWNJ in ents["ORG"].text
    gs = text.index("عراق")
    assert (ents["GPE"].start, ents["GPE"].end) == (gs, gs + 4) and text[gs + 4] == "\n"
    solar = next(d for d in saved.dates if d.text == "۱۰ بهمن ۱۳۹۸")
    assert solar.start == text.index("۱۰ بهمن ۱۳۹۸") and str(solar.gregorian_start) == "2020-01-30"
    (link,) = saved.links
    assert {link.source, link.target} == {d.id for d in saved.dates} and link.consistent
    (event,) = saved.events
    assert [(a.role, a.ref) for a in event.arguments] == [("origin", ents["GPE"].id)]
    assert event.attributes() == {"modality": "other", "polarity": "positive", "tense": "future"}
    for _, span in saved.spans():
        assert text[span.start : span.end] == span.text
    page.get_by_text("revision 1").first.wait_for(timeout=10_000)
    page.locator(".annot-mark").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "app-e2e-saved.png"), full_page=True)


def _saved(store: Store) -> AnnotationSet | None:
    sets = store.sets.list("doc-e2e", "sara")
    return sets[0] if sets else None


def test_markup_in_a_document_is_text_and_never_runs(browser: Any, served: tuple[str, Project]) -> None:
    url, _ = served
    page = _open_doc(browser, url, "doc-xss")
    assert XSS in page.evaluate("document.querySelector('.annot-doc').textContent")
    assert page.locator(".annot-doc script, .annot-doc img").count() == 0
    time.sleep(0.5)
    for frame in page.frames:
        assert frame.evaluate("typeof window.__pwned") == "undefined"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app-e2e-xss.png"), full_page=True)


def test_arabic_seed_renders_in_order(browser: Any, served: tuple[str, Project]) -> None:
    url, project = served
    store = project.store()
    doc = next(d for d in store.documents.list() if d.lang == "ar")
    page = _open_doc(browser, url, doc.id)
    assert page.evaluate("document.querySelector('.annot-doc').textContent") == doc.text
    page.wait_for_selector(".annot-suggestion", timeout=15_000)
    page.locator(".annot-suggestion").first.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app-e2e-ar.png"))
