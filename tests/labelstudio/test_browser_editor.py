"""What a Label Studio annotator meets, in the real 1.23.2 editor (Debian chromium at 1280x720, driven by
playwright): right-to-left text that still gives exact code-point offsets, a hotkey that changes a region's
label, what ``required`` makes the editor ask, readable colours, controls beside the text, no stray hotkeys, and
annotate's feedback and the engine's inconsistent links shown in the task.

Each test pushes its own project, acts in the editor, reads what Label Studio saved through the API, and pulls
it into the store.  Screenshots land in ``test-artifacts/ls-editor-*.png``.
"""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ls_helpers import (
    LiveServer,
    click_word,
    linked_project_id,
    modal_text,
    open_task,
    select_word,
    submit,
    task_id,
    wait_for_annotations,
)

from annotate.annotation.prelabel import ENGINE_AUTHOR, prelabel
from annotate.labelstudio import config as c
from annotate.labelstudio.convert import READ_NOTE, to_ls_result
from annotate.labelstudio.sync import pull_project, push_project
from annotate.models import Calendar, Document, NativeDate
from annotate.project import Project

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

EMOJI_TEXT = "😀😀 a𝒳b گفت\u200cوگو در دوحه end"

# A Dari news report written for these tests: long enough to scroll at 1280x720, with a consistent date
# apposition (12 Hut... written here with Iranian month names), an inconsistent one, and a killing.
LONG = "\n\n".join([
    "وزیران خارجه‌ی دو کشور روز ۱۲ اسفند ۱۳۹۹ (۲ مارس ۲۰۲۱) در شهر کابل با یکدیگر دیدار کردند و درباره‌ی "
    "آینده‌ی گفت‌وگوهای صلح سخن گفتند.",
    "به گفته‌ی سخنگوی وزارت خارجه، این نشست دو ساعت طول کشید و دو طرف بر ادامه‌ی همکاری‌های اقتصادی و گسترش "
    "راه‌های ترانزیتی تأکید کردند.",
    "نمایندگان اتاق بازرگانی نیز در حاشیه‌ی این دیدار فهرستی از طرح‌های مشترک را ارائه کردند که ساخت یک بندر خشک "
    "و نوسازی گمرک‌های مرزی از جمله‌ی آن‌هاست.",
    "کارشناسان اقتصادی می‌گویند اجرای این طرح‌ها دست‌کم سه سال زمان می‌برد و به سرمایه‌گذاری چندصد میلیون دلاری "
    "نیاز دارد.",
    "در همین حال، گزارش‌ها حاکی است که یک فرمانده محلی به نام احمد رحیمی روز ۱۴ اسفند ۱۳۹۹ برابر با ۶ مارس ۲۰۲۱ "
    "در ولایت هرات کشته شد.",
    "مقام‌های محلی هنوز درباره‌ی جزئیات این رویداد توضیحی نداده‌اند و گروهی مسئولیت آن را بر عهده نگرفته است.",
    "ساکنان منطقه به خبرنگاران گفتند که صدای تیراندازی تا نیمه‌شب شنیده می‌شد و بسیاری از خانواده‌ها خانه‌های خود "
    "را ترک کردند.",
    "سازمان‌های امدادی اعلام کردند که کمک‌های غذایی و دارویی در روزهای آینده به آوارگان می‌رسد.",
    "وزارت خارجه در پایان اعلام کرد که نشست بعدی دو هیئت در ماه حمل در شهر هرات برگزار خواهد شد.",
])


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"ls-editor-{name}.png"))


def pushed(project: Project, server: LiveServer, doc: Document, *, prefill: bool) -> tuple[int, int]:
    """Push ``doc`` pre-labelled by the engine; ``prefill`` False: the editor starts from an empty annotation.

    Label Studio 1.23.2 copies a task's prediction into the annotation it opens even with the project's
    ``show_collab_predictions`` off, so the prediction is deleted instead."""
    store = project.store()
    store.documents.put([doc], actor="test")
    list(prelabel(store, actor="test"))
    push_project(project, actor="test", title=f"editor {doc.id}")
    pid = linked_project_id(store)
    tid = task_id(store, doc.id)
    if not prefill:
        client = server.client()
        for prediction in client.sdk.predictions.list(task=tid):
            client.sdk.predictions.delete(id=prediction.id)
    return pid, tid


def long_doc() -> Document:
    return Document.create(LONG, lang="prs", id="long-prs", reference_date="2021-03-08")


def layers(aset: Any) -> dict[str, Any]:
    return aset.model_dump(mode="json", include={"entities", "dates", "events", "links"})


