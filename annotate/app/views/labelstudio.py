"""Label Studio sync: push documents and pre-annotations, pull annotations back, see what the link holds."""

from __future__ import annotations

import streamlit as st

from annotate.app.context import get_project, require_role
from annotate.app.ui import call, plain
from annotate.labelstudio.sync import key_in_environment, pull_project, push_project, status, suggested_url
from annotate.redact import redact_url

user = require_role("curator", "admin")
project = get_project()

st.title("Label Studio")
st.caption(
    "Annotators can label in Label Studio: push sends every document as a task with the date engine's output as "
    "a prediction; pull stores each Label Studio user's work as that annotator's annotation set. Both can run "
    "again at any time: nothing is duplicated, and a task whose annotation does not fit the text is reported "
    "and left out. What a pull decides is also written back to each task, above its text in Label Studio: why an "
    "annotation was not stored, or what was completed in it (a date read by the date engine, a date flagged "
    "for review)."
)

summary = st.container()  # filled last, so that it shows the state after a push or pull
linked = call(status, project.store())  # None when the sync's record is unreadable: a full pull rebuilds it

configured_url = call(suggested_url, project) or ""
with st.form("ls_connection"):
    # A password in the configured URL is never put in the page; the form sends back the redacted form,
    # which stands for the configured URL.
    url = st.text_input("Label Studio URL", value=redact_url(configured_url), key="ls_url",
                        placeholder="http://127.0.0.1:8080")
    if url == redact_url(configured_url):
        url = configured_url
    env_key = key_in_environment()
    api_key = st.text_input(
        "API key", type="password", key="ls_key",
        help="Used for this request only, never stored."
        + (" Leave empty to use LABEL_STUDIO_API_KEY from the server's environment." if env_key else ""),
    )
    title = st.text_input("Project title (push)", value=(linked.title if linked else None) or "", key="ls_title")
    full = st.checkbox("Pull: re-read every task, not only those changed since the last pull", key="ls_full")
    push_col, pull_col = st.columns(2)
    do_push = push_col.form_submit_button("Push", icon=":material/upload:", type="primary")
    do_pull = pull_col.form_submit_button("Pull", icon=":material/download:")

pulled = None
if do_push:
    with st.spinner("Pushing documents and predictions ..."):
        pushed = call(push_project, project, actor=user.name, url=url or None, api_key=api_key or None,
                      title=title or None)
    if pushed is not None:
        st.success(
            f"Project {pushed.project_id}: {pushed.tasks_created} task(s) imported, {pushed.predictions_updated} "
            f"prediction(s) updated, {pushed.tasks_text_updated} text(s) updated, {pushed.tasks_unchanged} "
            "unchanged.",
            icon=":material/check:",
        )
if do_pull:
    with st.spinner("Pulling annotations ..."):
        pulled = call(pull_project, project, actor=user.name, url=url or None, api_key=api_key or None, full=full)
    if pulled is not None:
        st.success(
            f"{pulled.tasks_seen} task(s) checked, {pulled.tasks_fetched} read, {pulled.sets_saved} set(s) saved, "
            f"{pulled.sets_unchanged} unchanged, {pulled.sets_withdrawn} withdrawn (deleted in Label Studio), "
            f"{len(pulled.errors)} rejected, {sum(not n.flagged for n in pulled.notes)} completion(s), "
            f"{sum(n.flagged for n in pulled.notes)} date(s) flagged for review; feedback written to "
            f"{pulled.feedback_written} task(s).",
            icon=":material/check:",
        )
if linked is None and pulled is None:
    st.stop()  # the record is still unreadable; the error above says how to rebuild it
state = call(status, project.store())
if state is None:
    st.stop()
flagged = [n for n in state.notes if n.flagged]
with summary:
    cols = st.columns(5)
    cols[0].metric("Documents pushed", f"{state.mapped_tasks} / {state.documents}")
    cols[1].metric("Annotation sets pulled", state.pulled_sets)
    cols[2].metric("Last pull", (state.last_pull or "never")[:16].replace("T", " "))
    cols[3].metric("Rejected tasks", len(state.errors))
    cols[4].metric("Dates flagged for review", len(flagged))
    if state.project_id is not None:
        st.write(f"Linked to Label Studio project **{state.project_id}** ({plain(state.title or '')}) at "
                 f"`{state.url}`; last push {(state.last_push or 'never')[:16].replace('T', ' ')}.")
    else:
        st.info("Not linked to Label Studio yet: the first push creates the project.", icon=":material/link_off:")

st.subheader("Rejected tasks (last pull)")
if state.errors:
    st.dataframe(
        [{"task": e.task_id, "document": e.doc_id, "problem": e.message} for e in state.errors],
        hide_index=True,
        key="ls_errors",
    )
else:
    st.write("None.")

st.subheader("Completed on pull")
st.caption("What the pulls filled in for annotators, per stored annotation: a DATE region without calendar, "
           "month-name set or value is read by the date engine; one the engine cannot read is stored without a "
           "value and flagged (open the document on the Annotate page to complete it).")
if state.notes:
    st.dataframe(
        [{"task": n.task_id, "document": n.doc_id, "flagged": n.flagged, "what": n.message} for n in state.notes],
        hide_index=True,
        key="ls_notes",
    )
else:
    st.write("Nothing.")
