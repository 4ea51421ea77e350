"""The annotation page: the labeler on one document, with panels for the selected mark, dates, links and events.

Reads widgets, calls :mod:`annotate.annotation.workspace` (which applies :mod:`annotate.annotation.editing` and talks
to the store), renders.  The workspace lives in session state per document and author; every change is autosaved
there as a draft by the workspace, so a reload offers it back.

Layout: the text on the left (its toolbar sticks to the top of the window while the page scrolls the text), the
side panel on the right, sticky too and scrolling on its own (:data:`PAGE_CSS`), with the selected mark's editor
near its top.  Panels are one function each.  An edit in the labeler reruns the labeler and the editor
(:func:`work_pane`); the panels below follow, each in a run of its own, when what they show changed
(:func:`follow`), so an edit does not send some hundred list rows again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from annotate.annotation import editing, panel, workspace
from annotate.annotation.completeness import Unfinished
from annotate.annotation.queue import build_queue, next_document
from annotate.annotation.workspace import SUBMITTED_REASON, Workspace
from annotate.app import context, panels
from annotate.app.labeler import follow_labeler, key_help, labeler, send_previews, settle_actions, take_actions
from annotate.app.panels import synced_key
from annotate.app.quickref import show_card
from annotate.app.ui import call, plain, user_text
from annotate.errors import AnnotateError
from annotate.models import (
    COMMENT_MAX,
    AnnotationStatus,
    Comment,
    CommentKind,
    DateMention,
    EntityMention,
    Event,
)
from annotate.suggest.sets import SuggestionInfo, describe_suggestion, describe_suggestions
from annotate.text.bidi import quote

LABELER_KEY = "ann_labeler"
WS_KEY = "ann_workspace"
SELECTED_KEY = "ann_selected"
NOTICE_KEY = "ann_notice"
NEXT_DOC_KEY = "ann_next_doc"
MOVED_KEY = "ann_moved"
SUBMIT_ASK_KEY = "ann_submit_ask"
DOC_PICK_KEY = "ann_doc_pick"

SIDE_KEY = "ann_side"
PAGE_CSS = f"""<style>
/* The side panel stays beside the text while the page scrolls it (below Streamlit's 3.75rem header), and
   scrolls on its own when it is taller than the window.  Streamlit wraps a keyed container in a layout wrapper
   as tall as the container, so the wrapper is what sticks (within the column, as tall as the text).  Not when
   the columns are stacked on a narrow screen. */
@media (min-width: 640px) {{
  [data-testid="stLayoutWrapper"]:has(> .st-key-{SIDE_KEY}), .st-key-{SIDE_KEY} {{ position: sticky; top: 4.25rem; }}
  .st-key-{SIDE_KEY} {{ max-height: calc(100vh - 5rem); overflow-y: auto; scrollbar-gutter: stable;
    padding-inline-end: 4px; }}
}}
</style>"""

user = context.current_user()
store = context.get_store()
taxonomy = context.get_project().taxonomy()

st.title("Annotate")
st.html(PAGE_CSS)

# --- which document, whose set ---------------------------------------------------------------------------------

rows = call(build_queue, store, user) or []
doc_ids = [r.doc_id for r in rows]
wanted = st.query_params.get("doc") or context.selected_document()
if wanted and wanted not in doc_ids:
    doc_ids.insert(0, wanted)  # opening it says why not, if it cannot be opened
if not doc_ids:
    st.info("No documents to annotate yet.")
    st.stop()
# After a submit the page opens the next document: the picker's value is set before the picker is drawn.
if (next_doc := st.session_state.pop(NEXT_DOC_KEY, None)) in doc_ids:
    st.session_state[DOC_PICK_KEY] = wanted = next_doc
    st.query_params["doc"] = next_doc
# No status in the labels: a label that changes after a save would make Streamlit treat the picker as new.
labels = {r.doc_id: " · ".join(x for x in (r.doc_id, r.lang, r.title) if x) for r in rows}
pick_cols = st.columns([3, 2])
doc_id = pick_cols[0].selectbox(
    "Document", doc_ids, index=doc_ids.index(wanted) if wanted in doc_ids else 0,
    format_func=lambda d: labels.get(d, d), key=DOC_PICK_KEY,
)
if st.query_params.get("doc") != doc_id:
    st.query_params["doc"] = doc_id
context.open_document(doc_id)
authors = call(workspace.readable_authors, store, doc_id, user) or [user.name]
if (asked := context.take_author()) in authors:  # a curator opened a flagged document: show the flagger's set
    st.session_state["ann_author_pick"] = asked
author = pick_cols[1].selectbox(
    "Annotation set", authors, format_func=lambda a: "mine" if a == user.name else f"{a} (read-only)",
    key="ann_author_pick", disabled=len(authors) == 1,
)


def load_workspace() -> Workspace:
    """The session's workspace for this document and set, opened afresh when either (or the sign-in) changed."""
    current = st.session_state.get(WS_KEY)
    session = context.session_token()
    if isinstance(current, Workspace) and (current.document.id, current.author, current.viewer, current.session) == (
        doc_id, author, user.name, session
    ):
        return current
    opened = call(workspace.open_workspace, store, taxonomy, doc_id, user, author, session=session)
    if opened is None:
        st.stop()
    st.session_state[WS_KEY] = opened
    st.session_state[SELECTED_KEY] = None
    return opened


