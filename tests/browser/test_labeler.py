"""The labeler in real headless Chromium: RTL selection -> hotkey -> exact code-point offsets; no script runs.

Starts ``streamlit run tests/apps/labeler_harness.py`` per document and drives Debian's chromium with playwright.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from labeler_page import CARET_JS, SELECT_JS, u16
from shared_data import SEEDS, require

from annotate.serve import free_port

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
ZWNJ = "\u200c"
XSS = '<script>window.__pwned=1</script> و <img src=x onerror="window.__pwned=1"> خبر'




class Harness:
    def __init__(self, doc: Path, lang: str, **extra_env: str) -> None:
        self.port = free_port()
        self.log = tempfile.TemporaryFile()
        env = {**os.environ, "LABELER_DOC": str(doc), "LABELER_LANG": lang, "PYTHONPATH": str(ROOT), **extra_env}
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "streamlit"), "run", str(ROOT / "tests/apps/labeler_harness.py"),
             "--server.headless", "true", "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            # A file, not a pipe: nobody reads streamlit's output while it runs (a full pipe would stall it), and
            # stop() closes it (an unread pipe left open was a ResourceWarning at teardown).
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}/"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.log.seek(0)
        out = self.log.read().decode("utf-8", "replace")
        self.stop()
        raise RuntimeError("streamlit did not start:\n" + out)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        self.log.close()



@pytest.fixture(scope="module")
def persian_doc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seed 002 (Persian, Persian digits) with one added line that has ZWNJs (the scraped seeds lost theirs)."""
    seed = require(SEEDS / "002_f3ac28793e446b22.txt", "the seed corpus").read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("docs") / "fa.txt"
    path.write_text(f"سخنگوی ائتلاف گفت نیروها به{ZWNJ}زودی از عراق خارج می{ZWNJ}شوند.\n" + seed, encoding="utf-8")
    return path


def _open(browser: Any, harness: Harness) -> Any:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(harness.url)
    page.wait_for_selector(".annot-doc .annot-mark, .annot-doc:not(:empty)", timeout=30_000)
    return page


def _state(page: Any) -> dict[str, Any]:
    return json.loads(page.locator('[data-testid="stText"]').inner_text())


def _wait_state(page: Any, pred: Any, timeout: float = 15) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            s = _state(page)
            if pred(s):
                return s
        except (json.JSONDecodeError, Exception) as exc:  # the element re-renders while we read it
            if time.monotonic() > deadline:
                raise AssertionError(f"state never matched: {exc}") from exc
        if time.monotonic() > deadline:
            raise AssertionError(f"state never matched; last: {s}")
        time.sleep(0.1)




PICK_UNMARKED_WORD_JS = """(skip) => {
  const doc = document.querySelector('.annot-doc');
  let seen = 0;
  for (const n of doc.childNodes) {
    if (n.nodeType !== Node.TEXT_NODE) continue;
    const m = /[^\\s.,،:«»"()]{3,}/.exec(n.data);
    if (!m || seen++ < skip * 7) continue;
    const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
    const sel = document.getSelection(); sel.removeAllRanges(); sel.addRange(r);
    document.querySelector('.annot-labeler').focus();
    return m[0];
  }
  throw new Error('no unmarked word');
}"""



def _frozen(path: Path) -> str:
    from annotate.models import freeze_text

    return freeze_text(path.read_text(encoding="utf-8"))