# --- offsets ------------------------------------------------------------------------------------------------


def test_selection_after_emoji_is_stored_in_code_points(ls_page: Any, ls_env: LiveServer, project: Project) -> None:
    """The RTL style must not change what the editor counts: a word after two emoji and a mathematical letter."""
    pid, tid = pushed(project, ls_env, Document.create(EMOJI_TEXT, lang="fa", id="doc-emoji"), prefill=False)
    open_task(ls_page, ls_env, pid, tid)
    ls_page.keyboard.press("g")  # the GPE hotkey from the taxonomy
    select_word(ls_page, "دوحه")
    submit(ls_page)
    (ann,) = wait_for_annotations(ls_env.client(), tid)
    (region,) = [r for r in ann["result"] if r["type"] == "labels"]
    start = EMOJI_TEXT.index("دوحه")
    assert (region["value"]["start"], region["value"]["end"], region["value"]["text"]) == (start, start + 4, "دوحه")
    assert region["value"]["labels"] == ["GPE"] and region["from_name"] == c.LABELS
    assert pull_project(project, actor="test").errors == []
    (entity,) = project.store().sets.get("doc-emoji", "admin").entities
    assert (entity.start, entity.end, entity.text, entity.type) == (start, start + 4, "دوحه", "GPE")


# --- what the annotator sees --------------------------------------------------------------------------------

CHOSEN_JS = """() => ({
  choices: [...document.querySelectorAll('.lsf-choice input:checked')].map(e => e.closest('.lsf-choice').innerText
                                                                           .replace(/\\[[^\\]]*\\]/, '').trim()),
  taxonomy: [...document.querySelectorAll('.htx-taxonomy .ant-select-selection-item')].map(e => e.innerText),
})"""
"""The choices checked and the month-name set chosen for the selected region."""

LAYOUT_JS = """() => {
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const text = document.querySelector('.lsf-htx-richtext');
  const lines = [...text.querySelectorAll('.lsf-richtext__line')].filter(l => l.textContent.length > 0);
  const first = lines[0];
  const nodes = [];
  const walker = document.createTreeWalker(first, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.length) nodes.push(n);
  const [start, end] = [nodes[0], nodes[nodes.length - 1]];
  // the first and the last character of the first paragraph, where they are drawn
  const range = document.createRange();
  range.setStart(start, 0); range.setEnd(start, 1); const head = box(range);
  range.setStart(end, end.length - 1); range.setEnd(end, end.length); const tail = box(range);
  const labels = document.querySelector('.lsf-labels');
  return {
    direction: getComputedStyle(text).direction, align: getComputedStyle(text).textAlign,
    lineDirection: getComputedStyle(first).direction, lineAlign: getComputedStyle(first).textAlign,
    text: box(text), line: box(first), head, tail, labels: box(labels),
    firstChar: start.data[0], lastChar: end.data[end.length - 1],
  };
}"""