ws: Workspace = load_workspace()


def keep(new: Workspace | None) -> None:
    """Keep a changed workspace and redraw the page with it (panels above the change must show it too)."""
    if new is None:
        return
    st.session_state[WS_KEY] = new
    if new.message:
        st.session_state[NOTICE_KEY] = new.message
    st.rerun()


def do(fn: Callable[..., Workspace], *args: Any, **kwargs: Any) -> None:
    """Run a workspace operation on the current workspace; keep the result, or show why it was refused."""
    keep(call(fn, store, ws, *args, **kwargs))


# --- banners: notices, draft restore, conflict ------------------------------------------------------------------

# Fixed slots: the element tree above the labeler must not change shape between runs, or Streamlit remounts the
# component and the browser loses its selection and unacknowledged actions.
banners = st.container()
notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    st.toast(notice)
if ws.draft is not None:
    with banners.container(border=True):
        when = ws.draft_saved_at.strftime("%Y-%m-%d %H:%M UTC") if ws.draft_saved_at else "earlier"
        st.warning(
            f"You have unsaved work on this document from {when} (based on revision {ws.draft_base_revision}). "
            "Restore it or discard it.", icon=":material/restore:",
        )
        c1, c2 = st.columns(2)
        if c1.button("Restore my unsaved work", key="ann_restore", type="primary"):
            do(workspace.restore_draft)
        if c2.button("Discard it", key="ann_discard"):
            do(workspace.discard_draft)


def submitted_banner(ws: Workspace) -> None:
    """One's own submitted set is read-only: say so, and offer to reopen it (a new revision)."""
    if ws.read_only_reason != SUBMITTED_REASON:
        return
    with banners.container(border=True):
        st.info(f"You submitted this document (revision {ws.base_revision}): it is read-only. Reopen it to change "
                "it; that saves a new revision in progress.", icon=":material/lock:")
        if st.button("Reopen to edit", key="ann_reopen", icon=":material/lock_open:"):
            do(workspace.reopen)


def returned_banner(ws: Workspace) -> None:
    """A curator returned this set: show their note until it is submitted again."""
    notes = ws.open_of(CommentKind.returned)
    if not notes or ws.author != ws.viewer:
        return
    with banners.container(border=True):
        for c in notes:
            when = c.created_at.strftime("%Y-%m-%d %H:%M UTC") if c.created_at else ""
            st.warning(f"**Returned by {plain(c.author)}** ({when}) — change what the note asks, then submit "
                       "again:", icon=":material/assignment_return:")
            user_text(c.text)


def return_form(ws: Workspace) -> None:
    """Curators viewing an annotator's submitted set may return it with a note (a new revision in progress)."""
    if ws.author == ws.viewer or ws.viewer_role not in workspace.STAFF_ROLES:
        return
    if ws.status is not AnnotationStatus.submitted:
        return
    with banners.container(border=True), st.form("ann_return_form", border=False):
        note = st.text_area(f"Return {ws.author}'s set with a note", key="ann_return_note", max_chars=COMMENT_MAX,
                            placeholder="What should change before it is submitted again?")
        if st.form_submit_button("Return to annotator", icon=":material/assignment_return:"):
            do(workspace.return_to_annotator, note)


