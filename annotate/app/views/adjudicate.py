"""Adjudicate one document: the annotators' versions side by side, decided item by item into the gold set."""

from __future__ import annotations

import streamlit as st

from annotate.annotation import editing
from annotate.app.context import get_store, require_role
from annotate.app.marks import marked_html
from annotate.app.ui import call, plain
from annotate.curation import adjudication as adj
from annotate.models import AnnotationSet, AnnotationStatus

ADJUDICATE_DOC = "adjudicate_doc"  # session-state key: the document to open first (the agreement page sets it)
WORK = "adjudicate_work"  # session-state key: document id -> (working gold set, revision it is based on)

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
wanted = st.session_state.get(ADJUDICATE_DOC)
doc_id: str = st.selectbox(
    "Document", ids, index=ids.index(wanted) if wanted in ids else 0, format_func=labels.__getitem__,
    key="adjudicate_doc_select",
)
session = call(adj.open_session, store, doc_id)
if session is None:
    st.stop()
ctx, diff = session.ctx, session.diff
work: dict[str, tuple[AnnotationSet, int]] = st.session_state.setdefault(WORK, {})


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

if session.gold is not None and session.gold.status is AnnotationStatus.gold:
    st.success(
        f"Gold set saved (revision {session.gold.revision}). Reopen it to change anything; every change is a "
        "new revision.",
        icon=":material/verified:",
    )
    st.markdown(marked_html(ctx.document.text, adj.gold_marks(session.gold)), unsafe_allow_html=True)
    if st.button("Reopen gold", icon=":material/lock_open:", key="adjudicate_reopen"):
        reopened = call(adj.reopen_gold, store, doc_id, actor=user.name)
        if reopened is not None:
            keep(reopened, reopened.revision)
    st.stop()

# --- auto-merge and save ------------------------------------------------------------------------------------
cols = st.columns([2, 1, 1, 1, 1])
strategy = cols[0].segmented_control(
    "Auto-merge", [s.value for s in adj.Strategy], default=adj.Strategy.unanimous.value, key="adjudicate_strategy"
)
min_count = int(cols[1].number_input("Min. annotators", min_value=1, value=2, key="adjudicate_min"))
if cols[2].button("Auto-merge", icon=":material/merge:", key="adjudicate_auto"):
    keep(call(adj.auto_merge, ctx, diff, adjudicator=user.name, strategy=strategy or "unanimous",
              min_count=min_count, gold=gold))
if cols[3].button("Save draft", icon=":material/save:", key="adjudicate_save_draft"):
    saved = call(adj.save_gold, store, ctx, gold, actor=user.name, final=False, base_revision=base)
    if saved is not None:
        keep(saved, saved.revision)
if cols[4].button("Save as gold", icon=":material/verified:", type="primary", key="adjudicate_save"):
    saved = call(adj.save_gold, store, ctx, gold, actor=user.name, final=True, base_revision=base)
    if saved is not None:
        keep(saved, saved.revision)

left = adj.undecided(diff, gold)
st.caption(
    f"Annotators: {', '.join(plain(a) for a in diff.annotators)} · {len(left)} item(s) left to decide · "
    "green: agreed / auto-merged, yellow: some annotators, orange: conflict, blue: accepted, purple: edited"
)

# --- side by side -------------------------------------------------------------------------------------------
panes = st.columns(len(diff.annotators) + 1)
for pane, name in zip(panes, diff.annotators, strict=False):
    pane.markdown(f"**{plain(name)}**")
    pane.container(height=420).markdown(
        marked_html(ctx.document.text, adj.annotator_marks(diff, name)), unsafe_allow_html=True
    )
panes[-1].markdown("**gold (working copy)**")
panes[-1].container(height=420).markdown(
    marked_html(ctx.document.text, adj.gold_marks(gold)), unsafe_allow_html=True
)

# --- item by item -------------------------------------------------------------------------------------------
st.subheader("Differences")
show_all = st.toggle("Show agreed items too", value=False, key="adjudicate_show_all")
for group in diff.groups:
    if group.kind == "agreed" and not show_all:
        continue
    box = st.container(border=True)
    head = f"**{group.layer}** · {group.kind}" + (f" · {group.reason}" if group.reason else "")
    box.markdown(head)
    for option in group.options:
        row = box.columns([5, 2, 1, 1])
        mark = ":material/check_circle: **in gold** · " if adj.in_gold(gold, option) else ""
        row[0].markdown(f"{mark}`{plain(option.label)}` — {plain(option.text)}")
        row[1].caption(f"{', '.join(option.annotators)} · [{option.span[0]}, {option.span[1]})")
        if row[2].button("Accept", key=f"accept-{option.id}"):
            keep(call(adj.accept, ctx, gold, diff, option.id, adjudicator=user.name))
        if row[3].button("Reject", key=f"reject-{option.id}"):
            keep(call(adj.reject, ctx, gold, diff, option.id, adjudicator=user.name))
    distinct = len({o.span for o in group.options}) == len(group.options) > 1
    if distinct and box.button("Keep all (merge)", key=f"merge-{group.id}"):
        keep(call(adj.merge, ctx, gold, diff, [o.id for o in group.options], adjudicator=user.name))

# --- edit the gold set --------------------------------------------------------------------------------------
st.subheader("Edit gold")
items = {e.id: f"entity {e.type}: {e.text}" for e in gold.entities}
items.update({ev.id: f"event {ev.type}: {ev.trigger.text}" for ev in gold.events})
items.update({d.id: f"date: {d.text}" for d in gold.dates})
items.update({link.id: f"link {link.source} = {link.target}" for link in gold.links})
if not items:
    st.caption("The gold set is empty: auto-merge or accept items above.")
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
