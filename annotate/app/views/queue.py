"""The document queue: filter by language, status and (for curators) assignee; progress per document.

Click a row to open its document on the annotation page (or pick it by name below the table).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from annotate.annotation.comments import FlaggedDocument, flagged_documents, resolve_flag
from annotate.annotation.queue import QueueStatus, build_queue, queue_assignees, queue_languages
from annotate.app.context import current_user, get_store, open_document
from annotate.app.navigation import ANNOTATION_PAGE, find_page
from annotate.app.ui import call, plain, user_text
from annotate.auth import can_see_all_sets

ANY = "any"
ANNOTATOR_COLUMNS = ("title", "publisher", "language", "length", "status", "progress")
TABLE_ROUND = "queue_table_round"  # documents opened from the table: a new table key each time, so no row stays chosen

user = current_user()
store = get_store()
curator = can_see_all_sets(user)
page = find_page(ANNOTATION_PAGE, user.role.value)


def flagged_list() -> None:
    """Curators: the documents annotators flagged, with what they said; open the flagger's set or resolve."""
    flags = call(flagged_documents, store, user) or []
    with st.expander(f"Flagged for a curator ({len(flags)})", expanded=bool(flags), icon=":material/flag:"):
        if not flags:
            st.caption("No annotator has flagged a document.")
        for f in flags:
            flag_row(f)


def flag_row(f: FlaggedDocument) -> None:
    """One flag: the document, who flagged it, when and why; open the flagger's set, or resolve the flag."""
    c = f.comment
    with st.container(border=True):
        t1, t2 = st.columns([4, 1], vertical_alignment="center")
        when = c.created_at.strftime("%Y-%m-%d %H:%M UTC") if c.created_at else ""
        user_text(f.title or c.doc_id, strong=True, container=t1)
        t1.caption(f"{f.lang} · {plain(c.doc_id)} · flagged by **{plain(c.set_author)}** · {when}")
        user_text(c.text, container=t1)
        if page is not None and t2.button("Open", key=f"queue_flag_open_{c.id}", icon=":material/edit:",
                                          width="stretch"):
            open_document(c.doc_id, c.set_author)
            st.switch_page(page.path)
        if t2.button("Resolve", key=f"queue_flag_resolve_{c.id}", icon=":material/done:", width="stretch"):
            if call(resolve_flag, store, user, c.id) is not None:
                st.rerun()


st.title("Documents")
if curator:
    flagged_list()
search = st.text_input("Search", key="queue_search", placeholder="words of the title, publisher or text",
                       help="Every word must occur; ي/ی, ك/ک and Persian, Arabic and ASCII digits count as the same")
cols = st.columns(3 if curator else 2)
lang = cols[0].selectbox("Language", [ANY, *queue_languages(store)], key="queue_lang")
status = cols[1].selectbox(
    "Status" if curator else "My status", [ANY, *(s.value for s in QueueStatus)], key="queue_status"
)
assignee = cols[2].selectbox("Assigned to", [ANY, *queue_assignees(store)], key="queue_assignee") if curator else ANY

rows = call(
    build_queue,
    store,
    user,
    lang=None if lang == ANY else lang,
    status=None if status == ANY else status,
    assignee=None if assignee == ANY else assignee,
    search=search,
)
if rows is None:
    st.stop()
if not rows:
    if search.strip() or (lang, status, assignee) != (ANY, ANY, ANY):
        st.info("No documents match this search and these filters.")
    elif not curator and queue_assignees(store):
        st.info("No documents are assigned to you yet; a curator assigns them.")
    else:
        st.info("There are no documents yet: import some with `annotate import`.")
    st.stop()


def open_row(doc_id: str) -> None:
    """Open ``doc_id`` on the annotation page."""
    if page is None:
        return
    open_document(doc_id)
    st.session_state[TABLE_ROUND] = st.session_state.get(TABLE_ROUND, 0) + 1
    st.switch_page(page.path)


def columns() -> dict[str, Any]:
    """Column widths (pixels) that show every short value whole; the title takes the most room."""
    config: dict[str, Any] = {
        "title": st.column_config.TextColumn("title", width=230, help="The title, or the first line of the text"),
        "publisher": st.column_config.TextColumn("publisher", width=210),
        "language": st.column_config.TextColumn("language", width=70),
        "length": st.column_config.NumberColumn("length", width=62, format="%d", help="Characters"),
        "status": st.column_config.TextColumn("status", width=92),
        "suggested dates": st.column_config.NumberColumn("suggested dates", width=115,
                                                         help="Dates the date engine suggests"),
        "assigned to": st.column_config.TextColumn("assigned to", width=150),
        "document": st.column_config.TextColumn("document id", width=180),
    }
    if curator:
        config["progress"] = st.column_config.ProgressColumn(
            "progress", width=110, format="percent", min_value=0.0, max_value=1.0,
            help="Share of the expected annotation sets that are submitted",
        )
        config["annotators"] = st.column_config.TextColumn("annotators", width=240)
        config["gold"] = st.column_config.CheckboxColumn("gold", width=60)
    else:
        config["progress"] = st.column_config.TextColumn("progress", width=150, help="Your marks and revision")
    return config


done = sum(1 for r in rows if r.status in (QueueStatus.submitted, QueueStatus.gold))
st.progress(done / len(rows), text=f"{done} of {len(rows)} document(s) submitted")
st.caption("Click a row to open its document.")
# A click on any cell opens its row.  Annotators see the six columns that fit beside the sidebar at 1280 pixels
# (the grid shares out the width left over); curators get every annotator's progress after them.
event = st.dataframe(
    [r.as_record() for r in rows], hide_index=True, width="stretch", column_config=columns(),
    column_order=None if curator else ANNOTATOR_COLUMNS, on_select="rerun", selection_mode="single-cell",
    key=f"queue_table_{st.session_state.get(TABLE_ROUND, 0)}", row_height=36,
)
chosen = [cell[0] for cell in event.selection.cells]
if chosen:
    open_row(rows[chosen[0]].doc_id)



labels = {r.doc_id: " · ".join(x for x in (r.title, r.publisher, r.lang, r.doc_id) if x) for r in rows}
pick, go = st.columns([4, 1], vertical_alignment="bottom")
choice: str | None = pick.selectbox("Or choose a document", list(labels), key="queue_doc",
                                    format_func=labels.__getitem__)
if choice is not None and page is not None:
    if go.button("Annotate", icon=":material/edit:", key="queue_open", type="primary", width="stretch"):
        open_row(choice)