submitted_banner(ws)
returned_banner(ws)
return_form(ws)
if ws.conflict is not None:
    c = ws.conflict
    with banners.container(border=True):
        st.error(plain(c.message), icon=":material/merge:")
        left, right = st.columns(2)
        with left:
            st.markdown(f"**Only in yours** ({len(c.only_mine)})")
            st.text("\n".join(c.only_mine) or "—")
        with right:
            st.markdown(f"**Only in revision {c.theirs.revision}** ({len(c.only_theirs)})")
            st.text("\n".join(c.only_theirs) or "—")
        b1, b2, b3 = st.columns(3)
        if b1.button("Keep mine", key="ann_keep_mine"):
            do(workspace.resolve_conflict, "mine")
        if b2.button("Take theirs", key="ann_take_theirs"):
            do(workspace.resolve_conflict, "theirs")
        if b3.button("Merge (theirs + my marks)", key="ann_merge", type="primary"):
            do(workspace.resolve_conflict, "merge")

# --- save / submit bar -------------------------------------------------------------------------------------------

bar = st.columns([2, 1, 1, 2])
feedback = st.container()  # where a refused save or submit says why (a fixed slot, see above)
if bar[1].button("Save", key="ann_save", type="primary", disabled=ws.read_only, icon=":material/save:"):
    with feedback:
        do(workspace.save)


def finish_submit(confirmed: bool) -> None:
    """Submit the session's workspace; on success open the next document of the queue (or say the queue is done)."""
    current: Workspace = st.session_state[WS_KEY]
    done = call(workspace.submit, store, current, confirmed=confirmed)
    if done is None:
        return
    st.session_state[WS_KEY] = done
    if done.conflict is not None:
        st.session_state[NOTICE_KEY] = done.message
        st.rerun()
    following = next_document(rows, current.document.id)
    if following is None:
        st.session_state[NOTICE_KEY] = f"{done.message}. Nothing else is left in your queue."
    else:
        st.session_state[NEXT_DOC_KEY] = following
        st.session_state[NOTICE_KEY] = f"{done.message}. Next: {labels.get(following, following)}"
    st.rerun()


def close_submit() -> None:
    """Forget that the unfinished list is open (closed with a button, Escape or its ✕)."""
    st.session_state.pop(SUBMIT_ASK_KEY, None)


def confirm_submit(items: list[Unfinished]) -> None:
    """List what is unfinished; submit anyway, go to an item, or keep working."""
    panels.confirm_unfinished(items, title="Submit with unfinished work?", confirm="Submit anyway", key="ann_submit",
                              goto_key="ann_goto", on_confirm=lambda: finish_submit(confirmed=True),
                              on_goto=go_to, on_close=close_submit)


def go_to(item: str) -> None:
    """Select ``item`` in the labeler (an unfinished item's "Go to")."""
    st.session_state[SELECTED_KEY] = item


if bar[2].button("Submit", key="ann_submit", disabled=ws.read_only, icon=":material/done_all:",
                 help="Save and mark this document done for you; then the next document of your queue opens"):
    with feedback:
        if workspace.unfinished_items(st.session_state[WS_KEY]):
            st.session_state[SUBMIT_ASK_KEY] = True
        else:
            finish_submit(confirmed=False)
if st.session_state.get(SUBMIT_ASK_KEY):
    confirm_submit(workspace.unfinished_items(st.session_state[WS_KEY]))
try:
    bar[3].page_link("views/guidelines.py", label="Guidelines", icon=":material/menu_book:")
except st.errors.StreamlitAPIException:
    bar[3].caption("Guidelines: see the Help section")

# --- side panels -------------------------------------------------------------------------------------------------


def by_id(item_id: str | None) -> EntityMention | DateMention | Event | None:
    """The working set's mention or event with ``item_id``."""
    if item_id is None:
        return None
    found: dict[str, EntityMention | DateMention | Event] = {m.id: m for m in ws.aset.entities}
    found |= {d.id: d for d in ws.aset.dates}
    found |= {ev.id: ev for ev in ws.aset.events}
    return found.get(item_id)


