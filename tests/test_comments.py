"""Comments: notes on marks and documents, flags for curators, return notes; in the store, the workspace and undo.

Judged in the store on SQLite and PostgreSQL: what an annotator writes is stored with the mark's text, undo and
redo withdraw and restore it, blind annotation keeps other annotators out, curators see the flags and return a
submitted set with a note the annotator sees until they submit again.
"""

from __future__ import annotations

import pytest

from annotate.annotation import editing as ed
from annotate.annotation.comments import comment_label, flagged_documents, readable_comments, resolve_flag
from annotate.annotation.prelabel import prelabel
from annotate.annotation.workspace import (
    Workspace,
    add_note,
    edit,
    flag,
    open_workspace,
    redo,
    return_to_annotator,
    save,
    submit,
    undo,
    unfinished_items,
    withdraw_comment,
)
from annotate.errors import AuthError, InputError, NotFound
from annotate.models import AnnotationSet, AnnotationStatus, Comment, CommentKind, CommentStatus, Document
from annotate.store import Store, User
from annotate.taxonomy import default_taxonomy
from annotate.text.bidi import quote

TAX = default_taxonomy()
# A source error as in seed 003: January paired with the Levantine name of December.
TEXT = "قال المتحدث في التاسع من يناير/كانون الأول إن الاجتماع في بغداد انتهى."
DOC = Document.create(TEXT, lang="ar", id="doc-ar-err", reference_date="2023-01-20")


@pytest.fixture
def people(store: Store) -> dict[str, User]:
    """The document, pre-labelled, with two annotators and a curator (on SQLite and PostgreSQL)."""
    store.documents.put([DOC], actor="test")
    list(prelabel(store, actor="test"))
    return {name: store.users.add(name, role, "password123", actor="test")
            for name, role in (("alice", "annotator"), ("bob", "annotator"), ("cora", "curator"))}


def _ws(store: Store, user: User, author: str | None = None) -> Workspace:
    return open_workspace(store, TAX, DOC.id, user, author)


def _with_dates(store: Store, ws: Workspace) -> Workspace:
    """Both halves of the dual month name marked and linked (the engine finds the link inconsistent)."""
    for piece in ("التاسع من يناير", "كانون الأول"):
        s = TEXT.index(piece)
        ws = edit(store, ws, ed.add_date, s, s + len(piece))
    return edit(store, ws, ed.link_dates, ws.aset.dates[0].id, ws.aset.dates[1].id)


def test_store_adds_lists_and_changes_status_and_audits(store: Store, people: dict[str, User]) -> None:
    a = store.comments.add(Comment(doc_id=DOC.id, set_author="alice", text="  سؤال  ", author="alice"), actor="alice")
    assert (a.id, a.text, a.status, a.kind) == (1, "سؤال", CommentStatus.open, CommentKind.note)
    assert a.created_at is not None and a.updated_at is None
    f = store.comments.add(Comment(doc_id=DOC.id, set_author="bob", kind=CommentKind.flag, text="نص ناقص",
                                   author="bob"), actor="bob")
    done = store.comments.set_status(f.id, "resolved", actor="cora")
    assert done.status is CommentStatus.resolved and done.updated_by == "cora"
    assert [c.id for c in store.comments.list(DOC.id, "alice")] == [a.id]
    assert [c.id for c in store.comments.list(kinds=["flag"], statuses=["resolved"])] == [f.id]
    assert store.comments.list(kinds=["flag"], statuses=["open"]) == []
    assert [e.action for e in store.audit.list() if e.action.startswith("comment")] == [
        "comment.add", "comment.add", "comment.status"]
    with pytest.raises(NotFound, match="#99"):
        store.comments.set_status(99, "resolved", actor="cora")
    with pytest.raises(InputError, match="status: unknown comment status 'gone'"):
        store.comments.set_status(a.id, "gone", actor="cora")
    with pytest.raises(NotFound, match="doc-none"):
        store.comments.add(Comment(doc_id="doc-none", set_author="x", text="t", author="x"), actor="x")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"text": "   "}, "needs some text"),
        ({"text": "x" * 2001}, "at most 2000"),
        ({"kind": "flag", "target": "e-1"}, "whole document"),
        ({"text": "a\x00b"}, "NUL"),
        ({"kind": "praise"}, "kind"),
    ],
)
def test_bad_comments_are_refused_naming_the_problem(data: dict[str, object], problem: str) -> None:
    from annotate.models import parse_model

    with pytest.raises(InputError, match=problem):
        parse_model(Comment, {"doc_id": DOC.id, "set_author": "a", "text": "t", "author": "a", **data},
                    where="comment")


