"""Annotation effort with and without entity suggestions: a scripted annotator in real Chromium (issue 18).

The 13 documents of the demo corpus are annotated for their entities by a scripted annotator (Playwright, Debian's
Chromium, ``annotate serve``) who knows the gold and takes the cheapest path the page offers:

* marking a name: select it (one mouse drag, counted as a click) and press its type's key;
* with suggestions: one click on "Accept N" (every pending suggestion with a confidence of 0.8 or more), then for
  each accepted entity that is wrong, click it and press Delete (or the right type's key when only the type is
  wrong); for each correct suggestion below the threshold, click it and press ``a``; the names still missing are
  marked by hand;
* one click on Submit, and one on "Submit anyway" when the page lists suggestions left pending (the date
  engine's, which this annotator leaves alone, or wrong ones below the threshold); the submitted set must hold
  exactly the gold entities (checked in the store).

Gold: every occurrence of the entity names listed for each document in ``annotate/data/demo/expected_dates.json``
(whole words, a glued clitic outside, the longer name when two overlap): 80 entities. Three conditions, each in a
fresh project:

* ``none``: no entity suggestions (the date engine's date suggestions are there and left alone);
* ``session``: the string matcher only, learning from the demo documents submitted before (in order), plus the
  live suggestions of the open document;
* ``history``: as ``session``, on a project that already holds the 150 gold documents of the suggestion corpus
  (``tests/suggest_corpus.py``) and a model trained on them. The table says how many gold names that history
  contains, since the corpus uses real institutions and places as the demo does.

Prints clicks, keystrokes and seconds per document (wall time from opening the document to the stored
submission, on a shared machine: compare the conditions, not the absolute seconds).

    .venv/bin/python benchmarks/suggest_effort.py [--conditions none,session,history]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "browser")]

import suggest_corpus as corpus  # noqa: E402
from chromium import launch  # noqa: E402
from labeler_page import SELECT_JS, u16  # noqa: E402
from served_app import open_document, serve, sign_in, wait_until  # noqa: E402

from annotate.annotation.workspace import open_workspace  # noqa: E402
from annotate.demo import DEMO_PASSWORD, demo_corpus_path, setup_demo  # noqa: E402
from annotate.models import AnnotationSet, Document  # noqa: E402
from annotate.project import Project  # noqa: E402
from annotate.store import Store  # noqa: E402
from annotate.suggest.forms import form_key  # noqa: E402
from annotate.suggest.registry import train_model  # noqa: E402
from annotate.suggest.run import suggest_project  # noqa: E402
from annotate.suggest.sets import parse_suggestion_id  # noqa: E402

THRESHOLD = 0.8
ZWNJ = "\u200c"
Gold = set[tuple[int, int, str]]


def demo_gold() -> dict[str, Gold]:
    """The gold entities of each demo document, from the names its expected file lists."""
    expected = json.loads((Path(demo_corpus_path()).parent / "expected_dates.json").read_text(encoding="utf-8"))
    texts = {json.loads(line)["id"]: json.loads(line)["text"]
             for line in Path(demo_corpus_path()).read_text(encoding="utf-8").splitlines() if line.strip()}

    def word(ch: str) -> bool:
        return ch.isalpha() or ch == ZWNJ

    out: dict[str, Gold] = {}
    for d in expected["documents"]:
        text = texts[d["doc_id"]]
        found = []
        for hint in d["entities"]:
            s = text.find(hint["text"])
            while s != -1:
                e = s + len(hint["text"])
                before_ok = s == 0 or not word(text[s - 1]) or (
                    text[s - 1] in "وبلفك" and (s < 2 or not word(text[s - 2])))
                if before_ok and (e == len(text) or not word(text[e])):
                    found.append((s, e, hint["type"]))
                s = text.find(hint["text"], s + 1)
        kept: list[tuple[int, int, str]] = []
        for span in sorted(found, key=lambda x: (x[0], -x[1])):
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        out[d["doc_id"]] = set(kept)
    return out


@dataclass
class Tally:
    """What one condition cost."""

    clicks: int = 0
    keys: int = 0
    seconds: list[float] = field(default_factory=list)
    exact: int = 0
    accepted: int = 0
    fixed: int = 0
    by_hand: int = 0
    confirmed: int = 0


def _entities(store: Store, doc_id: str) -> set[tuple[int, int, str]]:
    d = store.drafts.find(doc_id, "sara")
    aset: AnnotationSet | None = d.aset if d is not None else next(iter(store.sets.list(doc_id, "sara")), None)
    return {(m.start, m.end, m.type) for m in aset.entities} if aset is not None else set()


def annotate_document(page: Any, store: Store, doc: Document, gold: Gold, use_suggestions: bool,
                      hotkeys: dict[str, str], tally: Tally) -> None:
    """Reach ``gold`` in the browser by the cheapest path; count every click and key."""
    ws = open_workspace(store, store.taxonomy, doc.id, store.users.get("sara"))
    text = doc.text

    labels = {t.name: t.label for t in store.taxonomy.entity_types}

    def select(item_id: str, type_: str, start: int, end: int, *, own: bool) -> None:
        """Click the mark ``item_id`` (on a stretch of text only it covers when there is one) until the labeler's
        status line names it, as an annotator cycles through overlapping marks by clicking again."""
        spans = page.locator(f'.annot-mark[data-marks~="{item_id}"]')
        marks = [str(spans.nth(i).get_attribute("data-marks")).split(" ") for i in range(spans.count())]
        best = min(range(len(marks)), key=lambda i: len(marks[i]))
        want = ("" if own else "suggested ") + labels[type_] + ":"
        for _ in range(len(marks[best]) + 1):
            spans.nth(best).click()
            tally.clicks += 1
            status = page.locator(".annot-status").inner_text()
            if status.startswith(want) and text[start:end] in status:
                return
        raise AssertionError(f"could not select {item_id}: the status says {status!r}")

    def shown_as_own(ids: list[str]) -> None:
        """Wait until the labeler draws ``ids`` as the annotator's own marks (its next payload arrived)."""
        page.wait_for_function(
            """(ids) => ids.every((id) => [...document.querySelectorAll('.annot-mark')]
                 .filter((s) => s.dataset.marks.split(' ').includes(id))
                 .every((s) => !s.classList.contains('annot-suggestion')))""", arg=ids, timeout=60_000)

    def shown_gone(item_id: str, type_: str | None) -> None:
        """Wait until the labeler no longer draws ``item_id`` (or draws it with ``type_``'s label)."""
        page.wait_for_function(
            """([id, label]) => [...document.querySelectorAll('.annot-mark')]
                 .filter((s) => s.dataset.marks.split(' ').includes(id))
                 .every((s) => label !== null && s.title.includes(label))""",
            arg=[item_id, labels[type_] if type_ else None], timeout=60_000)

    if use_suggestions:
        pending = [sid for sid in ws.pending() if (p := parse_suggestion_id(sid)) and p.layer == "entity"]
        above = {sid for sid in ws.pending() if ws.confidence(sid) >= THRESHOLD}
        good_above = [sid for sid in above if (p := parse_suggestion_id(sid)) and (p.start, p.end, p.type) in gold]
        if good_above:
            page.get_by_role("button", name=f"Accept {len(above)}", exact=True).click()
            tally.clicks += 1
            wait_until(lambda: all((p.start, p.end, p.type) in _entities(store, doc.id)
                                for sid in good_above if (p := parse_suggestion_id(sid))), "accepted suggestions",
                       timeout=60)
            shown_as_own(sorted(above))
            tally.accepted += len(good_above)
            for sid in sorted(above):
                p = parse_suggestion_id(sid)
                if p is None or p.layer != "entity" or (p.start, p.end, p.type) in gold:
                    continue
                right = next((g for g in gold if g[:2] == (p.start, p.end)), None)
                select(sid, p.type, p.start, p.end, own=True)
                page.keyboard.press(hotkeys[right[2]] if right else "Delete")
                tally.keys += 1
                tally.fixed += 1
                want = (p.start, p.end, right[2]) if right else None
                wait_until(lambda p=p, want=want: (want in _entities(store, doc.id)) if want else
                        not any(e[:2] == (p.start, p.end) for e in _entities(store, doc.id)), f"fixing {sid}",
                           timeout=60)
                shown_gone(sid, right[2] if right else None)
        have = _entities(store, doc.id)
        for sid in pending:
            p = parse_suggestion_id(sid)
            if p is None or sid in above or (p.start, p.end, p.type) not in gold or (p.start, p.end, p.type) in have:
                continue
            select(sid, p.type, p.start, p.end, own=False)
            page.keyboard.press("a")
            tally.keys += 1
            tally.accepted += 1
            wait_until(lambda p=p: (p.start, p.end, p.type) in _entities(store, doc.id), f"accepting {sid}", timeout=60)
            shown_as_own([sid])
            have = _entities(store, doc.id)
    for s, e, type_ in sorted(gold - _entities(store, doc.id)):
        assert page.evaluate(SELECT_JS, [u16(text, s), u16(text, e)]) == text[s:e]
        page.keyboard.press(hotkeys[type_])
        tally.clicks += 1
        tally.keys += 1
        tally.by_hand += 1
        wait_until(lambda s=s, e=e, t=type_: (s, e, t) in _entities(store, doc.id), f"marking {text[s:e]}", timeout=60)
    page.get_by_role("button", name="Submit").click()
    tally.clicks += 1

    def submitted() -> AnnotationSet | None:
        return next((a for a in store.sets.list(doc.id, "sara") if a.status == "submitted"), None)

    anyway = page.get_by_role("button", name="Submit anyway")
    wait_until(lambda: submitted() is not None or anyway.is_visible(), "the submit or its confirmation", timeout=60)
    if submitted() is None:  # suggestions left pending (the dates', wrong ones below the threshold): confirm
        anyway.click()
        tally.clicks += 1
        tally.confirmed += 1
    saved = wait_until(submitted, "the submitted set", timeout=60)
    tally.exact += {(m.start, m.end, m.type) for m in saved.entities} == gold


