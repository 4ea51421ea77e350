"""Adjudicate one document: the annotators' versions side by side, each difference decided with one key (or a
button), the gold set edited in the labeler with the annotators' versions beside it (and its date links with
their verdicts), then saved as the document's gold set with provenance, after confirming what is unfinished.

The working gold set is a workspace (:func:`annotate.curation.adjudication.gold_workspace`): decisions, labeler
actions and panel edits all go through :mod:`annotate.annotation.workspace`, which autosaves a draft of it;
saving goes through :func:`annotate.curation.adjudication.save_workspace`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from annotate.annotation import editing, workspace
from annotate.annotation.comments import comment_label, resolve_flag
from annotate.annotation.workspace import Workspace
from annotate.app.context import adjudication_document, get_project, get_store, require_role
from annotate.app.labeler import labeler, send_previews, settle_actions, take_actions
from annotate.app.marks import pane_keys, panes, take_pane_actions
from annotate.app.panels import (
    confirm_unfinished,
    date_panel,
    event_panel,
    history_button_keys,
    history_buttons,
    links_panel,
    synced_key,
)
from annotate.app.ui import call, code, plain, user_text
from annotate.curation import adjudication as adj
from annotate.curation import comparison, feedback, gold_sets
from annotate.errors import AnnotateError
from annotate.models import (
    COMMENT_MAX,
    AnnotationSet,
    AnnotationStatus,
    Comment,
    CommentKind,
    CommentStatus,
    DateMention,
    EntityMention,
    Event,
)
from annotate.text.bidi import quote

SPACES = "adjudicate_ws"  # session-state key: document id -> the gold workspace of that document
CURRENT = "adjudicate_current"  # session-state key: document id -> id of the difference under decision
NOTICE = "adjudicate_notice"  # session-state key: what the last decision or edit said (a refusal)
SELECTED = "adjudicate_selected"  # session-state key: the mark selected in the gold labeler
PANES_KEY = "adjudicate_panes"
SIDE_PANES_KEY = "adjudicate_side_panes"
LABELER_KEY = "adjudicate_labeler"
GOTO_KEY = "adjudicate_goto"
PICKER_KEY = "adjudicate_doc_select"
RETURNED = "adjudicate_returned"  # session-state key: what the last return said, shown after the rerun
GOLD_ASK = "adjudicate_gold_ask"  # session-state key: the document whose unfinished list is open before a save
MODE_KEY = "adjudicate_mode"
COMMENT_BADGE = {
    (CommentKind.flag, CommentStatus.open): ":orange-badge[:material/flag: open]",
    (CommentKind.flag, CommentStatus.resolved): ":gray-badge[:material/done: resolved]",
    (CommentKind.returned, CommentStatus.open): ":blue-badge[:material/assignment_return: returned]",
}
DECIDE, EDIT = "Decide the differences", "Edit gold in the labeler"
STATE_BADGE = {
    adj.GroupState.undecided: ":orange-badge[:material/pending: undecided]",
    adj.GroupState.accepted: ":blue-badge[:material/check_circle: accepted]",
    adj.GroupState.rejected: ":gray-badge[:material/cancel: rejected]",
}

user = require_role("curator", "admin")
store = get_store()
taxonomy = get_project().taxonomy()

st.title("Adjudicate")
queue = call(gold_sets.adjudication_queue, store)
if not queue:
    st.info("No document has an annotator's set yet.")
    st.stop()
# No gold status in the labels: a label that changes after a save would make Streamlit treat the picker as new.
labels = {d.doc_id: f"{d.doc_id} · {d.lang} · {len(d.annotators)} annotator(s)" for d in queue}
ids = list(labels)
wanted = adjudication_document()


def pick(picked: str) -> None:
    """Open ``picked`` (a button's callback: it runs before the picker is drawn, so the picker may be set)."""
    st.session_state[PICKER_KEY] = picked


def flagged_list(flags: dict[str, list[Comment]]) -> None:
    """The documents annotators flagged for a curator, with what they wrote; a button opens each one here."""
    with st.expander(f"Flagged for a curator ({sum(len(f) for f in flags.values())})", icon=":material/flag:"):
        for flagged_id, flagged in flags.items():
            row = st.columns([5, 1.4], vertical_alignment="center")
            row[0].markdown(f"**{plain(flagged_id)}** · flagged by "
                            + ", ".join(dict.fromkeys(plain(c.set_author) for c in flagged)))
            for c in flagged:
                user_text(c.text, container=row[0])
            row[1].button("Adjudicate it", key=f"adjudicate_flagged_{flagged_id}", on_click=pick, args=(flagged_id,),
                          icon=":material/gavel:")


open_flags = call(feedback.flags_by_document, store, user, ids) or {}
if open_flags:
    flagged_list(open_flags)
doc_id: str = st.selectbox(
    "Document", ids, index=ids.index(wanted) if wanted in ids else 0, format_func=labels.__getitem__,
    key=PICKER_KEY,
)
session = call(gold_sets.open_session, store, doc_id)
if session is None:
    st.stop()
ctx, diff = session.ctx, session.diff


def resolve(comment_id: int) -> None:
    """Resolve an open flag (a button's callback)."""
    call(resolve_flag, store, user, comment_id)


def feedback_panel(fb: feedback.Feedback) -> None:
    """Every annotator's notes, flags and return notes on this document (open flags resolvable), and a form to
    return a submitted set with a note."""
    flags = fb.open_flags
    title = f"Comments and flags ({fb.count})" + (f" · {len(flags)} open flag(s)" if flags else "")
    with st.expander(title, icon=":material/flag:" if flags else ":material/forum:", expanded=bool(flags)):
        if not fb.count:
            st.caption("No annotator left a note or a flag on this document.")
        for name, comments in fb.comments.items():
            for c in comments:
                when = c.created_at.strftime("%Y-%m-%d %H:%M UTC") if c.created_at else ""
                line = st.columns([6, 1.2], vertical_alignment="center")
                line[0].markdown(f"**{plain(name)}** · {plain(comment_label(c))} · by {plain(c.author)} · {when} · "
                                 f"{COMMENT_BADGE.get((c.kind, c.status), c.status.value)}")
                user_text(c.text, container=line[0])
                if c.kind is CommentKind.flag and c.status is CommentStatus.open:
                    line[1].button("Resolve", key=f"adjudicate_resolve_{c.id}", on_click=resolve, args=(c.id,),
                                   icon=":material/done:")
        if not fb.submitted:
            st.caption("Only a submitted set can be returned to its annotator; none of this document's is.")
            return
        with st.form("adjudicate_return_form", clear_on_submit=True, border=False):
            who = st.selectbox("Return the submitted set of", fb.submitted, key="adjudicate_return_who")
            note = st.text_area("Note to the annotator", max_chars=COMMENT_MAX, key="adjudicate_return_note",
                                placeholder="What should change before it is submitted again?")
            if st.form_submit_button("Return to annotator", icon=":material/assignment_return:"):
                done = call(feedback.return_with_note, store, user, doc_id, str(who), note)
                if done is not None:
                    returned, comment = done
                    st.session_state[RETURNED] = (f"Returned {returned.author}'s set: revision {returned.revision} "
                                                  f"is in progress, with your note (#{comment.id}).")
                    st.rerun()


returned_notice = st.session_state.pop(RETURNED, None)
if returned_notice:
    st.success(plain(returned_notice), icon=":material/assignment_return:")
fb = call(feedback.document_feedback, store, user, doc_id, diff.annotators)
if fb is not None:
    feedback_panel(fb)
spaces: dict[str, Workspace] = st.session_state.setdefault(SPACES, {})
current_of: dict[str, str] = st.session_state.setdefault(CURRENT, {})


def fresh() -> Workspace:
    """The gold set as stored now, opened for this curator."""
    opened = call(gold_sets.gold_workspace, store, taxonomy, doc_id, user)
    if opened is None:
        st.stop()
    return opened


ws = spaces.get(doc_id)
if ws is None:
    ws = fresh()
elif session.gold is not None and session.gold.revision > ws.base_revision:
    if ws.aset.content() != session.gold.content():
        st.warning(
            f"The gold set was saved elsewhere (revision {session.gold.revision}); this page now shows that "
            "revision and your unsaved changes are gone.",
            icon=":material/sync_problem:",
        )
    ws = fresh()
spaces[doc_id] = ws


def keep(new: Workspace | None) -> None:
    """Keep a changed workspace and redraw the page with it."""
    if new is not None:
        spaces[doc_id] = new
        st.rerun()


def do(fn: Callable[..., Workspace], *args: Any, **kwargs: Any) -> None:
    """Run a workspace operation on the gold workspace; keep the result, or show why it was refused."""
    keep(call(fn, store, spaces[doc_id], *args, **kwargs))


if ws.draft is not None:
    when = ws.draft_saved_at.strftime("%Y-%m-%d %H:%M UTC") if ws.draft_saved_at else "earlier"
    with st.container(border=True):
        st.warning(f"There is unsaved gold work on this document from {when} (based on revision "
                   f"{ws.draft_base_revision}). Restore it or discard it.", icon=":material/restore:")
        restore, discard = st.columns(2)
        if restore.button("Restore the unsaved gold work", type="primary", key="adjudicate_restore"):
            do(workspace.restore_draft)
        if discard.button("Discard it", key="adjudicate_discard"):
            do(workspace.discard_draft)

if ws.status is AnnotationStatus.gold:
    st.success(
        f"Gold set saved (revision {ws.base_revision}). Reopen it to change anything; every change is a new "
        "revision.",
        icon=":material/verified:",
    )
    panes(ctx.document, diff, ws.aset, key=PANES_KEY, keys=False)
    if st.button("Reopen gold", icon=":material/lock_open:", key="adjudicate_reopen"):
        if call(gold_sets.reopen_gold, store, doc_id, actor=user.name) is not None:
            keep(fresh())
    st.stop()

groups = comparison.differences(diff)
group_ids = [g.id for g in groups]

# --- deciding: every change goes through here, from a key in the panes or a button ----------------------------


def neighbour(group_id: str | None, step: int, *, undecided_only: bool = False) -> str | None:
    """The difference ``step`` places from ``group_id`` (wrapping), or the next undecided one."""
    if not group_ids:
        return None
    at = group_ids.index(group_id) if group_id in group_ids else -1
    if undecided_only:
        gold_now = spaces[doc_id].aset
        for i in range(1, len(group_ids) + 1):
            g = groups[(at + i) % len(groups)]
            if adj.group_state(gold_now, g) is adj.GroupState.undecided:
                return g.id
        return group_id
    return group_ids[(at + step) % len(group_ids)]


def decide(kind: str, group_id: str | None, side: str | None = None) -> None:
    """Apply one decision to the gold workspace; a decision moves on to the next undecided difference."""
    if kind in ("next", "prev"):
        moved = neighbour(group_id or current_of.get(doc_id), 1 if kind == "next" else -1)
        if moved:
            current_of[doc_id] = moved
        return
    if group_id not in group_ids:
        st.session_state[NOTICE] = "That difference is not on this document any more; pick one from the list."
        return
    current_of[doc_id] = group_id
    if kind == "goto":
        return
    try:
        if kind == "reject":
            new = workspace.edit(store, spaces[doc_id], adj.reject_group, diff, group_id, adjudicator=user.name)
        else:
            new = workspace.edit(store, spaces[doc_id], adj.take, diff, group_id, side if kind == "take" else None,
                                 adjudicator=user.name)
    except AnnotateError as exc:
        st.session_state[NOTICE] = exc.message + (f" — {exc.hint}" if exc.hint else "")
        return
    spaces[doc_id] = new
    current_of[doc_id] = neighbour(group_id, 1, undecided_only=True) or group_id


# --- auto-merge and save ------------------------------------------------------------------------------------
bar = st.columns([2.4, 1.3, 1.1, 1.2], vertical_alignment="bottom")
bar[0].caption(
    f"Annotators: {', '.join(plain(a) for a in diff.annotators)} · gold: "
    + (f"revision {ws.base_revision}, {ws.status.value}" if ws.base_revision else "not saved yet")
    + (" · unsaved changes" if ws.dirty else "")
)
with bar[1].popover("Auto-merge", icon=":material/merge:"):
    strategy = st.segmented_control(
        "What counts as agreed", [s.value for s in adj.Strategy], default=adj.Strategy.unanimous.value,
        key="adjudicate_strategy",
    )
    min_count = int(st.number_input("Min. annotators (majority)", min_value=1, value=2, key="adjudicate_min"))
    if st.button("Merge what they agree on", icon=":material/merge:", key="adjudicate_auto"):

        def merged(c: editing.EditContext, gold: AnnotationSet) -> AnnotationSet:
            return adj.auto_merge(c, diff, adjudicator=user.name, strategy=strategy or "unanimous",
                                  min_count=min_count, gold=gold)

        do(workspace.edit, merged)
if bar[2].button("Save draft", icon=":material/save:", key="adjudicate_save_draft",
                 help="A new revision of the gold set, still in progress"):
    do(gold_sets.save_workspace, diff, final=False)


def save_as_gold() -> None:
    """Save the working copy as the document's gold set at once, or first list what is unfinished (an
    inconsistent link without a note, an unfilled required role, a date without a value, pending suggestions:
    the annotation page's check before submit) and ask."""
    if workspace.unfinished_items(spaces[doc_id]):
        st.session_state[GOLD_ASK] = doc_id
        st.rerun(scope="app")
    do(gold_sets.save_workspace, diff, final=True)


def close_gold_ask() -> None:
    """Forget that the unfinished list is open."""
    st.session_state.pop(GOLD_ASK, None)


def go_to(item: str) -> None:
    """Select ``item`` in the gold labeler (an unfinished item's "Go to")."""
    st.session_state[SELECTED] = item
    st.session_state[MODE_KEY] = EDIT


if bar[3].button("Save as gold", icon=":material/verified:", key="adjudicate_save"):
    save_as_gold()
if st.session_state.get(GOLD_ASK) == doc_id:
    confirm_unfinished(workspace.unfinished_items(spaces[doc_id]), title="Save as gold with unfinished work?",
                       confirm="Save as gold anyway", key="adjudicate_gold", goto_key="adjudicate_gold_goto",
                       on_confirm=lambda: do(gold_sets.save_workspace, diff, final=True, confirmed=True),
                       on_goto=go_to, on_close=close_gold_ask)

mode = st.segmented_control("Mode", [DECIDE, EDIT], default=DECIDE, key=MODE_KEY,
                            label_visibility="collapsed") or DECIDE


def version(option: comparison.Option) -> str:
    """An annotator's version as Markdown: the label as code, the document text quoted and escaped."""
    return f"{code(option.label)} {plain(option.describe().removeprefix(option.label).strip())}"


def describe_group(group_id: str) -> str:
    """A difference in one line, for the picker."""
    g = next(x for x in groups if x.id == group_id)
    return f"{g.layer} · " + " / ".join(dict.fromkeys(o.describe() for o in g.options))


def goto_picked() -> None:
    """Move to the difference picked in the list, and empty the picker."""
    picked = st.session_state.get(GOTO_KEY)
    if picked is not None:
        decide("goto", picked)
    st.session_state[GOTO_KEY] = None


def difference_card(group: comparison.Group, gold_now: AnnotationSet, total: int) -> None:
    """The difference under decision: each annotator's version side by side, and one button per decision."""
    with st.container(border=True):
        state = adj.group_state(gold_now, group)
        number = group_ids.index(group.id) + 1
        st.markdown(f"Difference **{number} of {total}** · {code(group.layer)} · "
                    f"{plain(group.reason or ('only some annotators' if group.kind == 'partial' else group.kind))}"
                    f" · {STATE_BADGE[state]}")
        sides = st.columns(len(diff.annotators))
        for col, name in zip(sides, diff.annotators, strict=True):
            mine = [o for o in group.options if name in o.annotators]
            shown = [version(o) + (" :material/check_circle:" if adj.in_gold(gold_now, o) else "") for o in mine]
            col.markdown(f"**{plain(name)}**: " + ("; ".join(shown) if shown else "_nothing marked here_"))
        shortcut = pane_keys(diff.annotators)
        buttons = st.columns(len(diff.annotators) + 4)
        for col, name in zip(buttons, diff.annotators, strict=False):
            col.button(f"Take {name}'s", key=f"adjudicate_take_{name}", on_click=decide,
                       args=("take", group.id, name), help=f"key {shortcut[name][0]}" if name in shortcut else None)
        rest = buttons[len(diff.annotators):]
        rest[0].button("Both", key="adjudicate_both", on_click=decide, args=("both", group.id),
                       icon=":material/call_merge:", help="key b: keep every version (not two of one span)")
        rest[1].button("Reject", key="adjudicate_reject", on_click=decide, args=("reject", group.id),
                       icon=":material/block:", help="key x or Delete: none of them goes into gold")
        rest[2].button("Previous", key="adjudicate_prev", on_click=decide, args=("prev", group.id),
                       icon=":material/arrow_upward:", help="key k or ↑")
        rest[3].button("Next", key="adjudicate_next", on_click=decide, args=("next", group.id),
                       icon=":material/arrow_downward:", help="key j or ↓")


def differences_table(current: comparison.Group, gold_now: AnnotationSet) -> None:
    """Every difference with each annotator's version and its state; a picker to go to one."""
    with st.expander(f"All {len(groups)} differences", expanded=len(groups) <= 15):
        # A Markdown table, not a data grid: the grid draws on a canvas that ignores bidi isolates, and these rows
        # mix right-to-left words with Latin labels.
        head = ["", "#", "layer", *[plain(n) for n in diff.annotators], "state"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for i, g in enumerate(groups):
            versions = ["; ".join(version(o) for o in g.options if n in o.annotators) or "—"
                        for n in diff.annotators]
            marker = ":material/arrow_right:" if g.id == current.id else ""
            lines.append("| " + " | ".join([marker, str(i + 1), g.layer, *versions,
                                              STATE_BADGE[adj.group_state(gold_now, g)]]) + " |")
        st.markdown("\n".join(lines))
        # Empty until a difference is picked, and emptied again at once (the keys move the page, not this box).
        st.selectbox("Go to difference", group_ids, index=None, placeholder="Go to difference…", key=GOTO_KEY,
                     format_func=lambda gid: f"{group_ids.index(gid) + 1}: {describe_group(gid)}",
                     on_change=goto_picked, label_visibility="collapsed")


def shown_gold() -> AnnotationSet:
    """The working copy with its provenance brought up to date (labeler edits are the curator's), for drawing."""
    return adj.stamp(spaces[doc_id].aset, diff, by=user.name)


@st.fragment
def decisions() -> None:
    """Progress, the difference under decision and the panes; a key in the panes reruns only this part."""
    for action in take_pane_actions(PANES_KEY):
        decide(action.type, action.group, action.side)
    gold_now = shown_gold()
    current = current_of.get(doc_id)
    if current not in group_ids:
        current = neighbour(None, 1, undecided_only=True) if group_ids else None
        if current is not None:
            current_of[doc_id] = current
    decided, total = adj.progress(diff, gold_now)
    if total == 0:
        st.info(f"{', '.join(plain(a) for a in diff.annotators)} made everything alike: nothing to decide. "
                "Auto-merge, then save as gold.", icon=":material/done_all:")
    else:
        st.markdown(f"**{decided} of {total} decided**")
        st.progress(decided / total)
        if decided == total:
            st.success(f"All {total} differences decided: save the working copy as the document's gold set.",
                       icon=":material/task_alt:")
            if st.button("Save as gold", type="primary", icon=":material/verified:", key="adjudicate_save_all"):
                save_as_gold()
    group = next((g for g in groups if g.id == current), None)
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.warning(plain(notice), icon=":material/block:")
    if group is not None:
        difference_card(group, gold_now, total)
    panes(ctx.document, diff, gold_now, key=PANES_KEY, focus=adj.focus_spans(group) if group else (),
          current=current, status=notice)
    st.caption("Hover a mark for its label, click it to go to its difference. The outlined words are the "
               "difference under decision, in every pane.")
    if group is not None:
        differences_table(group, gold_now)


# --- editing gold in the labeler, the annotators' versions beside it -------------------------------------------


def by_id(aset: AnnotationSet, item_id: str | None) -> EntityMention | DateMention | Event | None:
    """The mention or event with ``item_id``."""
    found: dict[str, EntityMention | DateMention | Event] = {m.id: m for m in aset.entities}
    found |= {d.id: d for d in aset.dates}
    found |= {ev.id: ev for ev in aset.events}
    return found.get(item_id) if item_id else None


@st.fragment
def gold_editor() -> None:
    """The labeler on the gold working copy (the annotation page's keys: select and press a label key, Delete,
    l/L to link dates, a/r for the date engine's suggestions, ctrl+s to save a draft), the annotators' panes
    beside it, the selected mark's panel and the date links with their verdicts (the annotation page's)."""
    ws_now = spaces[doc_id]
    select: str | None = None
    status: str | None = st.session_state.pop(NOTICE, None)  # what an undo or redo said
    chosen: dict[str, str | None] = {}
    # No session-state access until settle_actions: Streamlit may stop the run at any, and the actions must be
    # kept with the workspace they made (applied once; see annotate.app.labeler.Channel).
    actions = take_actions(LABELER_KEY)
    for action in actions:
        if action.type == "save":
            saved = call(gold_sets.save_workspace, store, ws_now, diff, final=False)
            ws_now, status = (saved, saved.message) if saved is not None else (ws_now, status)
            continue
        ws_now, outcome = workspace.apply(store, ws_now, action)
        select = outcome.select or select
        status = outcome.message or status
        if outcome.select or action.type == "select":
            chosen[SELECTED] = outcome.select
    spaces[doc_id] = ws_now  # a plain dict kept in session state: no stopping point
    settle_actions(LABELER_KEY, actions, chosen)
    gold_now = shown_gold()
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.markdown(f"**gold (working copy)** · {'unsaved changes' if ws_now.dirty else 'saved'}")
        labeler(ws_now.document, ws_now.aset, taxonomy, ws_now.suggestions, key=LABELER_KEY,
                select=select or st.session_state.get(SELECTED), status=status)
    with right:
        history_buttons(ws_now, move, key="adjudicate")
        panes(ctx.document, diff, gold_now, key=SIDE_PANES_KEY, keys=False, gold_pane=False, height=520)
        selected = by_id(ws_now.aset, st.session_state.get(SELECTED))
        if selected is not None:
            item_panel(selected)
        links_panel(ws_now, st.session_state.get(SELECTED), do, key="adjudicate")
    with left:  # last: what Ctrl+Z and Ctrl+Y would draw, drawn at their key
        send_previews(ws_now.document, taxonomy, {d: workspace.preview(ws_now, d) for d in ("undo", "redo")},
                      key=LABELER_KEY, buttons=history_button_keys("adjudicate"))


def move(fn: Callable[..., Workspace]) -> None:
    """Undo or redo on the gold working copy (a button callback); the labeler selects what the step brought back."""
    try:
        moved = fn(store, spaces[doc_id])
    except AnnotateError as exc:
        st.session_state[NOTICE] = exc.message
        return
    spaces[doc_id] = moved
    st.session_state[SELECTED] = moved.focus
    st.session_state[NOTICE] = moved.message


def item_panel(item: EntityMention | DateMention | Event) -> None:
    """The selected gold mark: its provenance; retype it, set a date's value, flags and note, an event's
    arguments (the annotation page's panels), or delete it."""
    prov = shown_gold().metadata.get(adj.PROVENANCE_KEY, {}).get(item.id, {})
    with st.container(border=True):
        text = item.trigger.text if isinstance(item, Event) else item.text
        kind = "event" if isinstance(item, Event) else "date" if isinstance(item, DateMention) else "entity"
        st.markdown(f"**{kind}** {plain(quote(text))} · provenance {code(str(prov.get('how', adj.CURATOR)))}"
                    + (f" (agreed by {', '.join(prov['agreed_by'])})" if prov.get("agreed_by") else ""))
        if isinstance(item, EntityMention):
            names = taxonomy.entity_names()
            new_type = st.selectbox("Type", names if item.type in names else [item.type, *names],
                                    key=synced_key(f"adjudicate_type_{item.id}", item.type))
            if new_type != item.type:
                do(workspace.edit, editing.set_entity_type, item.id, new_type)
        if isinstance(item, DateMention):
            date_panel(spaces[doc_id], item, do, key="adjudicate")
        elif isinstance(item, Event):
            event_panel(spaces[doc_id], item, do, key="adjudicate")
        if st.button("Delete", icon=":material/delete:", key=f"adjudicate_delete_{item.id}"):
            result = call(workspace.delete, store, spaces[doc_id], item.id)
            if result is not None:
                st.session_state[SELECTED] = None
                keep(result[0])


if mode == DECIDE:
    decisions()
else:
    gold_editor()