def test_a_note_on_an_inconsistent_link_settles_it_and_undo_takes_it_back(
    store: Store, people: dict[str, User]
) -> None:
    ws = _with_dates(store, _ws(store, people["alice"]))
    (ln,) = ws.aset.links
    assert not ln.consistent
    assert [u.kind for u in unfinished_items(ws)][:1] == ["link"]
    ws = add_note(store, ws, ln.id, "خطأ في المصدر: يناير مع كانون الأول")
    (note,) = store.comments.list(DOC.id, "alice")
    assert (note.target, note.target_text) == (ln.id, "التاسع من يناير = كانون الأول")
    assert "link" not in [u.kind for u in unfinished_items(ws)]
    assert ws.history.undo_name == f"note on {quote('التاسع من يناير = كانون الأول')}"
    assert comment_label(note) == f"note on {quote('التاسع من يناير = كانون الأول')}"
    ws = undo(store, ws)
    assert store.comments.get(note.id).status is CommentStatus.withdrawn
    assert ws.comments == () and "link" in [u.kind for u in unfinished_items(ws)]
    ws = redo(store, ws)
    assert store.comments.get(note.id).status is CommentStatus.open and ws.noted == {ln.id}
    # Undo runs through comments and edits alike.
    ws = undo(store, undo(store, ws))
    assert ws.aset.links == [] and store.comments.get(note.id).status is CommentStatus.withdrawn
    # A note on a date of the link also settles it; a note on the document does not.
    ws = redo(store, ws)
    ws = add_note(store, ws, None, "ملاحظة عامة")
    assert "link" in [u.kind for u in unfinished_items(ws)]
    ws = add_note(store, ws, ws.aset.dates[1].id, "الشهر من تقويم آخر")
    assert "link" not in [u.kind for u in unfinished_items(ws)]
    with pytest.raises(InputError, match="target: no mark"):
        add_note(store, ws, "e-nope", "x")


def test_notes_and_flags_follow_blind_annotation(store: Store, people: dict[str, User]) -> None:
    alice = add_note(store, _ws(store, people["alice"]), None, "سؤال عن النص")
    alice = flag(store, alice, "هل هذا خبر؟")
    save(store, alice)
    with pytest.raises(AuthError, match="blind"):
        readable_comments(store, people["bob"], DOC.id, "alice")
    assert _ws(store, people["bob"]).comments == ()
    seen = readable_comments(store, people["cora"], DOC.id, "alice")
    assert [c.kind for c in seen] == [CommentKind.note, CommentKind.flag]
    assert [c.text for c in _ws(store, people["cora"], "alice").comments] == ["سؤال عن النص", "هل هذا خبر؟"]
    cora_view = _ws(store, people["cora"], "alice")
    with pytest.raises(AuthError, match="read-only"):
        add_note(store, cora_view, None, "x")
    with pytest.raises(AuthError, match="their own"):
        flag(store, cora_view, "x")
    with pytest.raises(AuthError, match="curators"):
        flagged_documents(store, people["bob"])


def test_curators_see_open_flags_and_resolve_them(store: Store, people: dict[str, User]) -> None:
    ws = flag(store, _ws(store, people["alice"]), "النص مقطوع في آخره")
    (listed,) = flagged_documents(store, people["cora"])
    assert (listed.comment.text, listed.comment.set_author, listed.lang) == ("النص مقطوع في آخره", "alice", "ar")
    assert listed.title == TEXT  # no title: the first line
    with pytest.raises(AuthError, match="curators"):
        resolve_flag(store, people["alice"], listed.comment.id)
    resolve_flag(store, people["cora"], listed.comment.id)
    assert flagged_documents(store, people["cora"]) == []
    # The annotator may withdraw a flag of theirs (and undo that), but not resolve it.
    ws = flag(store, ws, "ثانية")
    second = ws.comments[-1]
    ws = withdraw_comment(store, ws, second.id)
    assert flagged_documents(store, people["cora"]) == []
    undo(store, ws)
    assert [f.comment.id for f in flagged_documents(store, people["cora"])] == [second.id]