def run_condition(name: str, browser: Any, gold: dict[str, Gold], workdir: Path) -> tuple[Tally, int]:
    """Annotate the demo corpus in a fresh project under condition ``name``; returns the tally and how many gold
    names the project's history already holds."""
    project: Project = setup_demo(workdir / name / "project", actor="bench").project
    store = project.store()  # the demo accounts: sara is an annotator
    known = 0
    if name == "history":
        records = corpus.fill(store, gold=corpus.DEFAULT_DOCS, actor="bench")
        train_model(project.path, store, actor="bench")
        forms = {form_key(e["text"])[0] for r in records for e in r["entities"]}
        docs = {d.id: d for d in store.documents.list()}
        known = sum(form_key(docs[doc_id].text[s:e])[0] in forms for doc_id, g in gold.items() for s, e, _ in g)
    hotkeys = {t.name: t.hotkey or "" for t in store.taxonomy.entity_types}
    tally = Tally()
    demo_ids = sorted(gold)
    with serve(project.path) as url:
        page = sign_in(browser, url, "sara", DEMO_PASSWORD, width=1280, height=900)
        for doc_id in demo_ids:
            if name != "none":
                list(suggest_project(project.path, store, [doc_id], actor="curator"))  # learns what was submitted
            doc = store.documents.get(doc_id)
            started = time.perf_counter()
            open_document(page, url, doc_id)
            annotate_document(page, store, doc, gold[doc_id], name != "none", hotkeys, tally)
            tally.seconds.append(time.perf_counter() - started)
            print(f"  {name} {doc_id}: {tally.clicks} clicks, {tally.keys} keys so far", flush=True)
    project.close()
    return tally, known


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--conditions", default="none,session,history")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    gold = demo_gold()
    n = sum(len(g) for g in gold.values())
    results = {}
    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="annotate-effort-") as tmp:
        browser = launch(p)
        for name in args.conditions.split(","):
            results[name] = run_condition(name, browser, gold, Path(tmp))
        browser.close()
    print(f"\n{len(gold)} demo documents, {n} gold entities; accept threshold {THRESHOLD}")
    print(f"{'condition':<10}{'clicks':>8}{'keys':>7}{'actions/doc':>13}{'s/doc':>8}{'exact':>7}"
          f"{'accepted':>10}{'fixed':>7}{'by hand':>9}{'confirmed':>11}{'names known':>13}")
    for name, (t, known) in results.items():
        docs = len(t.seconds)
        print(f"{name:<10}{t.clicks:>8}{t.keys:>7}{(t.clicks + t.keys) / docs:>13.1f}"
              f"{sum(t.seconds) / docs:>8.1f}{f'{t.exact}/{docs}':>7}{t.accepted:>10}{t.fixed:>7}{t.by_hand:>9}"
              f"{t.confirmed:>11}"
              f"{(f'{known}/{n}' if name == 'history' else '-'):>13}")


if __name__ == "__main__":
    main()
