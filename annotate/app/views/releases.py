"""Releases: list versions, create one, diff two, verify one and export it as a Hugging Face dataset."""

from __future__ import annotations

import streamlit as st

from annotate.app.context import get_project, get_store, require_role
from annotate.app.ui import call
from annotate.release.export import agreement_figures, default_export_dir, export_release
from annotate.release.versions import BUMPS, create_release, diff_releases, list_releases, release_path, verify_release

user = require_role("curator", "admin")
project = get_project()
store = get_store()

st.title("Releases")
infos = call(list_releases, project.path) or []
if infos:
    st.dataframe(
        [{"version": i.version, "created": i.created_at, "bump": i.bump, "documents": i.documents,
          **i.splits, "guidelines": i.guideline_version, "message": i.message} for i in reversed(infos)],
        hide_index=True,
    )
else:
    st.info("No release yet.")
versions = [i.version for i in reversed(infos)]

with st.form("release_create"):
    st.subheader("Create a release")
    bump = st.radio("Bump", list(reversed(BUMPS)), index=1, horizontal=True, key="release_bump",
                    help="Schema/offsets/removals: major; new documents or labels: minor; annotation fixes: patch.")
    message = st.text_input("Message", placeholder="What changed", key="release_message")
    if st.form_submit_button("Create release", type="primary", key="release_create_submit"):
        info = call(create_release, project.path, store, project.taxonomy(), bump=bump, message=message,
                    actor=user.name)
        if info is not None:
            st.success(f"Released {info.version}: {info.documents} documents, sha256 {info.version_sha256}")
            st.rerun()

if versions:
    st.subheader("Diff")
    cols = st.columns(2)
    a = cols[0].selectbox("From", versions, index=min(1, len(versions) - 1), key="release_diff_a")
    b = cols[1].selectbox("To", versions, index=0, key="release_diff_b")
    diff = call(diff_releases, project.path, a, b)
    if diff is not None:
        data = diff.to_json()
        st.write(f"Requires a **{data['required_bump'] or 'no'}** bump.")
        if data["documents"]["text_changed"]:
            st.warning("Text changed (offsets may have moved): " + ", ".join(data["documents"]["text_changed"]))
        st.json(data, expanded=False)

    st.subheader("Verify and export")
    version = st.selectbox("Version", versions, key="release_version")
    cols = st.columns(2)
    if cols[0].button("Verify", key="release_verify"):
        manifest = call(verify_release, project.path, version)
        if manifest is not None:
            st.success(f"{version} verifies: every hash matches.")
    if cols[1].button("Export as a dataset", key="release_export"):
        target = default_export_dir(project.path, version)
        stats = call(export_release, release_path(project.path, version), target, taxonomy=project.taxonomy(),
                     agreement=agreement_figures(store))
        if stats is not None:
            st.success(f"Exported to {target}: " + ", ".join(f"{c} {sum(s.values())}" for c, s in stats.rows.items()))
