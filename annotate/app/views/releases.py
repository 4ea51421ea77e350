"""Releases: list versions, create one, diff two, verify one, export it as a Hugging Face dataset, score
predictions against it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from annotate.app.context import get_project, get_store, require_role
from annotate.app.ui import call
from annotate.evaluation.scoring import evaluate, format_report
from annotate.release.export import agreement_figures, export_release
from annotate.release.layout import OPTIONAL_CONFIGS, default_export_dir
from annotate.release.versions import (
    BUMPS,
    create_release,
    diff_releases,
    list_releases,
    release_path,
    required_bump,
    verify_release,
)

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
        st.write(f"Requires a **{required_bump(diff) or 'no'}** bump.")
        if diff.text_changed:
            st.warning("Text changed (offsets may have moved): " + ", ".join(diff.text_changed))
        st.json(diff.to_json(), expanded=False)

    st.subheader("Verify and export")
    version = st.selectbox("Version", versions, key="release_version")
    cols = st.columns(2)
    repo = cols[0].text_input("Hub repository (ORG/NAME, optional)", key="release_repo",
                              help="Names the card and adds an lm-eval task that reads the Hub.")
    include = cols[1].multiselect("Optional configs", list(OPTIONAL_CONFIGS), key="release_include",
                                  help="annotations: every annotator's sets; suggestions: the engine's.")
    cols = st.columns(2)
    if cols[0].button("Verify", key="release_verify"):
        manifest = call(verify_release, project.path, version)
        if manifest is not None:
            st.success(f"{version} verifies: every hash matches.")
    if cols[1].button("Export as a dataset", key="release_export"):
        target = default_export_dir(project.path, version)
        stats = call(export_release, release_path(project.path, version), target, taxonomy=project.taxonomy(),
                     agreement=agreement_figures(store), hub_repo=repo.strip() or None, include=include)
        if stats is not None:
            st.success(f"Exported to {target}: " + ", ".join(f"{c} {sum(s.values())}" for c, s in stats.rows.items()))

    st.subheader("Score predictions")
    st.caption("JSON Lines: documents layout, `annotate dates extract` output, or lm-eval `--log_samples` output "
               "(scored against this version's export).")
    upload = st.file_uploader("Predictions", type=["jsonl"], key="release_eval_file")
    split = st.selectbox("Split", ["all", "train", "validation", "test"], key="release_eval_split")
    if upload is not None and st.button("Score", key="release_eval"):
        export_dir = default_export_dir(project.path, version)
        gold = str(export_dir) if (export_dir / "release.json").is_file() else version
        with tempfile.TemporaryDirectory() as tmp:
            pred = Path(tmp) / "predictions.jsonl"
            pred.write_bytes(upload.getvalue())
            result = call(evaluate, gold, pred, project_dir=project.path, split=None if split == "all" else split)
        if result is not None:
            st.code(format_report(result), language=None)