TYPE_LABELS = {t.name: t.label for t in taxonomy.entity_types} | {t.name: t.label for t in taxonomy.event_types}
TYPE_LABELS["DATE"] = "Date"


def type_title(name: str) -> str:
    """A type as the labeler's toolbar names it (``Person``), with its code (``PER``) when that differs."""
    label = TYPE_LABELS.get(name, name)
    return label if label.upper() == name.upper() else f"{label} ({name})"


def heading(kind: str, text: str, start: int, end: int) -> None:
    """The selected mark: its type (named as on the toolbar) and offsets on one line, its text on the next.

    Kept apart because a line mixing right-to-left text with numbers is reordered by the bidi algorithm.
    """
    st.markdown(f"**{plain(type_title(kind))}** · code points `[{start}, {end})`")
    st.markdown(quote(plain(text)))


def entity_panel(m: EntityMention) -> None:
    """Type and canonical id of an entity mention."""
    names = taxonomy.entity_names()
    new_type = st.selectbox("Type", names if m.type in names else [m.type, *names],
                            key=synced_key(f"ann_etype_{m.id}", m.type), disabled=ws.read_only,
                            format_func=type_title)
    if new_type != m.type:
        do(workspace.edit, editing.set_entity_type, m.id, new_type)
    with st.form(f"ann_canon_{m.id}", border=False):
        value = st.text_input("Canonical id", key=synced_key(f"ann_canon_in_{m.id}", m.canonical_id or ""),
                              disabled=ws.read_only, help="Same real-world entity across documents and scripts")
        if st.form_submit_button("Set canonical id", disabled=ws.read_only):
            do(workspace.edit, editing.set_canonical_id, m.id, value)
    if not ws.read_only:
        # Read once per document and revision, not on every labeler action (it reads every set of the project).
        cache_key = (ws.document.id, ws.base_revision)
        cached = st.session_state.get("ann_known_ids")
        if not cached or cached[0] != cache_key:
            cached = (cache_key, panel.known_canonical_ids(store, user))
            st.session_state["ann_known_ids"] = cached
        known = cached[1]
        sugg = call(panel.canonical_suggestions, ws, m.id, known) or []
        if sugg:
            st.caption("Suggested ids (already used in the project)")
            for s in sugg:
                if st.button(f"{s.canonical_id} · {s.matched} · {s.score:.1f}", key=f"ann_cs_{m.id}_{s.canonical_id}"):
                    do(workspace.edit, editing.set_canonical_id, m.id, s.canonical_id)


def date_panel(d: DateMention) -> None:
    """Calendar, month-name set and native value of a date (the Gregorian range is computed), flags, note."""
    panels.date_panel(ws, d, do, key="ann")


def event_panel(ev: Event) -> None:
    """Type, arguments by role (only what the taxonomy allows) and the roles still unfilled."""
    panels.event_panel(ws, ev, do, key="ann")


# --- undo and redo -------------------------------------------------------------------------------------------


def history_controls(ws: Workspace) -> None:
    """Undo and Redo buttons naming the step they undo or redo (ctrl+z, ctrl+shift+z / ctrl+y in the labeler)."""
    panels.history_buttons(ws, move, key="ann")


def move(fn: Callable[[Any, Workspace], Workspace]) -> None:
    """Undo or redo on the session's workspace before the workbench redraws (a button callback); the labeler
    selects what the step brought back and shows what was done, or why not."""
    try:
        moved = fn(store, st.session_state[WS_KEY])
    except AnnotateError as exc:
        st.session_state[MOVED_KEY] = str(exc)
        return
    st.session_state[WS_KEY] = moved
    st.session_state[SELECTED_KEY] = moved.focus
    st.session_state[MOVED_KEY] = moved.message


# --- comments: notes on marks, links and the document; flags for curators --------------------------------------


def comment_lines(comments: list[Comment]) -> None:
    """Each comment with who wrote it and when; one's own open note or flag can be withdrawn (undoable)."""
    panels.comment_lines(ws, comments, do, key="ann")


