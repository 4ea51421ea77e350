"""What the labeler is sent (annotate.app.labeler) and the colours it draws with (annotate.app.palette), without a
browser: marks and arcs, deltas against what the browser holds, the key table, contrast in both themes."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from annotate.annotation import editing as ed
from annotate.annotation.actions import parse_actions
from annotate.app.labeler import (
    KEYS,
    Channel,
    Sent,
    key_help,
    labeler_payload,
    settle_actions,
    take_actions,
    wire_payload,
)
from annotate.app.palette import EVENT_PALETTE, MIN_CONTRAST, PAGE, TEXT, contrast, distance, theme_colors
from annotate.errors import ConfigError
from annotate.models import AnnotationSet, Document
from annotate.taxonomy import Taxonomy, default_taxonomy
from annotate.text.view import fold_table, normalize

TEXT_FA = "سخنگوی ائتلاف در بغداد گفت نیروها روز ۱۰ بهمن ۱۳۹۸ (30 ژانویه 2020) از عراق خارج می\u200cشوند."


def _span(text: str, piece: str) -> tuple[int, int]:
    s = text.index(piece)
    return s, s + len(piece)


@pytest.fixture
def annotated() -> tuple[Document, AnnotationSet]:
    """A Persian sentence with two linked dates, an entity and an event with two arguments."""
    doc = Document.create(TEXT_FA, lang="fa", id="doc-p", reference_date="2020-02-02")
    ctx = ed.EditContext(doc, default_taxonomy())
    a = AnnotationSet(doc_id=doc.id, author="sara")
    a = ed.add_entity(ctx, a, *_span(TEXT_FA, "بغداد"), "GPE")
    a = ed.add_date(ctx, a, *_span(TEXT_FA, "۱۰ بهمن ۱۳۹۸"))
    a = ed.add_date(ctx, a, *_span(TEXT_FA, "30 ژانویه 2020"))
    a = ed.link_dates(ctx, a, a.dates[0].id, a.dates[1].id)
    a = ed.add_event(ctx, a, *_span(TEXT_FA, "خارج"), "WITHDRAWAL")
    a = ed.add_argument(ctx, a, a.events[0].id, "origin", a.entities[0].id)
    a = ed.add_argument(ctx, a, a.events[0].id, "time", a.dates[1].id)
    return doc, a


def test_payload_has_marks_arcs_and_colour_classes(annotated: tuple[Document, AnnotationSet]) -> None:
    doc, a = annotated
    data = labeler_payload(doc, a, default_taxonomy())
    labels = {lab["name"]: lab for lab in data["labels"]}
    marks = {m["id"]: m for m in data["marks"]}
    assert {m["type"] for m in marks.values()} == {"GPE", "DATE", "WITHDRAWAL"}
    assert all(m["c"] == labels[m["type"]]["c"] for m in marks.values())
    ev = a.events[0]
    assert sorted((x["kind"], x["from"], x["to"], x["label"]) for x in data["arcs"]) == sorted([
        ("arg", ev.id, a.entities[0].id, "origin"),
        ("arg", ev.id, a.dates[1].id, "time"),
        ("link", a.links[0].source, a.links[0].target, "="),
    ])
    assert all(x["from"] in marks and x["to"] in marks for x in data["arcs"])
    # Hotkeys shown as the key cap and matched by physical key.
    assert (labels["GPE"]["cap"], labels["GPE"]["code"]) == ("G", "KeyG")
    assert (labels["ATTACK"]["cap"], labels["ATTACK"]["code"]) == ("1", "Digit1")
    assert data["fold"]["ي"] == "ی" and data["fold"]["۱"] == "1" and data["fold"]["\u064e"] == ""


@pytest.mark.parametrize(("prefix", "shift"), [("", 0), ("\U0001F600 ", 1), ("\U0001F600\U00010348 ", 2)])
def test_mark_offsets_are_utf16_units_after_characters_outside_the_bmp(prefix: str, shift: int) -> None:
    """A text of the BMP alone gives code points unchanged; each character outside it before a mark moves the
    mark one UTF-16 unit on (the browser counts units)."""
    text = prefix + TEXT_FA
    doc = Document.create(text, lang="fa", id="doc-u16", reference_date="2020-02-02")
    a = ed.add_entity(ed.EditContext(doc, default_taxonomy()), AnnotationSet(doc_id=doc.id, author="sara"),
                      *_span(text, "بغداد"), "GPE")
    (mark,) = labeler_payload(doc, a, default_taxonomy())["marks"]
    s, e = _span(text, "بغداد")
    assert (mark["start"], mark["end"]) == (s + shift, e + shift)
    assert text.encode("utf-16-le")[2 * mark["start"]:2 * mark["end"]].decode("utf-16-le") == "بغداد"


def test_wire_sends_the_text_once_then_only_what_changed(annotated: tuple[Document, AnnotationSet]) -> None:
    doc, a = annotated
    taxonomy = default_taxonomy()
    first, sent = wire_payload(labeler_payload(doc, a, taxonomy), None)
    assert first["static"]["text"] == doc.text and first["delta"]["full"]
    assert len(first["delta"]["marks"]["upsert"]) == 4 and len(first["delta"]["arcs"]["upsert"]) == 3
    again, sent2 = wire_payload(labeler_payload(doc, a, taxonomy, ack={"c": 3}), sent)
    assert "static" not in again and sent2 is sent
    assert again["delta"] == {"full": False, "base": sent.version, "version": sent.version,
                              "marks": {"upsert": [], "remove": []}, "arcs": {"upsert": [], "remove": []}}
    assert again["ack"] == {"c": 3}
    # One mark more, one argument fewer: exactly those travel, against the version the browser holds.
    ctx = ed.EditContext(doc, taxonomy)
    b = ed.add_entity(ctx, a, *_span(doc.text, "عراق"), "GPE")
    b = ed.remove_argument(ctx, b, b.events[0].id, "time", b.dates[1].id)
    step, sent3 = wire_payload(labeler_payload(doc, b, taxonomy), sent2)
    assert "static" not in step and step["delta"]["base"] == sent.version
    assert step["delta"]["version"] == sent.version + 1
    assert [doc.text[m["start"]:m["end"]] for m in step["delta"]["marks"]["upsert"]] == ["عراق"]  # no emoji here
    assert step["delta"]["marks"]["remove"] == [] and step["delta"]["arcs"]["upsert"] == []
    assert step["delta"]["arcs"]["remove"] == [f"{b.events[0].id}>1"]
    # The text is a small part of what the first message costs, and nothing of the later ones.
    assert doc.text not in str(step) and len(str(step)) < len(str(first)) / 5
    # Another document: its static part again.  A browser that lost track (resync): everything, a new version.
    other = Document.create("خبر کوتاه", lang="fa", id="doc-q")
    moved, _ = wire_payload(labeler_payload(other, AnnotationSet(doc_id="doc-q", author="sara"), taxonomy), sent3)
    assert moved["static"]["text"] == "خبر کوتاه" and moved["delta"]["full"]
    again_full, after = wire_payload(labeler_payload(doc, b, taxonomy), Sent("", sent3.version, {}, {}))
    assert again_full["delta"]["full"] and "static" in again_full
    assert again_full["delta"]["version"] == sent3.version + 1
    assert after.version == sent3.version + 1


def test_the_keys_are_distinct_and_l_means_location_only() -> None:
    bound = [(c, k.shift, k.ctrl) for k in KEYS if k.action for c in k.codes]
    assert len(bound) == len(set(bound)), "one physical key with one modifier set does two things"
    by_action = {k.action: k for k in KEYS if k.action}
    assert by_action["link"].codes == ("Equal",) and by_action["undo"].codes == ("KeyZ",)
    assert {("KeyZ", True), ("KeyY", False)} == {(c, k.shift) for k in KEYS if k.action == "redo" for c in k.codes}
    taxonomy = default_taxonomy()
    own = {c for k in KEYS if k.action and not k.ctrl for c in k.codes}
    assert not own & {f"Key{t.hotkey.upper()}" for t in taxonomy.entity_types if t.hotkey}
    rows = dict(key_help(taxonomy))
    assert rows["L"] == "entity: Location (LOC)" and "same_date" in rows["="]
    assert not any(k == "L" or k.startswith("l ") for k, d in rows.items() if "link" in d)


def test_a_taxonomy_hotkey_on_a_labeler_key_is_refused() -> None:
    data = default_taxonomy().model_dump()
    data["entity_types"][0]["hotkey"] = "j"
    taxonomy = Taxonomy.model_validate(data)
    doc = Document.create("متن", lang="fa", id="d")
    with pytest.raises(ConfigError, match=r"hotkey 'j' of PER is a labeler key"):
        labeler_payload(doc, AnnotationSet(doc_id="d", author="sara"), taxonomy)


def test_undo_and_redo_are_actions() -> None:
    doc = Document.create("متن", lang="fa", id="d")
    payload = {"client": "c", "doc_id": "d", "actions": [{"seq": 1, "type": "undo"}, {"seq": 2, "type": "redo"}]}
    actions, ack = parse_actions(payload, doc, {})
    assert [a.type for a in actions] == ["undo", "redo"] and ack == {"c": 2}


# --- colours ---------------------------------------------------------------------------------------------------


def test_wcag_contrast_of_known_pairs() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey
    assert contrast("#ffffff", "#ffffff") == 1


def _type_colors() -> dict[str, str]:
    t = default_taxonomy()
    return {**{x.name: x.color for x in t.entity_types}, **{x.name: x.color or "" for x in t.event_types},
            "DATE": t.date_color}


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_default_taxonomy_types_are_readable_and_apart_in_each_theme(theme: str) -> None:
    drawn = {name: theme_colors(c)[theme] for name, c in _type_colors().items()}
    for name, c in drawn.items():
        assert contrast(c["bg"], c["fg"]) >= MIN_CONTRAST, name
        assert contrast(c["line"], PAGE[theme]) >= 3, name  # underline, event bar and arcs: non-text contrast
        assert c["fg"] == TEXT[theme]
    t = default_taxonomy()
    events = [drawn[e.name]["bg"] for e in t.event_types]
    assert min(distance(a, b) for a, b in itertools.combinations(events, 2)) >= 6
    assert min(distance(drawn["DATE"]["bg"], drawn[e.name]["bg"]) for e in t.entity_types) >= 6
    assert min(distance(drawn[a]["bg"], drawn[b]["bg"]) for a, b in itertools.combinations(drawn, 2)) >= 4


@given(hs.from_regex(re.compile(r"#[0-9a-f]{6}"), fullmatch=True))
def test_any_taxonomy_colour_becomes_readable_in_both_themes(color: str) -> None:
    for theme, c in theme_colors(color).items():
        assert contrast(c["bg"], c["fg"]) >= 4.5, (color, theme, c)
        assert contrast(c["line"], PAGE[theme]) >= 3, (color, theme, c)


def test_event_types_without_a_colour_get_distinct_palette_colours() -> None:
    data = default_taxonomy().model_dump()
    for et in data["event_types"]:
        et["color"] = None
    taxonomy = Taxonomy.model_validate(data)
    doc = Document.create("متن", lang="fa", id="d")
    labels = labeler_payload(doc, AnnotationSet(doc_id="d", author="sara"), taxonomy)["labels"]
    light = [lab["colors"]["light"]["bg"] for lab in labels if lab["kind"] == "event"]
    assert light == list(EVENT_PALETTE) and len(set(light)) == 9


def test_the_search_fold_table_is_the_matching_view() -> None:
    table = fold_table()
    assert all(normalize(k) == v for k, v in table.items())
    assert {table["ي"], table["ك"], table["٣"], table["۳"]} == {"ی", "ک", "3"}
    assert "\u200c" not in table  # ZWNJ is kept by the view; the search treats it as an optional separator


# --- the action intake: every action applied exactly once ------------------------------------------------------


def _undo(seq: int) -> dict[str, object]:
    return {"seq": seq, "type": "undo"}


@pytest.mark.parametrize(
    ("batches", "taken"),
    [
        ([[1], [1, 2], [1, 2, 3]], [1, 2, 3]),  # each trigger resends all that is unacknowledged
        ([[1, 2, 3]], [1, 2, 3]),  # three keys within one run: one trigger carries them all
        ([[2, 1, 3]], [1, 2, 3]),  # out of order: applied in number order
        ([[1, 1, 2, 2]], [1, 2]),  # a number twice in one payload: once
        ([[1, 2], [2, 1], [3, 2, 1]], [1, 2, 3]),  # resent reordered
        ([[], [1], []], [1]),  # empty triggers (a resync) take nothing
    ],
)
def test_the_channel_takes_each_action_number_once_in_order(batches: list[list[int]], taken: list[int]) -> None:
    doc = Document.create("متن", lang="fa", id="d")
    channel = Channel()
    for batch in batches:
        channel.intake({"client": "c", "doc_id": "d", "actions": [_undo(n) for n in batch]}, doc)
    assert [a.seq for a in channel.pending] == taken and channel.received == {"c": max(taken)}
    # A second browser client (the labeler drawn again) numbers from 1 on its own.
    channel.intake({"client": "c2", "doc_id": "d", "actions": [_undo(1)]}, doc)
    assert [a.seq for a in channel.pending] == [*taken, 1] and channel.received == {"c": max(taken), "c2": 1}


class _StreamlitState(dict[str, object]):
    """Session state as a script run sees it: every access first raises a rerun request that arrived meanwhile
    (Streamlit's ``SafeSessionState`` yield point), before reading or writing."""

    request: BaseException | None = None

    def _yield(self) -> None:
        request, self.request = self.request, None
        if request is not None:
            raise request

    def __getitem__(self, key: str) -> object:
        self._yield()
        return super().__getitem__(key)

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        self._yield()
        return super().get(key, default)

    def __setitem__(self, key: str, value: object) -> None:
        self._yield()
        super().__setitem__(key, value)


def test_an_action_applied_by_a_run_that_a_newer_rerun_stops_is_kept_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lost undo of the 50-step workflow test: the next key's rerun request arrived while the run applied the
    previous undo (the draft was already stored), and the run stopped at its next session-state write, before the
    workspace was kept, with the undo already acknowledged.  Now the run keeps the workspace and drops the
    actions together, and a rerun that stops it earlier leaves the actions queued, to be applied once."""
    import streamlit
    from streamlit.runtime.scriptrunner_utils.exceptions import RerunException
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

    state = _StreamlitState(ws=[])
    monkeypatch.setattr(streamlit, "session_state", state)
    doc = Document.create("متن", lang="fa", id="d")
    browser: list[int] = []  # the browser's unacknowledged action numbers
    store: list[int] = []  # what applying did outside session state (the draft, the history): once per action

    def key(n: int) -> None:
        browser.append(n)
        channel = state.get("_lab_channel")
        assert channel is None or isinstance(channel, Channel)
        (channel or Channel()).intake({"client": "c", "doc_id": "d", "actions": [_undo(s) for s in browser]}, doc)

    def run(stop_during_apply: bool) -> None:
        """The page's run: take, apply to a local copy, settle (annotate/app/views/annotate.py's workbench)."""
        ws = list(state["ws"])  # type: ignore[call-overload]
        actions = take_actions("lab")
        for a in actions:
            ws.append(a.seq)
            store.append(a.seq)
            if stop_during_apply:
                state.request = RerunException(RerunData())
        try:
            settle_actions("lab", actions, {"ws": ws})
        except RerunException:
            pass  # the newer run follows
        channel = state["_lab_channel"]
        assert isinstance(channel, Channel)
        browser[:] = [n for n in browser if n > channel.received.get("c", 0)]  # the acknowledgement arrives

    state["_lab_channel"] = Channel()
    for n in range(1, 51):
        key(n)
        run(stop_during_apply=n % 3 == 0)
    assert state["ws"] == list(range(1, 51)) == store and browser == []
    # Stopped before anything was applied (at the first read): the actions wait for the next run.
    key(51)
    state.request = RerunException(RerunData())
    with pytest.raises(RerunException):
        run(stop_during_apply=False)
    run(stop_during_apply=False)
    assert state["ws"] == list(range(1, 52)) == store