def test_long_text_reads_right_to_left_with_labels_beside_it(
    ls_page: Any, ls_env: LiveServer, project: Project
) -> None:
    pid, tid = pushed(project, ls_env, long_doc(), prefill=True)
    open_task(ls_page, ls_env, pid, tid)
    shot(ls_page, "long-task")
    got = ls_page.evaluate(LAYOUT_JS)
    assert (got["direction"], got["align"], got["lineDirection"], got["lineAlign"]) == ("rtl", "right", "rtl",
                                                                                        "right")
    _, _, right, bottom = got["text"]
    assert (got["firstChar"], got["lastChar"]) == ("و", ".")
    # right to left: the paragraph starts at the right edge of the text and its final "." ends at the left
    assert got["head"][2] > right - 20, (got["head"], got["text"])
    assert got["tail"][0] < got["head"][0] and got["tail"][1] > got["head"][1]  # last line, further left
    # the labels are beside the text, in view, not below it
    l_left, l_top, _, _ = got["labels"]
    assert l_left > right and l_top < 720 / 2
    assert bottom > 720, "the document should be longer than the screen for this check"

    # A date far down the text: selecting it shows its fields beside it, in view.
    click_word(ls_page, "۱۴ اسفند ۱۳۹۹")
    header = ls_page.get_by_text("Selected date", exact=True)
    hl, ht, _, hb = header.evaluate("(e) => { const r = e.getBoundingClientRect(); "
                                     "return [r.left, r.top, r.right, r.bottom]; }")
    assert hl > right and 0 <= ht and hb <= 720, (hl, ht, hb)
    for name in ("Calendar", "Month-name set", "Native value", "Granularity", "Flags", "Note"):
        assert ls_page.get_by_text(re.compile(f"^{name}")).first.is_visible(), name
    shot(ls_page, "long-task-date-selected")

    # The engine's inconsistent link is a red relation of its own, and the date says why.
    assert ls_page.get_by_text(c.SAME_DATE_INCONSISTENT, exact=True).first.is_visible()
    assert ls_page.get_by_text("same_date with '۶ مارس ۲۰۲۱' is inconsistent").first.is_visible()

    # No stray hotkeys: Label Studio binds the next free key to every choice without one; ours all have theirs.
    hints = ls_page.evaluate("() => [...document.querySelectorAll('.lsf-choice')].map(e => e.innerText)")
    keys = [m.group(1) for h in hints for m in [re.search(r"\[([^\]]+)\]\s*$", h)] if m]
    configured = {k for ctl in c.CONTROLS for k in ctl.hotkeys.values()}
    assert len(keys) == len(hints) and set(keys) == configured, hints
    before = ls_page.evaluate(CHOSEN_JS)
    assert before["choices"] == ["Solar Hijri", "day"] and len(before["taxonomy"]) == 1, before
    for key in "0qwetasz":
        ls_page.keyboard.press(key)  # the keys Label Studio would have given to our choices
    time.sleep(0.3)
    assert ls_page.evaluate(CHOSEN_JS) == before
    ls_page.keyboard.press("Shift+G")  # ours do work: the calendar of the selected date
    time.sleep(0.3)
    assert ls_page.evaluate(CHOSEN_JS)["choices"] == ["Gregorian", "day"]
    ls_page.keyboard.press("Shift+S")

    # The month-name set takes one value: a second one is refused until the first is cleared.
    ls_page.locator(".htx-taxonomy").last.click()
    ls_page.get_by_text(c.LEXICON_NAMES["fa-AF"]).last.click()
    ls_page.keyboard.press("Escape")
    chosen = ls_page.locator(".htx-taxonomy").last.locator(".ant-select-selection-item")
    assert chosen.count() == 1 and chosen.inner_text().strip() == c.LEXICON_NAMES["solar-IR"]

    # Relations take one label: choosing another replaces it.
    ls_page.locator(".lsf-panel-tabs__tab", has_text="Relations").first.click()
    items = ls_page.locator(".lsf-relations__item")
    for i in range(items.count()):
        items.nth(i).hover()
        items.nth(i).get_by_role("button", name="Show Relation Labels").click()
    meta = ls_page.locator(".lsf-relation-meta", has_text=c.SAME_DATE_INCONSISTENT)

    def relabel(old: str, new: str) -> None:
        ls_page.locator(f"[data-testid='select-trigger-{old}']").click()
        ls_page.get_by_role("option", name=new, exact=True).click()
        ls_page.keyboard.press("Escape")
        time.sleep(0.3)

    assert meta.count() == 1
    relabel(c.SAME_DATE_INCONSISTENT, "time")
    assert ls_page.locator("[data-testid='select-trigger-time']").inner_text().strip() == "time"  # not both
    shot(ls_page, "relation-single-choice")
    relabel("time", c.SAME_DATE_INCONSISTENT)  # back: the prediction is accepted as it is below

    # Accepting the prediction as it is stores the engine's set.
    ls_page.keyboard.press("Escape")
    submit(ls_page)
    assert modal_text(ls_page) == ""
    wait_for_annotations(ls_env.client(), tid)
    assert pull_project(project, actor="test").errors == []
    store = project.store()
    assert layers(store.sets.get("long-prs", "admin")) == layers(
        store.sets.get("long-prs", ENGINE_AUTHOR))


CONTRAST_JS = r"""() => {
  const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
  const over = (fg, bg) => {
    const a = fg.length > 3 ? fg[3] : 1;
    return [0, 1, 2].map(i => fg[i] * a + bg[i] * (1 - a));
  };
  const lum = (c) => {
    const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const white = [255, 255, 255];
  return [...document.querySelectorAll('.lsf-labels .lsf-label')].map(e => {
    const s = getComputedStyle(e);
    const bg = over(rgb(s.backgroundColor), white);
    const mark = rgb(s.getPropertyValue('--color'));
    return {label: e.querySelector('.lsf-label__text').innerText, selected: e.className.includes('selected'),
            text: ratio(over(rgb(s.color), bg), bg), markOnWhite: ratio(mark, white)};
  });
}"""


