"""Undo and redo (annotate.annotation.history, and through the workspace): any edits, undone all, give the original.

The property tests drive the real editing operations with the real date engine on a Persian text with dates in
apposition, ZWNJ and Persian digits: random creates, retypes, deletions, links, date values, flags, event roles,
canonical ids and rejected suggestions, each recorded as a step; undoing every step must give back the original
set exactly (content and order), redoing every step the final one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotate.annotation import editing as ed
from annotate.annotation.actions import LabelerAction
from annotate.annotation.history import HISTORY_LIMIT, History, Step, describe, diff
from annotate.annotation.prelabel import prelabel
from annotate.annotation.workspace import (
    Workspace,
    accept_all,
    apply,
    delete,
    edit,
    link,
    open_workspace,
    preview,
    redo,
    reject_all,
    save,
    set_date_flags,
    undo,
)
from annotate.app.labeler import labeler_payload, preview_delta, wire_payload
from annotate.errors import AnnotateError, InputError
from annotate.models import AnnotationSet, Document
from annotate.store import Store, User
from annotate.taxonomy import default_taxonomy
from annotate.text.bidi import quote

TAX = default_taxonomy()
ZWNJ = "\u200c"
TEXT = (
    "تهران - سخنگوی ائتلاف گفت قاسم سلیمانی روز ۱۰ بهمن ۱۳۹۸ (30 ژانویه 2020) در بغداد کشته شد.\n"
    f"نیروهای آمریکا به{ZWNJ}زودی از عراق خارج می{ZWNJ}شوند؛ نشست بعدی ۲۲ تیر ۱۴۰۰ در تهران است."
)
DOC = Document.create(TEXT, lang="fa", id="doc-undo", reference_date="2020-02-02")
CTX = ed.EditContext(DOC, TAX)
WORDS = [(DOC.text.index(w), DOC.text.index(w) + len(w)) for w in
         ("قاسم سلیمانی", "بغداد", "عراق", "تهران", "ائتلاف", "آمریکا", "سخنگوی", "کشته", f"خارج می{ZWNJ}شوند",
          "نشست")]
DATES = [(DOC.text.index(w), DOC.text.index(w) + len(w)) for w in
         ("۱۰ بهمن ۱۳۹۸", "30 ژانویه 2020", "۲۲ تیر ۱۴۰۰")]


def _ids(aset: AnnotationSet, layer: str) -> list[str]:
    return [x.id for x in getattr(aset, layer)]


def random_edit(data: st.DataObject, aset: AnnotationSet) -> AnnotationSet:
    """One edit chosen by hypothesis among every kind the page offers (refused ones raise)."""
    kind = data.draw(st.sampled_from(["entity", "date", "event", "retype", "delete", "link", "value", "flags",
                                      "role", "canonical", "reject", "unlink", "event_type"]))
    pick: Callable[[list[Any]], Any] = lambda xs: data.draw(st.sampled_from(xs))  # noqa: E731
    if kind == "entity":
        s, e = pick(WORDS)
        return ed.add_entity(CTX, aset, s, e, pick(TAX.entity_names()))
    if kind == "date":
        s, e = pick(DATES)
        return ed.add_date(CTX, aset, s, e)
    if kind == "event":
        s, e = pick(WORDS)
        return ed.add_event(CTX, aset, s, e, pick(TAX.event_names()))
    if kind == "retype" and aset.entities:
        return ed.set_entity_type(CTX, aset, pick(_ids(aset, "entities")), pick(TAX.entity_names()))
    if kind == "event_type" and aset.events:
        return ed.set_event_type(CTX, aset, pick(_ids(aset, "events")), pick(TAX.event_names()))
    if kind == "delete":
        ids = _ids(aset, "entities") + _ids(aset, "dates") + _ids(aset, "events") + _ids(aset, "links")
        if ids:
            return ed.delete_item(CTX, aset, pick(ids)).aset
    if kind == "link" and len(aset.dates) >= 2:
        a, b = data.draw(st.lists(st.sampled_from(_ids(aset, "dates")), min_size=2, max_size=2, unique=True))
        return ed.link_dates(CTX, aset, a, b)
    if kind == "unlink" and aset.links:
        return ed.unlink(CTX, aset, pick(_ids(aset, "links")))
    if kind == "value" and aset.dates:
        return ed.set_date_value(CTX, aset, pick(_ids(aset, "dates")), "solar_hijri", 1398,
                                 data.draw(st.integers(1, 12)), data.draw(st.integers(1, 29)), "solar-IR")
    if kind == "flags" and aset.dates:
        return set_date_flags(CTX, aset, pick(_ids(aset, "dates")), year_inferred=data.draw(st.booleans()),
                              relative=data.draw(st.booleans()), note=data.draw(st.sampled_from(["", "منبع", None])))
    if kind == "role" and aset.events:
        ev = pick(aset.events)
        et = TAX.event_type(ev.type)
        assert et is not None
        role = pick([r.name for r in et.roles])
        return ed.add_argument(CTX, aset, ev.id, role, pick(_ids(aset, "entities") + _ids(aset, "dates") or ["x"]))
    if kind == "canonical" and aset.entities:
        return ed.set_canonical_id(CTX, aset, pick(_ids(aset, "entities")), pick(["Q1", "soleimani", None]))
    if kind == "reject":
        return ed.reject_suggestions(CTX, aset, [pick(["dt-1-2", "ln-a-b", "dt-9-12"])])
    raise InputError("nothing to do", where=kind)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_undo_all_gives_the_original_and_redo_all_the_final(data: st.DataObject) -> None:
    start = AnnotationSet(doc_id=DOC.id, author="alice")
    states = [start]
    history = History()
    for _ in range(data.draw(st.integers(1, 25))):
        try:
            new = random_edit(data, states[-1])
        except AnnotateError:
            continue
        layers, meta = diff(states[-1], new)
        step = Step(describe(states[-1], new, layers), layers, meta)
        if step.empty:
            continue
        history = history.record(step)
        states.append(new)
    aset = states[-1]
    for expected in reversed(states[:-1]):
        aset, history, _ = history.undo(aset)
        assert aset.content() == expected.content()
    assert history.undo_name is None and len(history.undone) == len(states) - 1
    for expected in states[1:]:
        aset, history, _ = history.redo(aset)
        assert aset.content() == expected.content()
    assert aset.content() == states[-1].content() and history.redo_name is None


@pytest.mark.parametrize(
    ("edit_fn", "name"),
    [
        (lambda a: ed.add_entity(CTX, a, *WORDS[1], "GPE"), f"label GPE {quote('بغداد')}"),
        (lambda a: ed.add_date(CTX, a, *DATES[2]), f"label DATE {quote('۲۲ تیر ۱۴۰۰')}"),
        (lambda a: ed.delete_item(CTX, a, "dt-a").aset, f"delete DATE {quote('۱۰ بهمن ۱۳۹۸')}"),
        (lambda a: ed.set_entity_type(CTX, a, "e-q", "ORG"), f"retype {quote('قاسم سلیمانی')} PER → ORG"),
        (lambda a: ed.set_canonical_id(CTX, a, "e-q", "Q1"), f"canonical id of PER {quote('قاسم سلیمانی')}"),
        (lambda a: ed.link_dates(CTX, a, "dt-a", "dt-b"), f"link {quote('۱۰ بهمن ۱۳۹۸')} = {quote('30 ژانویه 2020')}"),
        (lambda a: ed.set_date_value(CTX, a, "dt-a", "solar_hijri", 1398, 11, 11, "solar-IR"),
         f"value of DATE {quote('۱۰ بهمن ۱۳۹۸')}"),
        (lambda a: set_date_flags(CTX, a, "dt-a", year_inferred=True, relative=False, note="x"),
         f"flags and note of DATE {quote('۱۰ بهمن ۱۳۹۸')}"),
        (lambda a: ed.add_argument(CTX, a, "ev-k", "target", "e-q"), f"role target of ATTACK {quote('کشته')}"),
        (lambda a: ed.set_event_type(CTX, a, "ev-k", "MEETING"), f"retype {quote('کشته')} ATTACK → MEETING"),
    ],
)
def test_steps_are_named_after_what_they_changed(edit_fn: Callable[[AnnotationSet], AnnotationSet], name: str
                                                 ) -> None:
    base = _named_base()
    after = edit_fn(base)
    layers, _ = diff(base, after)
    assert describe(base, after, layers) == name


def _named_base() -> AnnotationSet:
    """A person, two dates and an ATTACK, with short ids."""
    base = AnnotationSet(doc_id=DOC.id, author="alice")
    base = ed.add_entity(CTX, base, *WORDS[0], "PER")
    base = ed.add_date(CTX, base, *DATES[0])
    base = ed.add_date(CTX, base, *DATES[1])
    base = ed.add_event(CTX, base, *WORDS[7], "ATTACK")
    return base.model_copy(update={
        "entities": [base.entities[0].model_copy(update={"id": "e-q"})],
        "dates": [base.dates[0].model_copy(update={"id": "dt-a"}), base.dates[1].model_copy(update={"id": "dt-b"})],
        "events": [base.events[0].model_copy(update={"id": "ev-k"})],
    })


def test_removing_a_role_and_deleting_a_linked_date_are_named_after_the_main_item() -> None:
    base = ed.link_dates(CTX, ed.add_argument(CTX, _named_base(), "ev-k", "target", "e-q"), "dt-a", "dt-b")
    after = ed.remove_argument(CTX, base, "ev-k", "target", "e-q")
    assert describe(base, after, diff(base, after)[0]) == f"remove role target of ATTACK {quote('کشته')}"
    after = ed.delete_item(CTX, base, "dt-a").aset  # the link goes with it, unnamed
    assert describe(base, after, diff(base, after)[0]) == f"delete DATE {quote('۱۰ بهمن ۱۳۹۸')}"
    after = ed.unlink(CTX, base, base.links[0].id)
    assert describe(base, after, diff(base, after)[0]) == (
        f"unlink {quote('۱۰ بهمن ۱۳۹۸')} = {quote('30 ژانویه 2020')}")


def test_history_keeps_the_last_limit_steps_and_a_new_step_clears_redo() -> None:
    h = History(limit=3)
    for i in range(5):
        h = h.record(Step(f"s{i}", metadata=({"n": i - 1}, {"n": i})))
    assert [s.name for s in h.done] == ["s2", "s3", "s4"]
    aset = AnnotationSet(doc_id=DOC.id, author="alice", metadata={"n": 4})
    aset, h, step = h.undo(aset)
    assert step.name == "s4" and aset.metadata == {"n": 3} and h.redo_name == "s4"
    h = h.record(Step("t", metadata=({"n": 3}, {"n": 9})))
    assert h.redo_name is None and h.undo_name == "t"
    assert HISTORY_LIMIT >= 50
    assert History().record(Step("nothing")) == History()
    with pytest.raises(InputError, match="nothing to redo"):
        History().redo(aset)


def test_a_step_that_no_longer_fits_the_set_is_refused_not_misapplied() -> None:
    a = ed.add_entity(CTX, AnnotationSet(doc_id=DOC.id, author="alice"), *WORDS[0], "PER")
    b = ed.add_entity(CTX, a, *WORDS[1], "GPE")
    h = History().record(Step("label", *diff(a, b)))
    with pytest.raises(InputError, match="no longer match"):
        h.undo(a)


# --- through the workspace: the store sees every undo, saves never rewrite history --------------------------


@pytest.fixture
def alice(sqlite_store: Store) -> User:
    sqlite_store.documents.put([DOC], actor="test")
    list(prelabel(sqlite_store, actor="test"))
    return sqlite_store.users.add("alice", "annotator", "password123", actor="test")


def _create(ws: Workspace, piece: str, label: str, kind: str = "entity", seq: int = 1) -> LabelerAction:
    s = ws.document.text.index(piece)
    return LabelerAction(type="create", seq=seq, kind=kind, label=label, start=s, end=s + len(piece))


def test_undo_after_save_edits_the_working_copy_and_the_next_save_is_a_new_revision(
    sqlite_store: Store, alice: User
) -> None:
    ws = open_workspace(sqlite_store, TAX, DOC.id, alice)
    ws, _ = apply(sqlite_store, ws, _create(ws, "۱۰ بهمن ۱۳۹۸", "DATE", "date"))
    ws, _ = apply(sqlite_store, ws, _create(ws, "بغداد", "GPE", seq=2))
    ws = save(sqlite_store, ws)
    assert ws.base_revision == 1 and ws.history.undo_name == f"label GPE {quote('بغداد')}"
    date_id = ws.aset.dates[0].id
    ws, _ = delete(sqlite_store, ws, date_id)
    ws = save(sqlite_store, ws)
    assert ws.base_revision == 2 and ws.aset.dates == []
    assert ws.history.undo_name == f"delete DATE {quote('۱۰ بهمن ۱۳۹۸')}"
    ws, out = apply(sqlite_store, ws, LabelerAction(type="undo", seq=3))
    assert not out.error and out.message == f"undone: delete DATE {quote('۱۰ بهمن ۱۳۹۸')}"
    assert [d.id for d in ws.aset.dates] == [date_id] and ws.dirty
    draft = sqlite_store.drafts.find(DOC.id, "alice")
    assert draft is not None and draft.base_revision == 2 and [d.id for d in draft.aset.dates] == [date_id]
    ws = save(sqlite_store, ws)
    assert ws.base_revision == 3
    revs = [r.revision for r in sqlite_store.sets.list_revisions(DOC.id, "alice")]
    assert revs == [1, 2, 3]  # history is never rewritten
    assert sqlite_store.sets.get(DOC.id, "alice", 2).dates == []
    assert [d.id for d in sqlite_store.sets.get(DOC.id, "alice").dates] == [date_id]
    # Undo across the earlier save too, then redo everything.
    ws = undo(sqlite_store, ws)
    assert ws.aset.entities == [] and [d.id for d in ws.aset.dates] == [date_id]
    assert ws.history.undo_name == f"label DATE {quote('۱۰ بهمن ۱۳۹۸')}"
    ws = redo(sqlite_store, redo(sqlite_store, ws))
    assert ws.aset.entities[0].text == "بغداد" and ws.aset.dates == []
    ws, out = apply(sqlite_store, ws, LabelerAction(type="redo", seq=4))
    assert out.error and "nothing to redo" in (out.message or "")


def _every_kind_of_edit(sqlite_store: Store) -> list[Callable[[Workspace], Workspace]]:
    """Label, retype, an event, accept and reject a suggestion, link, date value, role, flags, delete."""
    return [
        lambda w: apply(sqlite_store, w, _create(w, "قاسم سلیمانی", "PER"))[0],
        lambda w: apply(sqlite_store, w, LabelerAction(type="set_type", seq=2, id=w.aset.entities[0].id,
                                                       label="ORG"))[0],
        lambda w: apply(sqlite_store, w, _create(w, "کشته", "ATTACK", "event", seq=3))[0],
        lambda w: accept_all(sqlite_store, w, [w.pending()[0]]),
        lambda w: reject_all(sqlite_store, w, [w.pending()[0]]),
        lambda w: link(sqlite_store, w, *[d.id for d in w.aset.dates[:2]]) if len(w.aset.dates) >= 2 else
        apply(sqlite_store, w, _create(w, "30 ژانویه 2020", "DATE", "date", seq=9))[0],
        lambda w: edit(sqlite_store, w, ed.set_date_value, w.aset.dates[0].id, "solar_hijri", 1398, 11, 11,
                       "solar-IR"),
        lambda w: edit(sqlite_store, w, ed.add_argument, w.aset.events[0].id, "time", w.aset.dates[0].id),
        lambda w: edit(sqlite_store, w, set_date_flags, w.aset.dates[0].id, year_inferred=True, relative=False,
                       note="در منبع"),
        lambda w: delete(sqlite_store, w, w.aset.entities[0].id)[0],
    ]


def test_every_kind_of_edit_is_undone_through_the_workspace(sqlite_store: Store, alice: User) -> None:
    ws = open_workspace(sqlite_store, TAX, DOC.id, alice)
    before = ws.aset.content()
    contents = [before]
    for fn in _every_kind_of_edit(sqlite_store):
        ws = fn(ws)
        assert ws.aset.content() != contents[-1], ws.message
        contents.append(ws.aset.content())
    names = [s.name for s in ws.history.done]
    assert names[0] == f"label PER {quote('قاسم سلیمانی')}" and names[3].startswith("accept suggestion DATE")
    assert names[4].startswith("reject suggestion") and names[-1] == f"delete ORG {quote('قاسم سلیمانی')}"
    for expected in reversed(contents[:-1]):
        ws = undo(sqlite_store, ws)
        assert ws.aset.content() == expected
    draft = sqlite_store.drafts.find(DOC.id, "alice")
    assert draft is not None and draft.aset.content() == before


def test_fifty_steps_and_more_are_undoable(sqlite_store: Store, alice: User) -> None:
    ws = open_workspace(sqlite_store, TAX, DOC.id, alice)
    ws = apply(sqlite_store, ws, _create(ws, "بغداد", "GPE"))[0]
    first = ws.aset.content()
    mid = ws.aset.entities[0].id
    types = ["ORG", "LOC", "FAC", "PER", "GPE"]
    for i in range(60):
        ws = edit(sqlite_store, ws, ed.set_entity_type, mid, types[i % 5])
    assert len(ws.history.done) == 61
    for _ in range(60):
        ws = undo(sqlite_store, ws)
    assert ws.aset.content() == first


def test_read_only_sets_cannot_be_undone(sqlite_store: Store, alice: User) -> None:
    cora = sqlite_store.users.add("cora", "curator", "password123", actor="test")
    ws = open_workspace(sqlite_store, TAX, DOC.id, alice)
    ws = save(sqlite_store, apply(sqlite_store, ws, _create(ws, "بغداد", "GPE"))[0])
    theirs = open_workspace(sqlite_store, TAX, DOC.id, cora, "alice")
    moved, out = apply(sqlite_store, theirs, LabelerAction(type="undo", seq=1))
    assert out.error and "read-only" in (out.message or "") and moved.aset == theirs.aset


def _drafted(store: Store) -> dict[str, Any] | None:
    draft = store.drafts.find(DOC.id, "alice")
    return draft.aset.content() if draft is not None else None


def test_a_preview_is_what_undo_and_redo_then_do_and_stores_nothing(sqlite_store: Store, alice: User) -> None:
    """At every step of undoing every kind of edit and redoing it all: the preview is the set, suggestions, mark
    to select and message the step then gives, nothing is stored by it, and its delta brings a browser holding the
    page's data exactly where the data of the step's own run brings it."""
    ws = open_workspace(sqlite_store, TAX, DOC.id, alice)
    assert preview(ws, "undo") is None and preview(ws, "redo") is None
    for fn in _every_kind_of_edit(sqlite_store):
        ws = fn(ws)
    steps = len(ws.history.done)
    assert steps == 10 and preview(ws, "redo") is None
    moves: list[tuple[Literal["undo", "redo"], Callable[[Store, Workspace], Workspace]]] = [
        *[("undo", undo)] * steps, *[("redo", redo)] * steps]
    for direction, move in moves:
        drafted = _drafted(sqlite_store)
        seen = preview(ws, direction)
        assert seen is not None and _drafted(sqlite_store) == drafted  # nothing stored
        _, sent = wire_payload(labeler_payload(ws.document, ws.aset, TAX, ws.suggestions), None)
        delta = preview_delta(labeler_payload(ws.document, seen.aset, TAX, seen.suggestions, select=seen.focus,
                                              status=seen.message), sent)
        ws = move(sqlite_store, ws)
        assert seen.aset.content() == ws.aset.content() and seen.suggestions == ws.suggestions
        assert (seen.focus, seen.message) == (ws.focus, ws.message) and delta["select"] == ws.focus
        after = labeler_payload(ws.document, ws.aset, TAX, ws.suggestions)
        data, _ = wire_payload(after, sent)
        for layer in ("marks", "arcs"):
            held = dict(sent.marks if layer == "marks" else sent.arcs)
            for gone in delta[layer]["remove"]:
                del held[gone]
            held |= {x["id"]: x for x in delta[layer]["upsert"]}
            assert held == {x["id"]: x for x in after[layer]}, (direction, layer)
            assert delta[layer] == data["delta"][layer]
    assert preview(ws, "redo") is None and preview(ws, "undo") is not None


def test_no_preview_for_a_read_only_set_or_a_step_that_no_longer_fits(sqlite_store: Store, alice: User) -> None:
    cora = sqlite_store.users.add("cora", "curator", "password123", actor="test")
    ws = open_workspace(sqlite_store, TAX, DOC.id, alice)
    ws = save(sqlite_store, apply(sqlite_store, ws, _create(ws, "بغداد", "GPE"))[0])
    assert preview(ws, "undo") is not None
    theirs = open_workspace(sqlite_store, TAX, DOC.id, cora, "alice")
    assert preview(replace(theirs, history=ws.history), "undo") is None  # read-only
    unfit = replace(ws, aset=AnnotationSet(doc_id=DOC.id, author="alice"))
    assert preview(unfit, "undo") is None
    with pytest.raises(InputError, match="no longer match"):
        undo(sqlite_store, unfit)