def test_rtl_selection_and_hotkeys_give_exact_offsets(browser: Any, persian_doc: Path) -> None:
    text = _frozen(persian_doc)
    h = Harness(persian_doc, "fa")
    try:
        page = _open(browser, h)
        assert page.locator(".annot-doc").get_attribute("dir") == "rtl"
        cases = [
            (f"به{ZWNJ}زودی", "p", "PER"),  # a span containing ZWNJ
            ("۱۳۸۲/۱۰/۱۷", "l", "LOC"),  # Persian digits
            ("خارج میشویم", "o", "ORG"),  # at the end of the title line
        ]
        for n, (piece, key, typ) in enumerate(cases, start=1):
            s = text.index(piece)
            if piece == "خارج میشویم":
                assert text[s + len(piece)] == "\n"
            got = page.evaluate(SELECT_JS, [u16(text, s), u16(text, s + len(piece))])
            assert got == piece
            page.keyboard.press(key)
            state = _wait_state(page, lambda st, n=n: len(st["entities"]) == n)
            m = next(x for x in state["entities"] if x["start"] == s)
            assert (m["start"], m["end"], m["text"], m["type"]) == (s, s + len(piece), piece, typ)
            assert text[m["start"] : m["end"]] == m["text"]
        # With the mouse: drag across the word عراق in the ZWNJ line (scrolled into view by its first mark),
        # right to left, in RTL reading order.
        s = text.index("عراق")
        rect = page.evaluate(
            """([s, e]) => { const doc = document.querySelector('.annot-doc');
              const w = document.createTreeWalker(doc, NodeFilter.SHOW_TEXT); let pos = 0, n;
              while ((n = w.nextNode())) { if (s < pos + n.data.length) break; pos += n.data.length; }
              document.querySelector('.annot-mark').scrollIntoView({block: 'center', behavior: 'instant'});
              const r = document.createRange(); r.setStart(n, s - pos); r.setEnd(n, e - pos);
              const b = r.getBoundingClientRect(); return [b.left, b.right, b.top, b.bottom]; }""",
            [u16(text, s), u16(text, s + 4)],
        )
        left, right, top, bottom = rect
        y = (top + bottom) / 2
        page.mouse.move(right - 1, y)
        page.mouse.down()
        page.mouse.move((left + right) / 2, y, steps=3)
        page.mouse.move(left + 1, y, steps=3)
        page.mouse.up()
        sel = page.evaluate("[document.getSelection().toString(), document.activeElement.className]")
        assert sel == ["عراق", "annot-labeler"], (sel, rect)
        page.keyboard.press("g")
        state = _wait_state(page, lambda st: len(st["entities"]) == 4)
        m = next(x for x in state["entities"] if x["type"] == "GPE")
        assert (m["start"], m["end"], m["text"]) == (s, s + 4, "عراق")
        # Select the new mark by clicking it, change its type with a hotkey, then delete it.
        page.locator(f'.annot-mark[data-marks~="{m["id"]}"]').first.click()
        page.keyboard.press("f")
        _wait_state(page, lambda st: any(x["id"] == m["id"] and x["type"] == "FAC" for x in st["entities"]))
        page.keyboard.press("Delete")
        state = _wait_state(page, lambda st: len(st["entities"]) == 3)
        assert state["errors"] == []
        page.keyboard.press("Control+s")
        _wait_state(page, lambda st: st["saves"] == 1)
        page.keyboard.press("?")
        assert page.locator(".annot-help").is_visible()
        assert "link the last two selected dates" in page.locator(".annot-help").inner_text()
        page.keyboard.press("?")
        assert not page.locator(".annot-help").is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator(".annot-mark").first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "labeler-fa.png"))
    finally:
        h.stop()


@pytest.mark.parametrize("how", ["mouse-like range", "caret then shift+arrows"])
def test_a_selection_made_while_marks_are_on_their_way_survives_the_redraw(
    browser: Any, persian_doc: Path, how: str
) -> None:
    """The server answers 1.5 s late; meanwhile the annotator selects the next span (or puts the caret down and
    extends it with the keyboard).  The redraw with the first mark keeps that selection, direction included."""
    text = _frozen(persian_doc)
    h = Harness(persian_doc, "fa", LABELER_DELAY_MS="1500")
    try:
        page = _open(browser, h)
        renders = lambda: int(page.locator(".annot-labeler").get_attribute("data-renders"))  # noqa: E731
        before = renders()
        first, second = f"به{ZWNJ}زودی", "عراق"
        s1, s2 = text.index(first), text.index(second)
        page.evaluate(SELECT_JS, [u16(text, s1), u16(text, s1 + len(first))])
        page.keyboard.press("p")
        if how == "mouse-like range":
            page.evaluate(SELECT_JS, [u16(text, s2), u16(text, s2 + len(second))])
        else:
            page.evaluate(CARET_JS, u16(text, s2))
            page.keyboard.press("Shift+ArrowLeft")  # forward in RTL: the first letter; the rest after the redraw
        assert renders() == before, "the first mark came back before the second selection was made"
        _wait_state(page, lambda st: len(st["entities"]) == 1)
        page.wait_for_function(f"Number(document.querySelector('.annot-labeler').dataset.renders) > {before}")
        if how != "mouse-like range":
            for _ in second[1:]:
                page.keyboard.press("Shift+ArrowLeft")
        assert page.evaluate("document.getSelection().toString()") == second
        page.keyboard.press("g")
        state = _wait_state(page, lambda st: len(st["entities"]) == 2)
        got = {(m["start"], m["end"], m["type"]) for m in state["entities"]}
        assert got == {(s1, s1 + len(first), "PER"), (s2, s2 + len(second), "GPE")}
    finally:
        h.stop()


