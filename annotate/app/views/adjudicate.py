"""Adjudicate one document: the annotators' versions side by side, each difference decided with one key (or a
button), then saved as the document's gold set with provenance."""

from __future__ import annotations

import streamlit as st

from annotate.annotation import editing
from annotate.app.context import adjudication_document, get_store, require_role
from annotate.app.marks import pane_keys, panes, take_pane_actions
from annotate.app.ui import call, code, plain
from annotate.curation import adjudication as adj
from annotate.errors import AnnotateError
from annotate.models import AnnotationSet, AnnotationStatus

WORK = "adjudicate_work"  # session-state key: document id -> (working gold set, revision it is based on)
CURRENT = "adjudicate_current"  # session-state key: document id -> id of the difference under decision
NOTICE = "adjudicate_notice"  # session-state key: what the last decision said (an error, or a refusal)
PANES_KEY = "adjudicate_panes"
GOTO_KEY = "adjudicate_goto"
STATE_BADGE = {
    adj.GroupState.undecided: ":orange-badge[:material/pending: undecided]",
    adj.GroupState.accepted: ":blue-badge[:material/check_circle: accepted]",
    adj.GroupState.rejected: ":gray-badge[:material/cancel: rejected]",
}

user = require_role("curator", "admin")
store = get_store()

st.title("Adjudicate")
queue = call(adj.adjudication_queue, store)
if not queue:
    st.info("No document has an annotator's set yet.")
    st.stop()
labels = {
    d.doc_id: f"{d.doc_id} · {d.lang} · {len(d.annotators)} annotator(s)"
    + (f" · gold {d.gold_status} r{d.gold_revision}" if d.gold_status else "")
    for d in queue
}
ids = list(labels)
wanted = adjudication_document()
doc_id: str = st.selectbox(
    "Document", ids, index=ids.index(wanted) if wanted in ids else 0, format_func=labels.__getitem__,
    key="adjudicate_doc_select",
)
session = call(adj.open_session, store, doc_id)
if session is None:
    st.stop()
ctx, diff = session.ctx, session.diff
work: dict[str, tuple[AnnotationSet, int]] = st.session_state.setdefault(WORK, {})
current_of: dict[str, str] = st.session_state.setdefault(CURRENT, {})


def keep(gold: AnnotationSet | None, base: int | None = None) -> None:
    """Remember the working gold set (and its base revision) and redraw."""
    if gold is not None:
        work[doc_id] = (gold, work[doc_id][1] if base is None else base)
        st.rerun()


if doc_id not in work or (session.gold is not None and session.gold.revision > work[doc_id][1]):
    if doc_id in work and session.gold is not None and work[doc_id][0].content() != session.gold.content():
        st.warning(
            f"The gold set was saved elsewhere (revision {session.gold.revision}); this page now shows that "
            "revision and your unsaved changes are gone.",
            icon=":material/sync_problem:",
        )
    start = session.gold if session.gold is not None else adj.empty_gold(ctx)
    work[doc_id] = (start, session.gold.revision if session.gold is not None else 0)
gold, base = work[doc_id]
groups = adj.differences(diff)
group_ids = [g.id for g in groups]

if session.gold is not None and session.gold.status is AnnotationStatus.gold:
    st.success(
        f"Gold set saved (revision {session.gold.revision}). Reopen it to change anything; every change is a "
        "new revision.",
        icon=":material/verified:",
    )
    panes(ctx.document, diff, session.gold, key=PANES_KEY, keys=False)
    if st.button("Reopen gold", icon=":material/lock_open:", key="adjudicate_reopen"):
        reopened = call(adj.reopen_gold, store, doc_id, actor=user.name)
        if reopened is not None:
            keep(reopened, reopened.revision)
    st.stop()

# --- deciding: every change goes through here, from a key in the panes or a button ----------------------------


def neighbour(group_id: str | None, step: int, *, undecided_only: bool = False) -> str | None:
    """The difference ``step`` places from ``group_id`` (wrapping), or the next undecided one."""
    if not group_ids:
        return None
    at = group_ids.index(group_id) if group_id in group_ids else -1
    if undecided_only:
        gold_now = work[doc_id][0]
        for i in range(1, len(group_ids) + 1):
            g = groups[(at + i) % len(groups)]
            if adj.group_state(gold_now, g) is adj.GroupState.undecided:
                return g.id
        return group_id
    return group_ids[(at + step) % len(group_ids)]


def decide(kind: str, group_id: str | None, side: str | None = None) -> None:
    """Apply one decision to the working gold set; a decision moves on to the next undecided difference."""
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
    working = work[doc_id][0]
    try:
        if kind == "reject":
            new = adj.reject_group(ctx, working, diff, group_id, adjudicator=user.name)
        else:
            new = adj.take(ctx, working, diff, group_id, side if kind == "take" else None, adjudicator=user.name)
    except AnnotateError as exc:
        st.session_state[NOTICE] = exc.message + (f" — {exc.hint}" if exc.hint else "")
        return
    work[doc_id] = (new, work[doc_id][1])
    current_of[doc_id] = neighbour(group_id, 1, undecided_only=True) or group_id