def test_label_colours_are_readable(ls_page: Any, ls_env: LiveServer, project: Project) -> None:
    """Every label chip, selected (white on the label colour) or not, and every label colour as text or mark on
    white reach WCAG AA (4.5:1): no white on pastel, a DATE that shows."""
    pid, tid = pushed(project, ls_env, long_doc(), prefill=False)
    open_task(ls_page, ls_env, pid, tid)
    seen: dict[tuple[str, bool], float] = {}
    for label in [*c.span_labels(project.taxonomy())]:
        chip = ls_page.locator(".lsf-labels .lsf-label", has_text=re.compile(f"^{label}"))
        for _ in range(2):  # unselected, then selected
            for row in ls_page.evaluate(CONTRAST_JS):
                if row["label"] == label:
                    seen[(label, row["selected"])] = min(row["text"], row["markOnWhite"])
            chip.first.click()
            time.sleep(0.1)
        if label == c.DATE_LABEL:
            chip.first.click()
            shot(ls_page, "labels-date-selected")
            chip.first.click()
    assert len(seen) == 2 * len(c.span_labels(project.taxonomy())), seen
    low = {k: round(v, 2) for k, v in seen.items() if v < c.MIN_CONTRAST}
    assert not low, low


# --- hotkeys, required fields ---------------------------------------------------------------------------------


def test_a_label_hotkey_on_a_selected_region_changes_its_label(
    ls_page: Any, ls_env: LiveServer, project: Project
) -> None:
    pid, tid = pushed(project, ls_env, long_doc(), prefill=False)
    open_task(ls_page, ls_env, pid, tid)
    ls_page.keyboard.press("d")
    select_word(ls_page, "کابل")  # marked as a DATE by mistake
    ls_page.keyboard.press("Escape")
    click_word(ls_page, "کابل")  # select the region ...
    ls_page.keyboard.press("g")  # ... and press the GPE hotkey
    shot(ls_page, "hotkey-relabelled")
    submit(ls_page)
    assert modal_text(ls_page) == ""  # no DATE left to ask a calendar for
    (ann,) = wait_for_annotations(ls_env.client(), tid)
    (region,) = [r for r in ann["result"] if r["type"] == "labels"]
    assert region["value"]["labels"] == ["GPE"]
    r = pull_project(project, actor="test")
    assert r.errors == []
    aset = project.store().sets.get("long-prs", "admin")
    assert [(e.type, e.text) for e in aset.entities] == [("GPE", "کابل")] and aset.dates == []


def test_the_editor_asks_for_calendar_and_month_names_and_the_pull_reads_the_value(
    ls_page: Any, ls_env: LiveServer, project: Project
) -> None:
    """``required`` is enforced on submit for every DATE region (and only those); the value is not asked for:
    the pull reads it with the date engine."""
    pid, tid = pushed(project, ls_env, long_doc(), prefill=False)
    open_task(ls_page, ls_env, pid, tid)
    ls_page.keyboard.press("p")
    select_word(ls_page, "احمد رحیمی")  # an entity: nothing is required of it
    ls_page.keyboard.press("d")
    select_word(ls_page, "۱۲ اسفند ۱۳۹۹")
    submit(ls_page)
    assert "Choose the calendar of every date region" in modal_text(ls_page)
    shot(ls_page, "required-calendar")
    ls_page.keyboard.press("Shift+S")  # the region Label Studio selected for us: Solar Hijri
    submit(ls_page)
    assert "Choose the month-name set of every date region" in modal_text(ls_page)
    ls_page.locator(".lsf-taxonomy, [class*=taxonomy]").last.click()
    ls_page.get_by_text(c.LEXICON_NAMES["solar-IR"]).last.click()
    ls_page.keyboard.press("Escape")
    shot(ls_page, "required-filled")
    submit(ls_page)
    assert modal_text(ls_page) == ""
    (ann,) = wait_for_annotations(ls_env.client(), tid)
    controls = {r["from_name"]: r["value"] for r in ann["result"] if r["type"] != "labels"}
    assert controls[c.CALENDAR]["choices"] == ["solar_hijri"] and controls[c.LEXICON]["taxonomy"] == [["solar-IR"]]
    assert c.NATIVE not in controls
    r = pull_project(project, actor="test")
    assert r.errors == [] and [n.flagged for n in r.notes] == [False]
    (d,) = project.store().sets.get("long-prs", "admin").dates
    assert (d.calendar, d.lexicon, d.native, d.gregorian_start) == (
        Calendar.solar_hijri, "solar-IR", NativeDate(year=1399, month=12, day=12), date(2021, 3, 2))
    assert d.note == f"value {READ_NOTE}"