def note_form(target: str | None, key: str, label: str = "Add a note") -> None:
    """A one-line form that adds a note on ``target`` (None: the document)."""
    panels.note_form(ws, target, do, key="ann", slot=key, label=label)


def mark_notes(item_id: str) -> None:
    """Notes on the selected mark or event, and a form to add one."""
    comment_lines(ws.notes_on(item_id))
    note_form(item_id, item_id, "Note on this mark")


def comments_panel() -> None:
    """Notes on the document and flags for a curator; curators read every note of the set here."""
    shown = ws.comments if ws.author != ws.viewer else [c for c in ws.comments if c.target is None]
    flags = ws.open_of(CommentKind.flag)
    title = f"Notes and flags ({len(shown)})" + (" · flagged" if flags else "")
    with st.expander(title, expanded=bool(flags) or (ws.author != ws.viewer and bool(shown))):
        comment_lines(list(shown))
        note_form(None, "doc", "Note on the document")
        if ws.author == ws.viewer:
            with st.form("ann_flag_form", border=False, clear_on_submit=True):
                f1, f2 = st.columns([2, 1], vertical_alignment="bottom")
                why = f1.text_input("Flag for a curator", key="ann_flag_in", max_chars=COMMENT_MAX,
                                    placeholder="What should a curator look at?")
                if f2.form_submit_button("Flag", icon=":material/flag:", width="stretch"):
                    do(workspace.flag, why)


# --- the side panel: one function per panel, in the order they are shown ------------------------------------------


def editor_panel(selected: str | None, pending: list[str]) -> None:
    """The selected mark's editor (or the accept/reject of a selected suggestion), near the top of the side panel
    so that it is in view whenever a mark is selected."""
    item = by_id(selected)
    if selected and item is None and selected in pending:
        with st.container(border=True, key="ann_editor"):
            info = describe_suggestion(ws.suggestions, selected) if ws.suggestions is not None else None
            if info is None:
                st.markdown("**Suggestion**")
            else:
                st.markdown(f"**Suggested by the {plain(info.source)}** · {plain(info.kind)} {plain(info.label)}"
                            + ("" if info.confidence is None else f" · confidence {info.confidence:.2f}"))
                st.markdown(quote(plain(info.text)))
            s1, s2 = st.columns(2)
            if s1.button("Accept", key="ann_acc_sel", disabled=ws.read_only):
                do(workspace.accept_all, [selected])
            if s2.button("Reject", key="ann_rej_sel", disabled=ws.read_only):
                do(workspace.reject_all, [selected])
    elif item is not None:
        with st.container(border=True, key="ann_editor"):
            if isinstance(item, Event):
                heading(item.type, item.trigger.text, item.trigger.start, item.trigger.end)
                event_panel(item)
            elif isinstance(item, DateMention):
                heading("DATE", item.text, item.start, item.end)
                date_panel(item)
            else:
                heading(item.type, item.text, item.start, item.end)
                entity_panel(item)
            mark_notes(item.id)
            if st.button("Delete", key=f"ann_del_{item.id}", disabled=ws.read_only, icon=":material/delete:"):
                result = call(workspace.delete, store, ws, item.id)
                if result is not None:
                    st.session_state[SELECTED_KEY] = None
                    keep(result[0])
    else:
        st.caption("Click a mark in the text (or press J) to edit it here.")


def links_panel(selected: str | None) -> None:
    """The set's same_date links with their verdicts and notes, and a way to add one (:func:`panels.links_panel`)."""
    panels.links_panel(ws, selected, do, key="ann")


def events_panel() -> None:
    """The set's events, each a button that selects it."""
    with st.expander(f"Events ({len(ws.aset.events)})"):
        for ev in ws.aset.events:
            unfilled = panel.event_unfilled(ws, ev)
            if st.button(f"{type_title(ev.type)} {quote(ev.trigger.text)} · {len(ev.arguments)} args · unfilled: "
                         f"{', '.join(unfilled) or 'none'}", key=f"ann_pickev_{ev.id}"):
                st.session_state[SELECTED_KEY] = ev.id
                st.rerun()


