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
    "and left out."
)

summary = st.container()  # filled last, so that it shows the state after a push or pull
linked = status(project.store())

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
    title = st.text_input("Project title (push)", value=linked.title or "", key="ls_title")
    full = st.checkbox("Pull: re-read every task, not only those changed since the last pull", key="ls_full")
    push_col, pull_col = st.columns(2)
    do_push = push_col.form_submit_button("Push", icon=":material/upload:", type="primary")
    do_pull = pull_col.form_submit_button("Pull", icon=":material/download:")

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
            f"{len(pulled.errors)} rejected.",
            icon=":material/check:",
        )
state = status(project.store())
with summary:
    cols = st.columns(4)
    cols[0].metric("Documents pushed", f"{state.mapped_tasks} / {state.documents}")
    cols[1].metric("Annotation sets pulled", state.pulled_sets)
    cols[2].metric("Last pull", (state.last_pull or "never")[:16].replace("T", " "))
    cols[3].metric("Rejected tasks", len(state.errors))
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