def test_an_events_modality_polarity_and_tense_are_chosen_by_hotkey_and_pulled(
    ls_page: Any, ls_env: LiveServer, project: Project
) -> None:
    """A trigger drawn in the editor shows its three attribute fields (nothing else's); Shift+O, Shift+N and
    Shift+B choose other, negative and past; the pull stores them on the event."""
    pid, tid = pushed(project, ls_env, long_doc(), prefill=False)
    open_task(ls_page, ls_env, pid, tid)
    ls_page.keyboard.press("2")  # KILLING
    select_word(ls_page, "کشته شد")
    ls_page.keyboard.press("Escape")
    click_word(ls_page, "کشته شد")
    assert ls_page.get_by_text("Selected event", exact=True).first.is_visible()
    for name in ("Modality", "Polarity", "Tense"):
        assert ls_page.get_by_text(name, exact=True).first.is_visible(), name
    assert not ls_page.get_by_text("Calendar", exact=True).first.is_visible()
    hints = ls_page.evaluate("() => [...document.querySelectorAll('.lsf-choice')].filter(e => e.offsetParent)"
                             ".map(e => e.innerText)")
    keys = {m.group(1) for h in hints for m in [re.search(r"\[([^\]]+)\]\s*$", h)] if m}
    assert keys == {k for name in c.EVENT_ATTRIBUTE_FIELDS for k in c.CONTROLS_BY_NAME[name].hotkeys.values()}
    assert ls_page.evaluate(CHOSEN_JS)["choices"] == []  # nothing chosen: the defaults
    for key in ("Shift+O", "Shift+N", "Shift+B"):
        ls_page.keyboard.press(key)
        time.sleep(0.2)
    assert ls_page.evaluate(CHOSEN_JS)["choices"] == ["other", "negative", "past"]
    shot(ls_page, "event-attributes")
    submit(ls_page)
    assert modal_text(ls_page) == ""
    (ann,) = wait_for_annotations(ls_env.client(), tid)
    chosen = {r["from_name"]: r["value"]["choices"] for r in ann["result"] if r["type"] == "choices"}
    assert chosen == {c.MODALITY: ["other"], c.POLARITY: ["negative"], c.TENSE: ["past"]}
    r = pull_project(project, actor="test")
    assert r.errors == []
    (ev,) = project.store().sets.get("long-prs", "admin").events
    assert (ev.type, ev.trigger.text) == ("KILLING", "کشته شد")
    assert ev.attributes() == {"modality": "other", "polarity": "negative", "tense": "past"}


# --- feedback -----------------------------------------------------------------------------------------------


def test_the_pull_feedback_is_shown_above_the_text(ls_page: Any, ls_env: LiveServer, project: Project) -> None:
    pid, tid = pushed(project, ls_env, long_doc(), prefill=False)
    client = ls_env.client()
    engine = project.store().sets.get("long-prs", ENGINE_AUTHOR)
    result = to_ls_result(engine, LONG)
    killing = LONG.index("کشته شد")
    person = LONG.index("احمد رحیمی")
    result += [
        {"id": "k1", "from_name": c.LABELS, "to_name": c.TEXT, "type": "labels",
         "value": {"start": killing, "end": killing + 7, "text": "کشته شد", "labels": ["KILLING"]}},
        {"id": "p1", "from_name": c.LABELS, "to_name": c.TEXT, "type": "labels",
         "value": {"start": person, "end": person + 10, "text": "احمد رحیمی", "labels": ["PER"]}},
        {"from_id": "k1", "to_id": "p1", "type": "relation", "direction": "right", "labels": [c.SAME_DATE]},
    ]
    client.create_annotation(tid, result, ls_env.users["zahra@example.org"])
    r = pull_project(project, actor="test")
    assert len(r.errors) == 1 and r.feedback_written == 1
    open_task(ls_page, ls_env, pid, tid)
    box = ls_page.locator(".annotate-feedback")
    assert box.is_visible()
    shown = box.inner_text()
    assert "NOT STORED" in shown and "by zahra@example.org" in shown
    assert "'same_date' cannot join KILLING 'کشته شد' and PER 'احمد رحیمی' (labels that fit: agent, victim)" in shown
    shot(ls_page, "feedback")
    # another task of a project with no feedback: the box is not drawn
    other = Document.create("در ۱۲ اسفند ۱۳۹۹ خبری نبود.", lang="prs", id="quiet")
    project.store().documents.put([other], actor="test")
    push_project(project, actor="test")
    open_task(ls_page, ls_env, pid, task_id(project.store(), "quiet"))
    assert ls_page.locator(".annotate-feedback").count() == 1
    assert not ls_page.locator(".annotate-feedback").is_visible()