SUGGESTION_PAGE = 10
THRESHOLD_KEY = "ann_acc_threshold"
SUGGESTION_START_KEY = "ann_sugg_start"


@dataclass(frozen=True)
class SuggestionsView:
    """What the suggestions panel shows: how many are pending, how many reach the threshold, and one page of rows
    (``start`` is the first row's place, the surest first) with what each suggestion is; compared from run to run
    (see :func:`follow`)."""

    shown: bool
    read_only: bool
    pending: int
    above: int
    threshold: float
    start: int
    rows: tuple[tuple[str, SuggestionInfo | None], ...]


def page_start(start: int, total: int) -> int:
    """The first row of the page holding row ``start`` of ``total`` (the last page when fewer are left)."""
    last = max(0, (total - 1) // SUGGESTION_PAGE * SUGGESTION_PAGE)
    return min(max(0, start // SUGGESTION_PAGE * SUGGESTION_PAGE), last)


def suggestions_view(ws: Workspace, pending: list[str]) -> SuggestionsView:
    """The :class:`SuggestionsView` of ``ws`` with its ``pending`` suggestions, at the page the annotator turned
    to."""
    if ws.suggestions is None:
        return SuggestionsView(False, ws.read_only, 0, 0, 0.0, 0, ())
    threshold = float(st.session_state.get(THRESHOLD_KEY, 0.8))
    confidence = {sid: ws.confidence(sid) for sid in pending}
    start = page_start(int(st.session_state.get(SUGGESTION_START_KEY, 0)), len(pending))
    page = sorted(pending, key=lambda x: -confidence[x])[start:start + SUGGESTION_PAGE]
    rows = tuple(zip(page, describe_suggestions(ws.suggestions, page), strict=True))
    above = sum(1 for c in confidence.values() if c >= threshold)
    return SuggestionsView(True, ws.read_only, len(pending), above, threshold, start, rows)


def turn_suggestions(start: int) -> None:
    """Show the page of suggestions from row ``start`` (a button callback; the panel's fragment reruns)."""
    st.session_state[SUGGESTION_START_KEY] = max(0, start)


def suggestion_pager(view: SuggestionsView) -> None:
    """Which rows are shown, surest first, with buttons to the page before and after (only with more than one)."""
    if view.pending <= SUGGESTION_PAGE:
        return
    end = view.start + len(view.rows)
    with st.container(horizontal=True, vertical_alignment="center", wrap=False, key="ann_sugg_pager"):
        st.caption(f"{view.start + 1}–{end} of {view.pending}")
        st.button("Back", key="ann_sugg_prev", icon=":material/chevron_left:", disabled=view.start == 0,
                  on_click=turn_suggestions, args=(view.start - SUGGESTION_PAGE,),
                  help=f"The {SUGGESTION_PAGE} suggestions before these")
        st.button("Next", key="ann_sugg_next", icon=":material/chevron_right:", disabled=end >= view.pending,
                  on_click=turn_suggestions, args=(view.start + SUGGESTION_PAGE,),
                  help=f"The {SUGGESTION_PAGE} suggestions after these")


def suggestion_row(sid: str, info: SuggestionInfo | None) -> None:
    """One pending suggestion: what and where it is, accept, reject.  A row of few elements (a follower run sends
    them all again): the text and its caption in a box, then the two buttons."""
    with st.container(horizontal=True, vertical_alignment="center", gap="small", wrap=False):
        with st.container():
            if info is None:
                st.markdown(plain(sid))
            else:
                score = "" if info.confidence is None else f" · {info.confidence:.2f}"
                # a link's text is already its two dates, each quoted
                st.markdown(plain(info.text) if info.kind == "link" else quote(plain(info.text)))
                prefix = "link · " if info.kind == "link" else ""
                st.caption(plain(f"{prefix}{info.label}{score} · {info.source}"
                                 + (f" · {info.detail}" if info.detail else "")))
        if st.button("✓", key=f"ann_acc_{sid}", help="Accept", disabled=ws.read_only):
            do(workspace.accept_all, [sid])
        if st.button("✕", key=f"ann_rej_{sid}", help="Reject", disabled=ws.read_only):
            do(workspace.reject_all, [sid])


def suggestions_panel(view: SuggestionsView) -> None:
    """The suggestions still pending (dates, entities, event triggers), to accept or reject one by one (a page of
    :data:`SUGGESTION_PAGE` at a time, the surest first), all at once or all at or above a confidence."""
    with st.expander(f"Pre-annotations ({view.pending} pending)", expanded=bool(view.pending) and not ws.read_only):
        if not view.shown:
            st.caption("Suggestions (dates, entities, event triggers) show only on your own set.")
        elif view.pending:
            p1, p2 = st.columns(2)
            if p1.button("Accept all", key="ann_acc_all", disabled=ws.read_only):
                do(workspace.accept_all)
            if p2.button("Reject all", key="ann_rej_all", disabled=ws.read_only):
                do(workspace.reject_all)
            t1, t2 = st.columns([3, 2], vertical_alignment="bottom")
            threshold = t1.slider("Confidence at least", 0.0, 1.0, 0.8, 0.05, key=THRESHOLD_KEY,
                                  help="Suggestions without a score (the date engine's) count as 1.")
            above = view.above if threshold == view.threshold else sum(
                1 for sid in ws.pending() if ws.confidence(sid) >= threshold)
            if t2.button(f"Accept {above}", key="ann_acc_above", disabled=ws.read_only or not above,
                         help=f"Accept the {above} suggestion(s) with a confidence of {threshold:.2f} or more"):
                do(workspace.accept_above, threshold)
            suggestion_pager(view)
            for sid, info in view.rows:
                suggestion_row(sid, info)
        else:
            st.caption("No pending suggestions.")


def keys_panel() -> None:
    """Every key of the labeler (the same table as its own help, ?), then the guidelines' quick-reference card."""
    with st.expander("Keys"):
        rows = key_help(taxonomy)
        st.table({"keys": [k for k, _ in rows], "does": [d for _, d in rows]})
    with st.expander("Quick reference"):
        show_card(taxonomy, key="ann")


def links_events_view(ws: Workspace, selected: str | None) -> tuple[Any, ...]:
    """What the date links (with their notes) and events panels show (the link form starts at the selected
    date)."""
    dates = {d.id for d in ws.aset.dates}
    links = {ln.id for ln in ws.aset.links}
    return (ws.read_only, ws.aset.links, ws.aset.dates, ws.aset.events,
            tuple(c for c in ws.comments if c.target in links), selected if selected in dates else None)


def notes_view(ws: Workspace, selected: str | None) -> tuple[Any, ...]:
    """What the notes panel shows."""
    return ws.read_only, ws.author, ws.viewer, ws.comments


# The panels below the editor, each a fragment that follows the labeler (see follow), with what it shows.  (A
# comment, not a docstring: Streamlit would write a bare string of a page on the page.)
FOLLOWERS: dict[str, Callable[[Workspace, str | None], Any]] = {
    "links_events": links_events_view,
    "suggestions": lambda ws, _selected: suggestions_view(ws, ws.pending()),
    "notes": notes_view,
}
SHOWN_KEY = "ann_shown"


def follow(name: str, view: Any) -> None:
    """Record that the panel ``name`` drew ``view`` and make its fragment follow the labeler: when an edit changes
    what it shows, the browser asks for its rerun once the labeler's run is through (:func:`stale_panels`)."""
    shown: dict[str, tuple[Any, int]] = st.session_state.setdefault(SHOWN_KEY, {})
    version = shown.get(name, (None, 0))[1] + 1
    shown[name] = (view, version)
    follow_labeler(LABELER_KEY, name, version)


def stale_panels(ws: Workspace, selected: str | None) -> dict[str, int]:
    """The panels whose view is out of date, with the version they drew."""
    shown: dict[str, tuple[Any, int]] = st.session_state.get(SHOWN_KEY) or {}
    return {name: version for name, (view, version) in shown.items()
            if view is not None and view != FOLLOWERS[name](ws, selected)}


# --- the workbench: the text and the panels beside it, each part rerun on its own --------------------------------


@st.fragment
def work_pane(edit_slot: Any) -> None:
    """Apply the labeler's actions, then draw the labeler and, in ``edit_slot`` at the top of the side panel, undo,
    redo and the selected mark's editor.

    A fragment, so that an action reruns only this part (not the router, the queue, the pickers, nor the panels
    below the editor, which follow when what they show changed: :func:`follow`): the new mark is back in the
    browser sooner.  Whatever changes the banners above reruns the whole page.
    """
    global ws
    if context.signed_in_user() is None:  # a fragment run skips the router's check: the session may have ended
        st.rerun(scope="app")
    ws = st.session_state[WS_KEY]
    had_conflict = ws.conflict is not None
    select: str | None = None
    status: str | None = None
    chosen: dict[str, str | None] = {}
    # No session-state access until settle_actions: Streamlit may stop the run at any, and the actions must be
    # kept with the workspace they made (applied once; see annotate.app.labeler.Channel).
    actions = take_actions(LABELER_KEY)
    for action in actions:
        ws, outcome = workspace.apply(store, ws, action)
        select = outcome.select or select
        status = outcome.message or status
        if outcome.select or action.type == "select":
            chosen[SELECTED_KEY] = outcome.select
    settle_actions(LABELER_KEY, actions, {WS_KEY: ws, **chosen})
    if ws.conflict is not None and not had_conflict:
        st.rerun(scope="app")  # ctrl+s was refused: the conflict banner is outside this fragment
    status = st.session_state.pop(MOVED_KEY, None) or status  # the labeler shows what an undo button did
    selected: str | None = st.session_state.get(SELECTED_KEY)
    state = "read-only" if ws.read_only else ("unsaved changes" if ws.dirty else "saved")
    st.markdown(f"**{plain(ws.author)}** · revision {ws.base_revision} · {ws.status.value} · {state}")
    labeler(ws.document, ws.aset, taxonomy, None if ws.read_only else ws.suggestions, key=LABELER_KEY,
            select=select or selected, status=status, follow=f".st-key-{SIDE_KEY}",
            stale=stale_panels(ws, selected))
    with edit_slot:
        history_controls(ws)
        editor_panel(selected, ws.pending())
    # Last, so that the labeler's data goes out first: what Ctrl+Z and Ctrl+Y would draw, drawn at their key.
    send_previews(ws.document, taxonomy, {d: workspace.preview(ws, d) for d in ("undo", "redo")}, key=LABELER_KEY,
                  buttons=panels.history_button_keys("ann"))


@st.fragment
def links_events_pane() -> None:
    """Date links and events: redrawn with the page, after their own widgets, and when an edit changed them."""
    global ws
    ws = st.session_state[WS_KEY]
    selected = st.session_state.get(SELECTED_KEY)
    links_panel(selected)
    events_panel()
    follow("links_events", links_events_view(ws, selected))


@st.fragment
def suggestions_pane() -> None:
    """The pending suggestions: redrawn with the page, after their own widgets, and when an edit changed them."""
    global ws
    ws = st.session_state[WS_KEY]
    view = suggestions_view(ws, ws.pending())
    suggestions_panel(view)
    follow("suggestions", view)


@st.fragment
def notes_pane() -> None:
    """Notes and flags: redrawn with the page, after their own widgets, and when an edit changed them."""
    global ws
    ws = st.session_state[WS_KEY]
    comments_panel()
    follow("notes", notes_view(ws, st.session_state.get(SELECTED_KEY)))


@st.fragment
def workbench() -> None:
    """The text on the left, the side panel on the right, sticky and scrolling on its own (see :data:`PAGE_CSS`):
    undo and redo and the selected mark's editor at its top (drawn by :func:`work_pane`), the lists below."""
    if context.signed_in_user() is None:
        st.rerun(scope="app")
    shown = st.session_state.get(SHOWN_KEY) or {}
    st.session_state[SHOWN_KEY] = {name: (None, v) for name, (_, v) in shown.items()}  # all drawn in this run
    doc_col, side = st.columns([3, 2], gap="medium")
    side_box = side.container(key=SIDE_KEY)
    edit_slot = side_box.container()
    with doc_col:  # the document before the panels: Streamlit sends it as soon as it is built
        work_pane(edit_slot)
    with side_box:
        links_events_pane()
        suggestions_pane()
        notes_pane()
        keys_panel()


workbench()
