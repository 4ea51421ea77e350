"""The annotation workspace: drafts survive reloads, saves are optimistic, conflicts lose nothing, blind rules hold."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotate.annotation import editing
from annotate.annotation.actions import LabelerAction
from annotate.annotation.panel import canonical_suggestions, known_canonical_ids, role_choices
from annotate.annotation.prelabel import ENGINE_AUTHOR, prelabel
from annotate.annotation.workspace import (
    Workspace,
    accept_all,
    apply,
    delete,
    discard_draft,
    edit,
    open_workspace,
    readable_authors,
    reject_all,
    resolve_conflict,
    restore_draft,
    save,
    set_date_flags,
    submit,
)
from annotate.errors import AuthError, InputError, InvalidDate, NotFound
from annotate.models import AnnotationSet, AnnotationStatus, Document
from annotate.store import Store, User
from annotate.taxonomy import Taxonomy, default_taxonomy

TAX: Taxonomy = default_taxonomy()
_COUNTER = itertools.count()


@pytest.fixture
def users(sqlite_store: Store, doc: Document) -> dict[str, User]:
    """The document stored and pre-labelled, with two annotators, a curator and an admin."""
    sqlite_store.documents.put([doc], actor="test")
    list(prelabel(sqlite_store, actor="test"))
    return {
        name: sqlite_store.users.add(name, role, "password123", actor="test")
        for name, role in (("alice", "annotator"), ("bob", "annotator"), ("cora", "curator"), ("adam", "admin"))
    }


def _create(ws: Workspace, piece: str, label: str = "PER", kind: str = "entity", seq: int = 1) -> LabelerAction:
    s = ws.document.text.index(piece)
    return LabelerAction(type="create", seq=seq, kind=kind, label=label, start=s, end=s + len(piece))


def _open(store: Store, user: User, doc: Document, author: str | None = None) -> Workspace:
    return open_workspace(store, TAX, doc.id, user, author)


def test_open_new_set_has_suggestions_and_no_revision(
    sqlite_store: Store, doc: Document, users: dict[str, User]
) -> None:
    ws = _open(sqlite_store, users["alice"], doc)
    assert (ws.author, ws.base_revision, ws.read_only, ws.dirty) == ("alice", 0, False, False)
    assert ws.aset.entities == [] and ws.draft is None
    assert ws.suggestions is not None and set(ws.suggestions.metadata["source"].values()) == {ENGINE_AUTHOR}
    assert len(ws.pending()) == len(ws.suggestions.dates) + len(ws.suggestions.links) >= 3


def test_unknown_document_is_not_found(sqlite_store: Store, users: dict[str, User]) -> None:
    with pytest.raises(NotFound, match="doc-nope"):
        open_workspace(sqlite_store, TAX, "doc-nope", users["alice"])


def test_every_change_is_a_draft_that_survives_a_reload(
    sqlite_store: Store, doc: Document, users: dict[str, User]
) -> None:
    ws = _open(sqlite_store, users["alice"], doc)
    ws, out = apply(sqlite_store, ws, _create(ws, "قاسم سلیمانی"))
    assert not out.error and ws.dirty
    draft = sqlite_store.drafts.find(doc.id, "alice")
    assert draft is not None and draft.aset.content() == ws.aset.content() and draft.base_revision == 0
    # A page reload opens the workspace afresh: the stored set is still empty, the draft is offered.
    reloaded = _open(sqlite_store, users["alice"], doc)
    assert reloaded.aset.entities == []
    assert reloaded.draft is not None and [m.text for m in reloaded.draft.entities] == ["قاسم سلیمانی"]
    restored = restore_draft(sqlite_store, reloaded)
    assert restored.aset.content() == ws.aset.content() and restored.dirty and restored.draft is None
    saved = save(sqlite_store, restored)
    assert saved.base_revision == 1 and not saved.dirty and saved.conflict is None
    assert sqlite_store.drafts.find(doc.id, "alice") is None
    assert _open(sqlite_store, users["alice"], doc).draft is None
    # Another change, then discard the draft: back to revision 1.
    ws2, _ = apply(sqlite_store, saved, _create(saved, "بغداد", "GPE", seq=2))
    offered = _open(sqlite_store, users["alice"], doc)
    assert offered.draft is not None
    dropped = discard_draft(sqlite_store, offered)
    assert dropped.draft is None and sqlite_store.drafts.find(doc.id, "alice") is None
    assert [m.text for m in dropped.aset.entities] == ["قاسم سلیمانی"]
    assert ws2.aset.entities != dropped.aset.entities


def test_refused_edit_leaves_the_workspace_and_draft_alone(
    sqlite_store: Store, doc: Document, users: dict[str, User]
) -> None:
    ws = _open(sqlite_store, users["alice"], doc)
    s = doc.text.index("تهران")
    bad = LabelerAction(type="create", seq=1, kind="entity", label="NOPE", start=s, end=s + 5)
    ws2, out = apply(sqlite_store, ws, bad)
    assert out.error and "NOPE" in (out.message or "")
    assert ws2.aset == ws.aset and sqlite_store.drafts.find(doc.id, "alice") is None


def test_ctrl_s_action_saves(sqlite_store: Store, doc: Document, users: dict[str, User]) -> None:
    ws = _open(sqlite_store, users["alice"], doc)
    ws, _ = apply(sqlite_store, ws, _create(ws, "بغداد", "GPE"))
    ws, out = apply(sqlite_store, ws, LabelerAction(type="save", seq=2))
    assert ws.base_revision == 1 and out.message == "saved revision 1" and not out.error
    stored = sqlite_store.sets.get(doc.id, "alice")
    m = stored.entities[0]
    assert (m.text, doc.text[m.start : m.end], m.type) == ("بغداد", "بغداد", "GPE")


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("mine", {"قاسم سلیمانی"}),
        ("theirs", {"بغداد"}),
        ("merge", {"قاسم سلیمانی", "بغداد"}),
    ],
)
def test_two_tabs_from_one_base_one_wins_the_other_loses_nothing(
    sqlite_store: Store, doc: Document, users: dict[str, User], choice: str, expected: set[str]
) -> None:
    tab1 = _open(sqlite_store, users["alice"], doc)
    tab2 = _open(sqlite_store, users["alice"], doc)
    tab1, _ = apply(sqlite_store, tab1, _create(tab1, "بغداد", "GPE"))
    tab2, _ = apply(sqlite_store, tab2, _create(tab2, "قاسم سلیمانی", "PER"))
    tab1 = save(sqlite_store, tab1)
    assert tab1.conflict is None and tab1.base_revision == 1

    refused = save(sqlite_store, tab2)
    c = refused.conflict
    assert c is not None
    assert "Not saved" in (refused.message or "") and f"#{c.conflict_id}" in (refused.message or "")
    # The user's work is still the working set, in the store's conflict table and in the draft.
    assert [m.text for m in refused.aset.entities] == ["قاسم سلیمانی"]
    kept = sqlite_store.sets.get_conflict(c.conflict_id).annotation_set
    assert [m.text for m in kept.entities] == ["قاسم سلیمانی"]
    draft = sqlite_store.drafts.find(doc.id, "alice")
    assert draft is not None and [m.text for m in draft.aset.entities] == ["قاسم سلیمانی"]
    assert [m.text for m in c.theirs.entities] == ["بغداد"] and c.theirs.revision == 1
    assert any("قاسم سلیمانی" in line for line in c.only_mine)
    assert any("بغداد" in line for line in c.only_theirs)
    # Still unsaved: the head is tab1's.
    assert [m.text for m in sqlite_store.sets.get(doc.id, "alice").entities] == ["بغداد"]

    resolved = resolve_conflict(sqlite_store, refused, choice)  # type: ignore[arg-type]
    assert resolved.conflict is None and resolved.base_revision == 1
    final = save(sqlite_store, resolved)
    assert final.conflict is None and final.base_revision == 2
    assert {m.text for m in sqlite_store.sets.get(doc.id, "alice").entities} == expected


def test_submit_saves_then_marks_submitted(sqlite_store: Store, doc: Document, users: dict[str, User]) -> None:
    ws = _open(sqlite_store, users["alice"], doc)
    ws = accept_all(sqlite_store, ws)
    assert ws.pending() == [] and ws.aset.dates
    done = submit(sqlite_store, ws)
    assert done.status is AnnotationStatus.submitted and not done.dirty
    stored = sqlite_store.sets.get(doc.id, "alice")
    assert stored.status is AnnotationStatus.submitted and stored.revision == 1
    assert [i.status for i in sqlite_store.sets.list_info(doc.id) if i.author == "alice"] == ["submitted"]
    # Opening it again shows it submitted; nothing is pending.
    again = _open(sqlite_store, users["alice"], doc)
    assert again.status is AnnotationStatus.submitted and again.draft is None


def test_a_withdrawn_set_is_resumed_by_its_annotator(
    sqlite_store: Store, doc: Document, users: dict[str, User]
) -> None:
    ws = submit(sqlite_store, accept_all(sqlite_store, _open(sqlite_store, users["alice"], doc)))
    sqlite_store.sets.set_status(doc.id, "alice", AnnotationStatus.withdrawn, actor="labelstudio-pull")
    # a curator sees it as it is; its annotator takes it up again, in progress
    assert _open(sqlite_store, users["cora"], doc, "alice").status is AnnotationStatus.withdrawn
    again = _open(sqlite_store, users["alice"], doc)
    assert again.status is AnnotationStatus.in_progress and again.aset.dates == ws.aset.dates
    saved = save(sqlite_store, apply(sqlite_store, again, _create(again, "بغداد", "GPE"))[0])
    assert sqlite_store.sets.get(doc.id, "alice").status is AnnotationStatus.in_progress
    assert submit(sqlite_store, saved).status is AnnotationStatus.submitted


def test_submit_does_not_submit_over_a_conflict(sqlite_store: Store, doc: Document, users: dict[str, User]) -> None:
    tab1 = _open(sqlite_store, users["alice"], doc)
    tab2 = _open(sqlite_store, users["alice"], doc)
    save(sqlite_store, apply(sqlite_store, tab1, _create(tab1, "بغداد", "GPE"))[0])
    tab2, _ = apply(sqlite_store, tab2, _create(tab2, "تهران", "GPE"))
    out = submit(sqlite_store, tab2, confirmed=True)
    assert out.conflict is not None
    assert sqlite_store.sets.get(doc.id, "alice").status is AnnotationStatus.in_progress


def test_blind_annotators_see_only_their_own_set(sqlite_store: Store, doc: Document, users: dict[str, User]) -> None:
    bob = _open(sqlite_store, users["bob"], doc)
    save(sqlite_store, apply(sqlite_store, bob, _create(bob, "بغداد", "GPE"))[0])
    assert readable_authors(sqlite_store, doc.id, users["alice"]) == ["alice"]
    with pytest.raises(AuthError, match="blind"):
        _open(sqlite_store, users["alice"], doc, "bob")
    with pytest.raises(InputError, match="suggestions"):
        _open(sqlite_store, users["cora"], doc, ENGINE_AUTHOR)
    # Alice's own set does not show Bob's marks.
    assert _open(sqlite_store, users["alice"], doc).aset.entities == []


@pytest.mark.parametrize("staff", ["cora", "adam"])
def test_curators_open_others_read_only(sqlite_store: Store, doc: Document, users: dict[str, User], staff: str) -> None:
    bob = _open(sqlite_store, users["bob"], doc)
    save(sqlite_store, apply(sqlite_store, bob, _create(bob, "بغداد", "GPE"))[0])
    assert readable_authors(sqlite_store, doc.id, users[staff]) == [staff, "bob"]
    view = _open(sqlite_store, users[staff], doc, "bob")
    assert view.read_only and view.suggestions is None and [m.text for m in view.aset.entities] == ["بغداد"]
    same, out = apply(sqlite_store, view, _create(view, "تهران", "GPE"))
    assert out.error and "read-only" in (out.message or "") and same.aset == view.aset
    mid = view.aset.entities[0].id
    for attempt in (lambda: save(sqlite_store, view), lambda: submit(sqlite_store, view),
                    lambda: edit(sqlite_store, view, editing.set_entity_type, mid, "LOC"),
                    lambda: delete(sqlite_store, view, mid), lambda: reject_all(sqlite_store, view)):
        with pytest.raises(AuthError, match="read-only"):
            attempt()
    assert sqlite_store.sets.get(doc.id, "bob").revision == 1
    with pytest.raises(NotFound):
        _open(sqlite_store, users[staff], doc, "alice")  # no set by alice yet
    own = _open(sqlite_store, users[staff], doc)
    assert not own.read_only and own.author == staff


def test_date_value_is_computed_and_flags_are_set(sqlite_store: Store, doc: Document, users: dict[str, User]) -> None:
    ws = _open(sqlite_store, users["alice"], doc)
    ws, _ = apply(sqlite_store, ws, _create(ws, "۱۰ بهمن ۱۳۹۸", "DATE", "date"))
    d = ws.aset.dates[0]
    assert d.gregorian_start == dt.date(2020, 1, 30)
    ws = edit(sqlite_store, ws, editing.set_date_value, d.id, "solar_hijri", 1398, 11, 11)
    assert ws.aset.dates[0].gregorian_start == ws.aset.dates[0].gregorian_end == dt.date(2020, 1, 31)
    with pytest.raises(InvalidDate, match=d.id):
        edit(sqlite_store, ws, editing.set_date_value, d.id, "solar_hijri", 1398, 12, 30)  # 1398 is common
    ws = edit(sqlite_store, ws, set_date_flags, d.id, year_inferred=True, relative=True, note="  checked  ")
    got = ws.aset.dates[0]
    assert (got.year_inferred, got.relative, got.note) == (True, True, "checked")
    draft = sqlite_store.drafts.find(doc.id, "alice")
    assert draft is not None and draft.aset.dates[0].note == "checked"
    with pytest.raises(InputError, match="nope"):
        edit(sqlite_store, ws, set_date_flags, "nope", year_inferred=False, relative=False, note=None)


def test_link_and_event_arguments_through_edit(sqlite_store: Store, doc: Document, users: dict[str, User]) -> None:
    ws = _open(sqlite_store, users["alice"], doc)
    ws = accept_all(sqlite_store, ws, [d.id for d in ws.suggestions.dates] if ws.suggestions else [])
    assert len(ws.aset.links) == 1  # the engine's link comes along once both dates are in
    a, b = ws.aset.dates[:2]
    ws = edit(sqlite_store, ws, editing.unlink, ws.aset.links[0].id)
    ws = edit(sqlite_store, ws, editing.link_dates, a.id, b.id)
    assert ws.aset.links[0].consistent is True
    ws, _ = apply(sqlite_store, ws, _create(ws, "کشته", "KILLING", "event"))
    ws, _ = apply(sqlite_store, ws, _create(ws, "قاسم سلیمانی", "PER", seq=2))
    ev = ws.aset.events[0]
    choices = role_choices(ws, ev)
    per = ws.aset.entities[0].id
    assert [x for x, _ in choices["victim"]] == [per]
    assert {x for x, _ in choices["time"]} == {a.id, b.id}
    ws = edit(sqlite_store, ws, editing.add_argument, ev.id, "victim", per)
    assert editing.unfilled_roles(ws.aset.events[0], TAX) == ["agent", "place", "time"]
    ws, removed = delete(sqlite_store, ws, per)
    assert removed == [f"argument victim of event {ev.id}"] and ws.aset.events[0].arguments == []


def test_reject_all_hides_every_pending_suggestion(
    sqlite_store: Store, doc: Document, users: dict[str, User]
) -> None:
    ws = _open(sqlite_store, users["alice"], doc)
    n = len(ws.pending())
    ws = reject_all(sqlite_store, ws)
    assert ws.pending() == [] and ws.message == f"rejected {n} suggestion(s)"
    assert ws.aset.dates == []


def test_canonical_ids_are_suggested_blind(sqlite_store: Store, doc: Document, users: dict[str, User]) -> None:
    bob = _open(sqlite_store, users["bob"], doc)
    bob, _ = apply(sqlite_store, bob, _create(bob, "قاسم سلیمانی"))
    bob = edit(sqlite_store, bob, editing.set_canonical_id, bob.aset.entities[0].id, "Q-soleimani")
    save(sqlite_store, bob)
    assert known_canonical_ids(sqlite_store, users["alice"]) == {}
    assert known_canonical_ids(sqlite_store, users["cora"]) == {"Q-soleimani": ["قاسم سلیمانی"]}
    cora = _open(sqlite_store, users["cora"], doc)
    cora, _ = apply(sqlite_store, cora, _create(cora, "قاسم سلیمانی"))
    got = canonical_suggestions(cora, cora.aset.entities[0].id, {"Q-soleimani": ["قاسم سليماني"]})
    assert [(s.canonical_id, s.score) for s in got] == [("Q-soleimani", 1.0)]
    with pytest.raises(InputError):
        canonical_suggestions(cora, "nope", {})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.integers(0, 80), st.integers(1, 12), st.sampled_from(["PER", "GPE", "DEL"])),
                      min_size=1, max_size=8))
def test_any_edit_sequence_keeps_the_draft_equal_to_the_working_set(
    sqlite_store: Store, doc: Document, users: dict[str, User], steps: list[tuple[int, int, str]]
) -> None:
    """Whatever the annotator does, accepted or refused, the stored draft is exactly the working set."""
    user = sqlite_store.users.add(f"h{next(_COUNTER)}", users["alice"].role, "password123", actor="test")
    ws = open_workspace(sqlite_store, TAX, doc.id, user)
    for seq, (start, length, label) in enumerate(steps, start=1):
        end = min(start + length, len(doc.text))
        before = ws.aset
        if label == "DEL" and ws.aset.entities:
            ws, _ = delete(sqlite_store, ws, ws.aset.entities[start % len(ws.aset.entities)].id)
        else:
            action = LabelerAction(type="create", seq=seq, kind="entity", label=label if label != "DEL" else "PER",
                                   start=start, end=end)
            ws, out = apply(sqlite_store, ws, action)
            if out.error:
                assert ws.aset == before
        for m in ws.aset.entities:
            assert doc.text[m.start : m.end] == m.text and m.text == m.text.strip()
        draft = sqlite_store.drafts.find(doc.id, user.name)
        if ws.aset.content() != AnnotationSet(doc_id=doc.id, author=user.name).content() or draft is not None:
            assert draft is not None and draft.aset.content() == ws.aset.content()