# --- auto-merge and save ------------------------------------------------------------------------------------
bar = st.columns([2.4, 1.3, 1.1, 1.2], vertical_alignment="bottom")
bar[0].caption(
    f"Annotators: {', '.join(plain(a) for a in diff.annotators)} · gold: "
    + (f"revision {base}, {session.gold.status.value}" if session.gold is not None else "not saved yet")
)
with bar[1].popover("Auto-merge", icon=":material/merge:"):
    strategy = st.segmented_control(
        "What counts as agreed", [s.value for s in adj.Strategy], default=adj.Strategy.unanimous.value,
        key="adjudicate_strategy",
    )
    min_count = int(st.number_input("Min. annotators (majority)", min_value=1, value=2, key="adjudicate_min"))
    if st.button("Merge what they agree on", icon=":material/merge:", key="adjudicate_auto"):
        keep(call(adj.auto_merge, ctx, diff, adjudicator=user.name, strategy=strategy or "unanimous",
                  min_count=min_count, gold=gold))
if bar[2].button("Save draft", icon=":material/save:", key="adjudicate_save_draft"):
    saved = call(adj.save_gold, store, ctx, gold, actor=user.name, final=False, base_revision=base, diff=diff)
    if saved is not None:
        keep(saved, saved.revision)
if bar[3].button("Save as gold", icon=":material/verified:", key="adjudicate_save"):
    saved = call(adj.save_gold, store, ctx, gold, actor=user.name, final=True, base_revision=base, diff=diff)
    if saved is not None:
        keep(saved, saved.revision)


@st.fragment
def decisions() -> None:
    """Progress, the panes and the difference under decision; a key in the panes reruns only this part."""
    for action in take_pane_actions(PANES_KEY):
        decide(action.type, action.group, action.side)
    gold_now, _ = work[doc_id]
    current = current_of.get(doc_id)
    if current not in group_ids:
        current = neighbour(None, 1, undecided_only=True) if group_ids else None
        if current is not None:
            current_of[doc_id] = current
    decided, total = adj.progress(diff, gold_now)
    who = ", ".join(plain(a) for a in diff.annotators)
    if total == 0:
        st.info(f"{who} made everything alike: nothing to decide. Auto-merge, then save as gold.",
                icon=":material/done_all:")
    else:
        st.markdown(f"**{decided} of {total} decided**")
        st.progress(decided / total)
        if decided == total:
            st.success(f"All {total} differences decided: save the working copy as the document's gold set.",
                       icon=":material/task_alt:")
            if st.button("Save as gold", type="primary", icon=":material/verified:", key="adjudicate_save_all"):
                saved = call(adj.save_gold, store, ctx, gold_now, actor=user.name, final=True,
                             base_revision=work[doc_id][1], diff=diff)
                if saved is not None:
                    work[doc_id] = (saved, saved.revision)
                    st.rerun(scope="app")
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
    if group is None:
        return
    with st.expander(f"All {total} differences", expanded=total <= 15):
        # A Markdown table, not a data grid: the grid draws on a canvas that ignores bidi isolates, and these rows
        # mix right-to-left words with Latin labels.
        head = ["", "#", "layer", *[plain(n) for n in diff.annotators], "state"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for i, g in enumerate(groups):
            versions = ["; ".join(version(o) for o in g.options if n in o.annotators) or "—"
                        for n in diff.annotators]
            marker = ":material/arrow_right:" if g.id == group.id else ""
            lines.append("| " + " | ".join([marker, str(i + 1), g.layer, *versions,
                                              STATE_BADGE[adj.group_state(gold_now, g)]]) + " |")
        st.markdown("\n".join(lines))
        st.session_state[GOTO_KEY] = group.id  # follows the keys and buttons
        st.selectbox("Go to difference", group_ids, key=GOTO_KEY,
                     format_func=lambda gid: f"{group_ids.index(gid) + 1}: {describe_group(gid)}",
                     on_change=goto_picked)


def difference_card(group: adj.Group, gold_now: AnnotationSet, total: int) -> None:
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


def version(option: adj.Option) -> str:
    """An annotator's version as Markdown: the label as code, the document text quoted and escaped."""
    return f"{code(option.label)} {plain(option.describe().removeprefix(option.label).strip())}"


def describe_group(group_id: str) -> str:
    """A difference in one line, for the picker."""
    g = next(x for x in groups if x.id == group_id)
    return f"{g.layer} · " + " / ".join(dict.fromkeys(o.describe() for o in g.options))


def goto_picked() -> None:
    """Move to the difference picked in the list."""
    decide("goto", st.session_state[GOTO_KEY])


decisions()

# --- edit the gold set --------------------------------------------------------------------------------------
st.subheader("Edit gold")
items = {e.id: f"entity {e.type}: {e.text}" for e in gold.entities}
items.update({ev.id: f"event {ev.type}: {ev.trigger.text}" for ev in gold.events})
items.update({d.id: f"date: {d.text}" for d in gold.dates})
items.update({link.id: f"link {link.source} = {link.target}" for link in gold.links})
if not items:
    st.caption("The gold set is empty: auto-merge or take the annotators' versions above.")
    st.stop()
edit = st.columns([3, 2, 1, 1])
item_id: str = edit[0].selectbox("Item", list(items), format_func=items.__getitem__, key="adjudicate_edit_item")
is_entity = any(e.id == item_id for e in gold.entities)
is_event = any(ev.id == item_id for ev in gold.events)
names = ctx.taxonomy.entity_names() if is_entity else ctx.taxonomy.event_names() if is_event else []
new_type = edit[1].selectbox("Type", names, key="adjudicate_edit_type", disabled=not names)
if edit[2].button("Change type", key="adjudicate_edit_apply", disabled=not names):
    operation = editing.set_entity_type if is_entity else editing.set_event_type
    keep(call(adj.apply_edit, ctx, gold, diff, operation, item_id, new_type, adjudicator=user.name))
if edit[3].button("Delete", key="adjudicate_edit_delete"):
    keep(call(adj.apply_edit, ctx, gold, diff, editing.delete_item, item_id, adjudicator=user.name))