def test_arabic_seed_renders_joined_and_screenshot(browser: Any) -> None:
    seed = require(SEEDS / "003_8f11cceb5d17d0e9.txt", "the seed corpus")
    text = _frozen(seed)
    h = Harness(seed, "ar")
    try:
        page = _open(browser, h)
        piece = "تحسين الخفاجي"
        s = text.index(piece)
        page.evaluate(SELECT_JS, [u16(text, s), u16(text, s + len(piece))])
        page.keyboard.press("p")
        state = _wait_state(page, lambda st: len(st["entities"]) == 1)
        assert (state["entities"][0]["text"], state["entities"][0]["start"]) == (piece, s)
        # Keyboard selection: a caret before العراق, then shift+ArrowLeft (forward in RTL) six times.
        piece = "العراق"
        s = text.index(piece)
        page.evaluate(CARET_JS, u16(text, s))
        for _ in piece:
            page.keyboard.press("Shift+ArrowLeft")
        assert page.evaluate("document.getSelection().toString()") == piece
        page.keyboard.press("g")
        state = _wait_state(page, lambda st: len(st["entities"]) == 2)
        m = next(x for x in state["entities"] if x["type"] == "GPE")
        assert (m["start"], m["end"], m["text"]) == (s, s + len(piece), piece)
        # The rendered text is the document text, in order, whatever the marks.
        assert page.evaluate("document.querySelector('.annot-doc').textContent") == text
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator(".annot-labeler").screenshot(path=str(ARTIFACTS / "labeler-ar.png"))
    finally:
        h.stop()


def test_markup_in_the_text_is_shown_and_never_run(browser: Any, tmp_path: Path) -> None:
    doc = tmp_path / "xss.txt"
    doc.write_text("خبر عاجل\n" + XSS + "\n", encoding="utf-8")
    h = Harness(doc, "ar")
    try:
        page = _open(browser, h)
        shown = page.evaluate("document.querySelector('.annot-doc').textContent")
        assert XSS in shown
        assert page.locator(".annot-doc script, .annot-doc img").count() == 0
        piece = "<img"
        text = _frozen(doc)
        s = text.index(piece)
        page.evaluate(SELECT_JS, [s, s + len(piece)])
        page.keyboard.press("o")
        state = _wait_state(page, lambda st: len(st["entities"]) == 1)
        assert state["entities"][0]["text"] == piece
        time.sleep(0.5)
        for frame in page.frames:
            assert frame.evaluate("typeof window.__pwned") == "undefined"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "labeler-xss.png"))
    finally:
        h.stop()


def test_20k_characters_with_500_marks_render_completely(browser: Any, tmp_path: Path) -> None:
    """A large document renders every mark and every character, and still takes new marks (speed: benchmarks/)."""
    seeds = [(SEEDS / f).read_text(encoding="utf-8") for f in sorted(os.listdir(SEEDS)) if f.endswith(".txt")]
    text = ""
    while len(text) < 20_000:
        text += "\n\n".join(seeds) + "\n\n"
    text = text[:20_000].rsplit(" ", 1)[0] + "."
    doc = tmp_path / "big.txt"
    doc.write_text(text, encoding="utf-8")
    h = Harness(doc, "fa", LABELER_PREFILL="500")
    try:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(h.url)
        page.wait_for_function("document.querySelectorAll('.annot-doc .annot-mark').length >= 500", timeout=30_000)
        assert page.evaluate("new Set([...document.querySelectorAll('.annot-mark')]"
                             ".flatMap(s => s.dataset.marks.split(' '))).size") == 500
        assert page.evaluate("document.querySelector('.annot-doc').textContent.length") == len(text)
        for i in range(3):
            page.evaluate(PICK_UNMARKED_WORD_JS, i)
            page.keyboard.press("p")
            page.wait_for_function(f"new Set([...document.querySelectorAll('.annot-mark')]"
                                   f".flatMap(s => s.dataset.marks.split(' '))).size >= {501 + i}", timeout=10_000)
        assert _state(page)["errors"] == []
    finally:
        h.stop()


def test_engine_suggestions_are_dashed_and_accepted_with_hotkeys(browser: Any) -> None:
    seed = require(SEEDS / "000_caf881ae1f897771.txt", "the seed corpus")
    h = Harness(seed, "fa", LABELER_SUGGEST="1", LABELER_REF="2020-02-02")
    try:
        page = _open(browser, h)
        page.wait_for_selector(".annot-suggestion", timeout=15_000)
        n = page.evaluate("new Set([...document.querySelectorAll('.annot-suggestion')]"
                          ".flatMap(s => s.dataset.marks.split(' '))).size")
        assert n >= 2
        deco = page.evaluate("getComputedStyle(document.querySelector('.annot-suggestion')).textDecorationStyle")
        assert deco == "dashed"
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator(".annot-suggestion").first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "labeler-suggestions.png"))
        page.locator(".annot-labeler").focus()
        page.keyboard.press("j")
        page.keyboard.press("a")
        state = _wait_state(page, lambda st: len(st["dates"]) == 1)
        page.keyboard.press("j")
        page.keyboard.press("r")
        state = _wait_state(page, lambda st: len(st["metadata"].get("rejected_suggestions", [])) == 1)
        page.keyboard.press("Shift+A")
        state = _wait_state(page, lambda st: len(st["dates"]) == n - 1)
        # The labeler draws what the run sent it a moment after the run's other elements.
        page.wait_for_function("document.querySelectorAll('.annot-suggestion').length === 0", timeout=10_000)
        text = _frozen(seed)
        assert all(text[d["start"] : d["end"]] == d["text"] for d in state["dates"])
        assert state["errors"] == []
    finally:
        h.stop()
