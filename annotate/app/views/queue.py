"""The document queue: filter by language, status and (for curators) assignee; progress per document."""

from __future__ import annotations

import streamlit as st

from annotate.annotation.queue import QueueStatus, build_queue, queue_assignees, queue_languages
from annotate.app.context import current_user, get_store, open_document
from annotate.app.navigation import ANNOTATION_PAGE, find_page
from annotate.app.ui import call
from annotate.auth import can_see_all_sets

ANY = "any"

user = current_user()
store = get_store()
curator = can_see_all_sets(user)

st.title("Documents")
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
)
if rows is None:
    st.stop()
if not rows:
    if (lang, status, assignee) != (ANY, ANY, ANY):
        st.info("No documents match these filters.")
    elif not curator and queue_assignees(store):
        st.info("No documents are assigned to you yet; a curator assigns them.")
    else:
        st.info("There are no documents yet: import some with `annotate import`.")
    st.stop()

done = sum(1 for r in rows if r.status in (QueueStatus.submitted, QueueStatus.gold))
st.progress(done / len(rows), text=f"{done} of {len(rows)} document(s) submitted")
st.dataframe([r.as_record() for r in rows], hide_index=True, width="stretch", key="queue_table")

page = find_page(ANNOTATION_PAGE, user.role.value)
labels = {r.doc_id: f"{r.doc_id} · {r.lang} · {r.title or ''}" for r in rows}
choice: str | None = st.selectbox("Document", list(labels), key="queue_doc", format_func=labels.__getitem__)
if choice is not None and page is not None:
    if st.button("Annotate", icon=":material/edit:", key="queue_open", type="primary"):
        open_document(choice)
        st.switch_page(page.path)