def test_a_curator_returns_a_submitted_set_with_a_note_until_it_is_submitted_again(
    store: Store, people: dict[str, User]
) -> None:
    ws = submit(store, _with_dates(store, _ws(store, people["alice"])), confirmed=True)
    assert ws.read_only and store.sets.get(DOC.id, "alice").status is AnnotationStatus.submitted
    view = _ws(store, people["cora"], "alice")
    with pytest.raises(AuthError, match="curator"):
        return_to_annotator(store, ws, "x")
    back = return_to_annotator(store, view, "أضف ملاحظة على الربط غير المتسق")
    head = store.sets.get(DOC.id, "alice")
    assert head.status is AnnotationStatus.in_progress and head.revision == 2 and back.base_revision == 2
    assert [r.saved_by for r in store.sets.list_revisions(DOC.id, "alice")] == ["alice", "cora"]
    with pytest.raises(InputError, match="only a submitted set"):
        return_to_annotator(store, back, "again")
    mine = _ws(store, people["alice"])
    assert not mine.read_only
    (note,) = mine.open_of(CommentKind.returned)
    assert (note.author, note.text) == ("cora", "أضف ملاحظة على الربط غير المتسق")
    mine = add_note(store, mine, mine.aset.links[0].id, "خطأ في المصدر")
    done = submit(store, mine)
    assert done.open_of(CommentKind.returned) == []
    assert store.comments.get(note.id).status is CommentStatus.resolved


def test_withdrawing_someone_elses_comment_is_refused(store: Store, people: dict[str, User]) -> None:
    ws = add_note(store, _ws(store, people["alice"]), None, "ملاحظة")
    cid = ws.comments[0].id
    save(store, ws)
    cora_own = _ws(store, people["cora"])
    with pytest.raises(InputError, match="not a note or flag of yours"):
        withdraw_comment(store, cora_own, cid)
    assert store.comments.get(cid).status is CommentStatus.open
    assert isinstance(store.sets.get(DOC.id, "alice"), AnnotationSet)


def test_curators_read_the_flag_of_an_annotator_who_never_saved(store: Store, people: dict[str, User]) -> None:
    from annotate.annotation.workspace import readable_authors

    flag(store, _ws(store, people["bob"]), "لم أحفظ بعد، لكن النص ناقص")
    assert readable_authors(store, DOC.id, people["cora"]) == ["cora", "bob"]
    view = _ws(store, people["cora"], "bob")
    assert view.read_only and view.base_revision == 0 and view.aset.entities == []
    assert [c.text for c in view.comments] == ["لم أحفظ بعد، لكن النص ناقص"]
    with pytest.raises(NotFound):
        _ws(store, people["cora"], "alice")  # neither a set nor a comment


def test_a_store_of_format_2_gets_the_comments_table_when_opened(store: Store) -> None:
    from annotate.store.schema import STORE_FORMAT

    store.documents.put([DOC], actor="t")
    with store.engine.begin() as conn:  # what a project made before comments holds
        conn.exec_driver_sql("DROP TABLE comments")
        conn.exec_driver_sql("UPDATE meta SET value = '2' WHERE key = 'store_format'")
    reopened = Store(store.url)
    reopened.create_schema()
    assert reopened.meta.find("store_format") == str(STORE_FORMAT) == "3"
    added = reopened.comments.add(Comment(doc_id=DOC.id, set_author="sara", text="بعد الترقية", author="sara"),
                                  actor="sara")
    assert reopened.comments.list() == [added]
    reopened.close()


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [("kind", "praise", "kind"), ("text", "   ", "needs some text"), ("set_author", "gold", "set_author"),
     ("created_at", "yesterday", "ISO 8601"), ("id", "7", "id")],
)
def test_a_dumped_comment_that_breaks_a_rule_is_refused_naming_its_line(
    store: Store, store_factory: object, field: str, value: str, problem: str
) -> None:
    import io
    import json

    from annotate.store.dump import dump, restore

    store.documents.put([DOC], actor="t")
    store.comments.add(Comment(doc_id=DOC.id, set_author="sara", text="ملاحظة", author="sara"), actor="sara")
    out = io.StringIO()
    dump(store, out)
    lines = out.getvalue().splitlines()
    n = next(i for i, line in enumerate(lines) if json.loads(line)["kind"] == "comment")
    record = json.loads(lines[n])
    record["row"][field] = value
    lines[n] = json.dumps(record, ensure_ascii=False)
    target = store_factory()  # type: ignore[operator]
    with pytest.raises(InputError, match=problem) as info:
        restore(target, io.StringIO("\n".join(lines) + "\n"), name="bad.jsonl")
    assert f"bad.jsonl:{n + 1}" in str(info.value)
    assert target.backup.is_empty()
