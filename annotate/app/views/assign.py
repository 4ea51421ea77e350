"""Assign documents to annotators: k each, an overlap share with one more, balanced and reproducible."""

from __future__ import annotations

import streamlit as st

from annotate.app.context import get_store, require_role
from annotate.app.ui import call
from annotate.auth import Role, list_users
from annotate.curation.assignments import assign_documents

user = require_role("curator", "admin")
store = get_store()

st.title("Assign documents")
st.caption(
    "Each document goes to k annotators; the overlap share goes to one more, so agreement can be measured. "
    "Running it again changes nothing, and a document someone has started stays theirs."
)
people = [u.name for u in list_users(store) if u.role is Role.annotator]
annotators = st.multiselect("Annotators", people, default=people, key="assign_annotators")
cols = st.columns(3)
k = int(cols[0].number_input("Annotators per document (k)", min_value=1, max_value=10, value=1, key="assign_k"))
overlap = float(cols[1].slider("Overlap share (one more annotator)", 0.0, 1.0, 0.2, 0.05, key="assign_overlap"))
seed = int(cols[2].number_input("Seed", min_value=0, value=0, step=1, key="assign_seed"))

preview, apply = st.columns(2)
dry_run = preview.button("Preview", icon=":material/visibility:", key="assign_preview")
run = apply.button("Assign", icon=":material/assignment_ind:", type="primary", key="assign_apply")
if dry_run or run:
    plan = call(
        assign_documents, store, annotators, k=k, overlap=overlap, seed=seed, actor=user.name, dry_run=not run
    )
    if plan is not None:
        verb = "Assigned" if run else "Would assign"
        st.success(
            f"{verb} {len(plan.add)} and {'removed' if run else 'remove'} {len(plan.remove)}; "
            f"{len(plan.overlap_docs)} overlap document(s). Load: "
            + ", ".join(f"{p} {n}" for p, n in plan.load.items()),
            icon=":material/check:",
        )
        if plan.add or plan.remove:
            st.dataframe(
                [{"change": "add", "document": d, "annotator": p} for d, p in plan.add]
                + [{"change": "remove", "document": d, "annotator": p} for d, p in plan.remove],
                hide_index=True,
                key="assign_plan",
            )

st.subheader("Current assignments")
rows = [
    {"document": a.doc_id, "annotator": a.annotator, "by": a.assigned_by, "at": a.assigned_at.isoformat()}
    for a in store.assignments.list()
]
if rows:
    st.dataframe(rows, hide_index=True, key="assign_current")
else:
    st.info("Nothing is assigned yet.")
